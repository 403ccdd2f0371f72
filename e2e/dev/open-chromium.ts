/**
 * DEVELOPMENT TOOL — `npm run dev:chromium`: opens the built workstation UI in Debian Chromium
 * behind the same bridge as the e2e tests (real main-process services, recording stand-ins for
 * tray/notifications/global shortcuts/safeStorage), so the UI can be used by hand where the
 * Electron binary cannot run. Not a way to run the product: there is no tray, no OS keychain and
 * no global shortcuts here.
 *
 * Starts the reference platform at http://127.0.0.1:8345 with the demo city (loaded on first
 * start; sign in as agent01 / Demo-12345-pass, as with `npm start`). Data persists in
 * .tmp/dev-profile. Headed on a desktop (DISPLAY set); without a display it re-runs itself under
 * xvfb-run and saves a screenshot to .tmp/dev-chromium.png every 10 s.
 *
 * Options: --no-build (use out/ as built), --dir <folder> (instead of .tmp/dev-profile),
 * --port <n> (platform port; 0 = any free one). The start path is startDevWorkstation().
 */
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn, execFileSync } from 'node:child_process';
import { REPO_ROOT } from '../support/paths';
import { DEV_PLATFORM_PORT, startDevWorkstation } from './dev-workstation';

const DEFAULT_DIR = path.join(REPO_ROOT, '.tmp/dev-profile');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function ensureBuilt(): void {
  if (process.argv.includes('--no-build') && fs.existsSync(path.join(REPO_ROOT, 'out/renderer/index.html'))) return;
  console.log('building the UI (electron-vite build; --no-build skips this)…');
  execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

/**
 * No display: run this same command under xvfb-run. Ctrl+C reaches the tool directly (same process
 * group); any other end of this launcher closes the pipe on fd 3, which the tool takes as "stop".
 */
function rerunUnderXvfb(): void {
  console.log('no DISPLAY: running under xvfb-run (screenshots in .tmp/dev-chromium.png every 10 s)');
  const child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1440x900x24', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, WS_UNDER_XVFB: '1' },
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'ENOENT'
        ? 'dev:chromium needs a display: there is no DISPLAY and xvfb-run is not installed (Debian: apt-get install xvfb).'
        : `could not start xvfb-run: ${error.message}`,
    );
    process.exit(1);
  });
  process.on('SIGINT', () => undefined); // the tool got it too, and stops; wait for it
  process.on('SIGTERM', () => child.stdio[3]?.destroy());
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

/** Under xvfb-run: resolves when the launcher (rerunUnderXvfb) goes away. */
function launcherGone(): Promise<void> {
  return new Promise((resolve) => {
    try {
      const launcher = new net.Socket({ fd: 3, readable: true, writable: false });
      launcher.on('error', () => resolve());
      launcher.on('close', () => resolve());
      launcher.resume();
    } catch {
      /* started without the launcher's pipe: nothing to watch */
    }
  });
}

async function main(): Promise<void> {
  if (!process.env.DISPLAY && !process.env.WS_UNDER_XVFB) return rerunUnderXvfb();
  const dir = path.resolve(option('--dir') ?? DEFAULT_DIR);
  const port = Number(option('--port') ?? DEV_PLATFORM_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${option('--port')}`);
  ensureBuilt();
  const firstStart = !fs.existsSync(dir);
  console.log(`${firstStart ? 'first start: creating' : 'starting from'} ${dir}${firstStart ? ' and loading the demo city…' : '…'}`);
  const dev = await startDevWorkstation({ dir, port, headless: false });
  console.log('');
  console.log('dev:chromium — the workstation UI in Debian Chromium (development tool: no tray, OS keychain or global shortcuts)');
  for (const line of dev.summary) console.log(`  ${line}`);

  let timer: NodeJS.Timeout | undefined;
  const underXvfb = Boolean(process.env.WS_UNDER_XVFB);
  const shot = dir === DEFAULT_DIR ? path.join(REPO_ROOT, '.tmp/dev-chromium.png') : path.join(dir, 'dev-chromium.png');
  if (underXvfb) {
    const take = () => void dev.workstation.page.screenshot({ path: shot }).catch(() => undefined);
    take();
    timer = setInterval(take, 10_000);
    console.log(`  screen    ${shot} (every 10 s; no display here)`);
  }
  console.log(`  stop      ${underXvfb ? '' : 'close the Chromium window or '}press Ctrl+C (stops the UI and the platform; the data stays)`);

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    if (timer) clearInterval(timer);
    console.log(`\nstopping (${why})…`);
    await dev.stop();
    console.log(`stopped: the UI and the platform at ${dev.platformUrl}; data kept in ${dir}`);
    process.exit(0);
  };
  // Playwright's own Ctrl+C handler closes the browser and exits at once, before the platform has
  // closed its database: this tool stops both itself.
  process.removeAllListeners('SIGINT');
  process.on('SIGINT', () => void stop('Ctrl+C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  dev.workstation.context.on('close', () => void stop('the window was closed'));
  if (underXvfb) void launcherGone().then(() => stop('the launcher stopped'));
}

main().catch((error: unknown) => {
  console.error(`dev:chromium failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
