/** The workstation window and the guards on its web contents. */
import { BrowserWindow, shell } from 'electron';
import { APP_ENTRY_URL, secureWebPreferences } from '../security/baseline';
import { guardWebContents, type GuardableWebContents } from './guards';
import type { Logger } from '../logging/logger';

export function createMainWindow(preloadPath: string, logger: Logger): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    show: false,
    title: '12345 坐席工作台',
    backgroundColor: '#f5f5f5',
    webPreferences: secureWebPreferences(preloadPath),
  });
  hardenWebContents(win.webContents, logger);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

/** Installs the navigation, <webview> and window-open guards (./guards.ts) on `contents`. */
export function hardenWebContents(contents: GuardableWebContents, logger: Logger): void {
  guardWebContents(contents, { logger, openExternal: (url) => shell.openExternal(url) });
}

/** Bring the window to the agent: restore from minimised or tray, show, focus. */
export function revealWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  win.moveTop();
}
