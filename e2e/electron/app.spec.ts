/**
 * The real desktop app. Runs only where an Electron binary exists (ELECTRON_EXEC_PATH or an
 * installed node_modules/electron/dist); elsewhere it is skipped with the reason printed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, _electron as electron } from '@playwright/test';
import { findElectronBinary } from '../../scripts/lib/electron-binary';
import { baselineViolations } from '../../main/security/baseline';
import { API_GLOBAL, workstationApi } from '../../shared/ipc';
import { REPO_ROOT } from '../support/paths';

const bin = findElectronBinary();
if (!bin.found) console.log(`[electron project] skipped: ${bin.reason}`);

test.describe('real Electron app', () => {
  test.skip(!bin.found, bin.found ? '' : bin.reason);

  test('starts from app://, renders the shell, and every window meets the security baseline', async () => {
    if (!bin.found) return;
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-electron-'));
    const app = await electron.launch({
      executablePath: bin.path,
      args: [REPO_ROOT, `--user-data-dir=${userData}`],
      cwd: REPO_ROOT,
    });
    try {
      const win = await app.firstWindow();
      await win.waitForFunction(() => document.documentElement.dataset.shellReady === 'true');
      expect(win.url()).toBe('app://workstation/index.html');
      await expect(win.getByText('12345 坐席工作台')).toBeVisible();

      const prefs = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences()),
      );
      for (const p of prefs) expect(baselineViolations(p)).toEqual([]);

      // New windows and navigation are denied; Node is not reachable from the page.
      expect(await win.evaluate(() => window.open('https://example.com') === null)).toBe(true);
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      // The preload exposes exactly the declared API: every domain and method of shared/ipc.
      const exposed = await win.evaluate((name) => {
        const api = (window as unknown as Record<string, Record<string, Record<string, unknown>>>)[name] ?? {};
        return Object.entries(api).flatMap(([domain, methods]) => Object.entries(methods).map(([m, fn]) => `${domain}.${m}:${typeof fn}`));
      }, API_GLOBAL);
      const declared = Object.entries(workstationApi).flatMap(([domain, defs]) => Object.keys(defs).map((m) => `${domain}.${m}:function`));
      expect(exposed.sort()).toEqual(declared.sort());
    } finally {
      await app.close();
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });
});
