/**
 * Finds the Electron executable without `require('electron')` (which would try to download it).
 * Order: ELECTRON_EXEC_PATH, then node_modules/electron/dist as laid out by electron's installer.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

export function findElectronBinary(): ElectronBinary {
  const fromEnv = process.env.ELECTRON_EXEC_PATH;
  if (fromEnv) {
    return fs.existsSync(fromEnv) ? { found: true, path: fromEnv } : { found: false, reason: `ELECTRON_EXEC_PATH points to a missing file: ${fromEnv}` };
  }
  const pkg = path.join(ROOT, 'node_modules/electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      found: false,
      reason:
        'the Electron binary is not installed: node_modules/electron has no dist/ (the electron package downloads it from the ' +
        'internet when `npm ci` runs; that download did not happen here). Set ELECTRON_EXEC_PATH to use an Electron 45 executable from elsewhere.',
    };
  }
  const exe = path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(exe) ? { found: true, path: exe } : { found: false, reason: `Electron binary missing at ${exe}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = findElectronBinary();
  if (r.found) process.stdout.write(r.path + '\n');
  else {
    process.stderr.write(r.reason + '\n');
    process.exit(1);
  }
}
