/**
 * Offline packaging check: runs electron-builder --dir with a stub Electron distribution and
 * verifies what would ship — the builder config is accepted, the fuses from electron-builder.yml
 * are really flipped in the binary, and app.asar holds the built app and nothing else.
 * The stub is a tiny executable carrying Electron's fuse sentinel and wire (as Electron 45 ships it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { listPackage } from '@electron/asar';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WORK = path.join(ROOT, '.tmp/package-check');
const STUB = path.join(WORK, 'electron-stub');
const OUT = path.join(WORK, 'dist');
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's default fuse states: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
// asar integrity off, only-load-from-asar off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = '10110001';
/** Fuse byte values in the binary (@electron/fuses does not export its enum). */
enum FuseState {
  DISABLE = 48,
  ENABLE = 49,
}

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? '✓' : '✗'} ${what}`);
  if (!ok) failures.push(what);
};

function makeStub(): void {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(path.join(STUB, 'resources'), { recursive: true });
  const exe = Buffer.concat([
    Buffer.from('#!/bin/sh\nexit 0\n# '),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE, 'ascii'),
    Buffer.from('\n'),
  ]);
  fs.writeFileSync(path.join(STUB, 'electron'), exe, { mode: 0o755 });
  fs.writeFileSync(path.join(STUB, 'version'), 'v45.4.1');
  fs.writeFileSync(path.join(STUB, 'LICENSE'), '');
  fs.writeFileSync(path.join(STUB, 'LICENSES.chromium.html'), '');
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/index.js'))) throw new Error('run `npm run build` first');
  makeStub();
  const started = Date.now();
  execFileSync(
    path.join(ROOT, 'node_modules/.bin/electron-builder'),
    ['--dir', '--linux', '--x64', `-c.electronDist=${STUB}`, `-c.directories.output=${OUT}`, '--publish=never'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true' } },
  );
  console.log(`electron-builder --dir finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const unpacked = path.join(OUT, 'linux-unpacked');
  const exe = fs.readdirSync(unpacked).find((f) => fs.statSync(path.join(unpacked, f)).mode & 0o100 && !f.endsWith('.so'));
  check(!!exe, 'an executable is in the unpacked app');

  const fuses = await getCurrentFuseWire(path.join(unpacked, exe!));
  const expected: [FuseV1Options, FuseState][] = [
    [FuseV1Options.RunAsNode, FuseState.DISABLE],
    [FuseV1Options.EnableCookieEncryption, FuseState.ENABLE],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, FuseState.DISABLE],
    [FuseV1Options.EnableNodeCliInspectArguments, FuseState.DISABLE],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, FuseState.ENABLE],
    [FuseV1Options.OnlyLoadAppFromAsar, FuseState.ENABLE],
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot, FuseState.DISABLE],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, FuseState.DISABLE],
  ];
  for (const [fuse, state] of expected) {
    check((fuses as Record<number, number>)[fuse] === state, `fuse ${FuseV1Options[fuse]} is ${FuseState[state]}`);
  }

  const asar = path.join(unpacked, 'resources/app.asar');
  check(fs.existsSync(asar), 'resources/app.asar exists');
  const files = listPackage(asar, { isPack: false }).map((f) => f.replace(/\\/g, '/'));
  for (const required of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
    check(files.includes(required), `app.asar contains ${required}`);
  }
  const leaked = files.filter((f) => /\.(ts|tsx|map)$/.test(f) || /^\/(e2e|test|platform|scripts|bench|renderer|main|shared|preload)\//.test(f) || /\.env|secrets\.json|settings\.json/.test(f));
  check(leaked.length === 0, `app.asar holds no sources, tests or local data${leaked.length ? `: ${leaked.slice(0, 5).join(', ')}` : ''}`);
  const sizeMb = fs.statSync(asar).size / 1024 / 1024;
  console.log(`app.asar: ${files.length} entries, ${sizeMb.toFixed(1)} MB`);

  if (failures.length > 0) {
    console.error(`package check failed: ${failures.length} problem(s)`);
    process.exit(1);
  }
  console.log('package check passed');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
