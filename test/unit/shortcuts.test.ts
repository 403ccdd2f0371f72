import { describe, expect, it } from 'vitest';
import { ShortcutRegistry } from '../../main/shortcuts/shortcut-registry';
import { checkAccelerator } from '../../shared/shortcuts/accelerator';
import { defaultSettings, type ShortcutAction } from '../../shared/settings/schema';
import { recordingPorts } from '../../e2e/support/edge-ports';
import { shortcutsService } from '../../main/shortcuts/service';
import type { ServiceContext } from '../../main/ipc/service';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { openSettings } from '../helpers/settings';
import { tmpDir } from '../helpers/tmp';

describe('accelerators', () => {
  it.each([
    ['CmdOrCtrl+Shift+a', 'CommandOrControl+Shift+A'],
    ['shift+ctrl+F9', 'Control+Shift+F9'],
    ['F12', 'F12'],
    ['Alt+Enter', 'Alt+Return'],
    ['Ctrl++', 'Control+Plus'],
  ])('%s → %s', (input, normalized) => {
    expect(checkAccelerator(input)).toEqual({ ok: true, normalized });
  });
  it.each(['', 'A', 'Ctrl+', 'Hyper+A', 'Ctrl+Ctrl+A', 'Ctrl+Banana', 'x'.repeat(70)])('rejects %j', (input) => {
    expect(checkAccelerator(input).ok).toBe(false);
  });
});

describe('global shortcut registry', () => {
  it('registers every action and fires the right one', () => {
    const ports = recordingPorts();
    const fired: ShortcutAction[] = [];
    const registry = new ShortcutRegistry(ports.globalShortcut, (a) => fired.push(a));
    const bindings = registry.apply(defaultSettings().shortcuts);
    expect(bindings.every((b) => b.registered && !b.problem)).toBe(true);
    expect(ports.press('CommandOrControl+Shift+H')).toBe(true);
    expect(fired).toEqual(['hangup']);
  });

  it('reports invalid, duplicate and taken accelerators instead of dropping them', () => {
    const ports = recordingPorts({ takenAccelerators: ['Control+Alt+M'] });
    const registry = new ShortcutRegistry(ports.globalShortcut, () => undefined);
    const bindings = registry.apply({ answer: 'F9', hangup: 'f9', mute: 'Ctrl+Alt+M', hold: 'Ctrl+Nope', toggleReady: '', searchKnowledge: 'CommandOrControl+Shift+K' });
    const by = Object.fromEntries(bindings.map((b) => [b.action, b]));
    expect(by.answer).toMatchObject({ registered: true });
    expect(by.hangup).toMatchObject({ registered: false, problem: 'duplicate', conflictsWith: 'answer' });
    expect(by.mute).toMatchObject({ registered: false, problem: 'takenByOtherApp' });
    expect(by.hold).toMatchObject({ registered: false, problem: 'invalid' });
    expect(by.toggleReady).toEqual({ action: 'toggleReady', accelerator: '', registered: false });
  });

  it('releases old keys when re-applied and on dispose', () => {
    const ports = recordingPorts();
    const registry = new ShortcutRegistry(ports.globalShortcut, () => undefined);
    registry.apply(defaultSettings().shortcuts);
    registry.apply({ ...defaultSettings().shortcuts, answer: 'F10' });
    expect(ports.record.shortcuts.has('CommandOrControl+Shift+A')).toBe(false);
    expect(ports.record.shortcuts.has('F10')).toBe(true);
    registry.dispose();
    expect(ports.record.shortcuts.size).toBe(0);
  });
});

describe('shortcuts service', () => {
  /** The service on fake desktop ports; `seen` has the window reveals and the events in order. */
  function setup() {
    const ports = recordingPorts();
    const seen: string[] = [];
    const ctx = {
      logger: createLogger(new MemorySink()),
      settings: openSettings(tmpDir()).service,
      emit: (def: { channel: string }, payload: unknown) => seen.push(`${def.channel} ${JSON.stringify(payload)}`),
    } as unknown as ServiceContext;
    const service = shortcutsService(ctx, {
      globalShortcut: ports.globalShortcut,
      focusWindow: () => {
        ports.focusWindow();
        seen.push('focusWindow');
      },
    });
    return { ports, seen, service };
  }

  it('brings the window forward for the knowledge search, then tells the renderer', () => {
    const { ports, seen, service } = setup();
    expect(ports.press('CommandOrControl+Shift+K')).toBe(true);
    expect(seen).toEqual(['focusWindow', 'shortcuts:triggered {"action":"searchKnowledge"}']);
    expect(ports.record.focusCount).toBe(1);
    service.dispose?.();
    expect(ports.record.shortcuts.size).toBe(0);
  });

  it('leaves the window where it is for call control', () => {
    const { ports, seen } = setup();
    for (const keys of ['CommandOrControl+Shift+A', 'CommandOrControl+Shift+H', 'CommandOrControl+Shift+M', 'CommandOrControl+Shift+P', 'CommandOrControl+Shift+R']) {
      ports.press(keys);
    }
    expect(ports.record.focusCount).toBe(0);
    expect(seen.map((s) => s.split(' ')[1])).toEqual(['{"action":"answer"}', '{"action":"hangup"}', '{"action":"mute"}', '{"action":"hold"}', '{"action":"toggleReady"}']);
  });
});
