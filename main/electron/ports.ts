/** Electron implementations of the core's edge ports. */
import { Menu, Notification, Tray, globalShortcut, nativeImage, powerSaveBlocker, safeStorage, type BrowserWindow } from 'electron';
import type { ShellPorts } from '../core';
import type { Encryptor } from '../secrets/secret-store';
import type { TrayView } from '../shell/tray-presenter';
import { revealWindow } from './window';

export function safeStorageEncryptor(): Encryptor {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (cipher) => safeStorage.decryptString(cipher),
    protection: () => {
      if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
      if (process.platform === 'linux') {
        const backend = safeStorage.getSelectedStorageBackend();
        if (backend === 'basic_text' || backend === 'unknown') return 'weak';
      }
      return 'os';
    },
  };
}

export interface ElectronPortsOptions {
  window: () => BrowserWindow | undefined;
  onTrayStateRequest: (state: 'ready' | 'notReady') => void;
  onQuit: () => void;
}

export function electronPorts(options: ElectronPortsOptions): ShellPorts {
  let tray: Tray | undefined;
  return {
    focusWindow: () => revealWindow(options.window()),
    notify: ({ title, body, urgency, focusOnClick }) => {
      if (!Notification.isSupported()) return false;
      const n = new Notification({ title, body, urgency, silent: false });
      if (focusOnClick) n.on('click', () => revealWindow(options.window()));
      n.show();
      return true;
    },
    showTray: (view: TrayView) => {
      const image = nativeImage.createFromBuffer(view.icon);
      if (!tray) {
        tray = new Tray(image);
        tray.on('click', () => revealWindow(options.window()));
      } else {
        tray.setImage(image);
      }
      tray.setToolTip(view.tooltip);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: view.menu.show, click: () => revealWindow(options.window()) },
          { type: 'separator' },
          { label: view.menu.ready, click: () => options.onTrayStateRequest('ready') },
          { label: view.menu.notReady, click: () => options.onTrayStateRequest('notReady') },
          { type: 'separator' },
          { label: view.menu.quit, click: options.onQuit },
        ]),
      );
    },
    powerSaveBlocker: {
      start: (type) => powerSaveBlocker.start(type),
      stop: (id) => powerSaveBlocker.stop(id),
    },
    globalShortcut: {
      register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
    },
  };
}
