/** The workstation window and the guards on its web contents. */
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ENTRY_URL, isExternalUrlAllowed, isNavigationAllowed, secureWebPreferences } from '../security/baseline';
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

export function hardenWebContents(contents: WebContents, logger: Logger): void {
  contents.on('will-navigate', (event, url) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      logger.warn('navigation denied', { scheme: safeScheme(url) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isNavigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalUrlAllowed(url)) void shell.openExternal(url);
    else logger.warn('window.open denied', { scheme: safeScheme(url) });
    return { action: 'deny' };
  });
}

/** Bring the window to the agent: restore from minimised or tray, show, focus. */
export function revealWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
  win.moveTop();
}

function safeScheme(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}
