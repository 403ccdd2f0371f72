/**
 * DEVELOPMENT TOOL — `npm run dev:chromium`: opens the built workstation UI in Debian Chromium
 * behind the same bridge as the e2e tests (real main-process services, recording stand-ins for
 * tray/notifications/global shortcuts/safeStorage), so the UI can be used by hand where the
 * Electron binary cannot run. Not a way to run the product: there is no tray, no OS keychain and
 * no global shortcuts here.
 *
 * Headed on a desktop (DISPLAY set); without a display it re-runs itself under xvfb-run and saves
 * a screenshot to .tmp/dev-chromium.png every 10 s. Data persists in .tmp/dev-profile.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync, execFileSync } from 'node:child_process';
import { launchWorkstation } from '../support/bridge';
import { REPO_ROOT } from '../support/paths';
import { startPlatformServer } from '../support/platform-server';
import { loadDemoCity, readDemoData } from '../../platform/src/seed/demo-city';

const DIR = path.join(REPO_ROOT, '.tmp/dev-profile');

function ensureBuilt(): void {
  if (process.argv.includes('--no-build') && fs.existsSync(path.join(REPO_ROOT, 'out/renderer/index.html'))) return;
  console.log('building…');
  execFileSync(path.join(REPO_ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: REPO_ROOT, stdio: 'ignore' });
}

/** The stand-in safeStorage key, kept beside the dev profile so secrets survive restarts (dev only). */
function devKey(): Buffer {
  const file = path.join(DIR, 'dev-only-safestorage.key');
  fs.mkdirSync(DIR, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600 });
  return fs.readFileSync(file);
}

async function main(): Promise<void> {
  if (!process.env.DISPLAY && !process.env.WS_UNDER_XVFB) {
    console.log('no DISPLAY: running under xvfb-run (screenshots in .tmp/dev-chromium.png)');
    const r = spawnSync('xvfb-run', ['-a', '-s', '-screen 0 1440x900x24', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, WS_UNDER_XVFB: '1' },
    });
    process.exit(r.status ?? 1);
  }
  ensureBuilt();
  // The embedded reference platform on its default address, with the demo city when available.
  const platformDir = path.join(DIR, 'platform');
  const firstStart = !fs.existsSync(platformDir);
  const keyFile = path.join(DIR, 'dev-only-platform-master.key');
  if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(32), { mode: 0o600 });
  const platform = await startPlatformServer({ dataDir: platformDir, port: 8345, masterKey: fs.readFileSync(keyFile) });
  const seedDir = path.join(REPO_ROOT, 'platform/seed/data');
  if (firstStart && fs.existsSync(path.join(seedDir, 'knowledge-articles.json'))) {
    await loadDemoCity(platform.platform.services.db, readDemoData(seedDir), { password: 'Demo-12345-pass', scrypt: platform.platform.services.config.scrypt });
  }
  console.log(`platform at ${platform.url} — sign in as agent01 or lead01 / e2e-password-12345 (demo city accounts agent02, admin …: Demo-12345-pass)`);
  const ws = await launchWorkstation({ dir: DIR, headless: false, encryptionKey: devKey() });
  console.log(`workstation UI open in Chromium (app data: ${ws.appDataDir}, log: ${ws.logFile}). Close the window or press Ctrl+C to stop.`);
  let timer: NodeJS.Timeout | undefined;
  if (process.env.WS_UNDER_XVFB) {
    const shot = path.join(REPO_ROOT, '.tmp/dev-chromium.png');
    const take = () => void ws.page.screenshot({ path: shot }).catch(() => undefined);
    take();
    timer = setInterval(take, 10_000);
  }
  const stop = async () => {
    if (timer) clearInterval(timer);
    await ws.close().catch(() => undefined);
    await platform.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  ws.context.on('close', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
