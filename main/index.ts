/**
 * Electron entry point: the only place that wires Electron to the workstation core.
 * Everything it calls is a plain service (main/core.ts) or an Electron adapter (main/electron/).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow, ipcMain, powerMonitor, session } from 'electron';
import ElectronStore from 'electron-store';
import { workstationApi } from '../shared/ipc';
import { createCore, type WorkstationCore } from './core';
import { RotatingFileSink } from './logging/logger';
import { APP_ORIGIN } from './security/baseline';
import { CrashLoopGuard } from './shell/crash-loop-guard';
import { registerAppScheme, applySessionSecurity } from './electron/session-security';
import { createMainWindow, hardenWebContents, revealWindow } from './electron/window';
import { ipcSenderOf } from './electron/guards';
import { electronPorts, safeStorageEncryptor } from './electron/ports';

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD = path.join(here, '../preload/index.cjs');
const RENDERER_ROOT = path.join(here, '../renderer');

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the local database and the SIP registration: hand over and leave.
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  start();
}

function start(): void {
  let win: BrowserWindow | undefined;
  let core: WorkstationCore | undefined;
  let quitting = false;

  app.on('second-instance', () => revealWindow(win));
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('web-contents-created', (_e, contents) => {
    if (core) hardenWebContents(contents, core.logger);
  });

  void app.whenReady().then(() => {
    const userDataDir = app.getPath('userData');
    const sink = new RotatingFileSink({ dir: path.join(userDataDir, 'logs') });
    core = createCore({
      userDataDir,
      openSettings: () => new ElectronStore({ name: 'settings', clearInvalidConfig: false, configFileMode: 0o600 }) as never,
      encryptor: safeStorageEncryptor(),
      logSink: sink,
      allowedOrigin: APP_ORIGIN,
      appInfo: {
        name: app.getName(),
        version: app.getVersion(),
        runtime: 'electron',
        platform: process.platform,
        versions: { electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node },
      },
      events: {
        emit: (channel, payload) => {
          if (win && !win.isDestroyed()) win.webContents.send(channel, payload);
        },
      },
      ports: electronPorts({
        window: () => win,
        onTrayStateRequest: (state) => core?.emit(workstationApi.shell.onAgentStateRequested, { state }),
        onQuit: () => app.quit(),
      }),
    });
    const c = core;
    applySessionSecurity(session.defaultSession, RENDERER_ROOT, c.logger);

    for (const channel of c.registry.channels()) {
      ipcMain.handle(channel, (event, payload: unknown) => c.registry.dispatch(channel, payload, ipcSenderOf(event)));
    }

    win = createMainWindow(PRELOAD, c.logger);
    const crashGuard = new CrashLoopGuard({ maxCrashes: 3, windowMs: 60_000 });
    const attach = (w: BrowserWindow) => {
      w.on('close', (event) => {
        // Closing hides to the tray: an agent must not miss calls by closing the window.
        if (!quitting) {
          event.preventDefault();
          w.hide();
        }
      });
      w.webContents.on('render-process-gone', (_e, details) => {
        c.logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
        if (details.reason === 'clean-exit') return;
        const delay = crashGuard.recordCrash(Date.now());
        // Drafts are restored from the local database when the page loads again.
        setTimeout(() => {
          if (!w.isDestroyed()) w.webContents.reload();
        }, delay);
      });
      w.webContents.on('unresponsive', () => c.logger.warn('renderer unresponsive'));
    };
    attach(win);

    powerMonitor.on('resume', () => c.emit(workstationApi.shell.onResume, { at: Date.now() }));
    app.on('activate', () => revealWindow(win));
  });

  app.on('will-quit', () => core?.dispose());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
