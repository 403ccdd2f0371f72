/**
 * Recording implementations of the Electron edge (window, tray, notifications, power, global
 * shortcuts) for the Chromium bridge. Tests read what the core asked the desktop to do.
 */
import type { ShellPorts } from '../../main/core';
import type { TrayView } from '../../main/shell/tray-presenter';

export interface RecordingPorts extends ShellPorts {
  readonly record: {
    focusCount: number;
    notifications: { title: string; body: string }[];
    tray: Omit<TrayView, 'icon'>[];
    blockers: Set<number>;
    shortcuts: Map<string, () => void>;
  };
  /** Press a registered global shortcut as the OS would. */
  press(accelerator: string): boolean;
}

export function recordingPorts(options: { takenAccelerators?: string[] } = {}): RecordingPorts {
  const taken = new Set(options.takenAccelerators ?? []);
  let nextBlocker = 1;
  const record: RecordingPorts['record'] = {
    focusCount: 0,
    notifications: [],
    tray: [],
    blockers: new Set(),
    shortcuts: new Map(),
  };
  return {
    record,
    focusWindow: () => {
      record.focusCount++;
    },
    notify: ({ title, body }) => {
      record.notifications.push({ title, body });
      return true;
    },
    showTray: ({ icon: _icon, ...view }) => {
      record.tray.push(view);
    },
    powerSaveBlocker: {
      start: () => {
        const id = nextBlocker++;
        record.blockers.add(id);
        return id;
      },
      stop: (id) => {
        record.blockers.delete(id);
      },
    },
    globalShortcut: {
      register: (accelerator, callback) => {
        if (taken.has(accelerator) || record.shortcuts.has(accelerator)) return false;
        record.shortcuts.set(accelerator, callback);
        return true;
      },
      unregister: (accelerator) => {
        record.shortcuts.delete(accelerator);
      },
    },
    press(accelerator) {
      const cb = record.shortcuts.get(accelerator);
      cb?.();
      return !!cb;
    },
  };
}
