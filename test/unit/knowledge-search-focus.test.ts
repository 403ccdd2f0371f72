/**
 * The searchKnowledge shortcut puts the cursor in the knowledge search: the hand-off between the
 * panel (renderer/src/knowledge/search-focus.ts) and the shortcuts (global-shortcuts.ts), pressed
 * globally (main's event) and inside the window (the same keys).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../shared/settings/schema';

const lines = vi.hoisted(() => ({ answer: vi.fn(), hangup: vi.fn(), setHold: vi.fn(), setMuted: vi.fn() }));
// The softphone (SIP.js) is not needed to see which action a press runs.
vi.mock('../../renderer/src/phone/sip-service', () => ({ sipService: { lines } }));

type Listener = (e: KeyboardEvent) => void;
const keyListeners = new Set<Listener>();
let triggered: ((e: { action: string }) => void) | undefined;
vi.stubGlobal('window', {
  workstation: {
    logging: { write: () => Promise.resolve({ ok: true, value: null }) },
    shortcuts: {
      onTriggered: (fn: (e: { action: string }) => void) => {
        triggered = fn;
        return () => (triggered = undefined);
      },
    },
  },
  addEventListener: (_type: string, fn: Listener) => keyListeners.add(fn),
  removeEventListener: (_type: string, fn: Listener) => keyListeners.delete(fn),
});

const { focusKnowledgeSearch, registerSearchFocus } = await import('../../renderer/src/knowledge/search-focus');
const { followGlobalShortcuts, runShortcut } = await import('../../renderer/src/shortcuts/global-shortcuts');
const { useSettingsStore } = await import('../../renderer/src/settings/settings-store');

/** Each test presses at its own time: the same-press guard (300 ms) never joins two tests' presses. */
let clock = 1_000_000;
const later = () => (clock += 10_000);

describe('knowledge search focus', () => {
  it('is false while no panel has registered', () => {
    expect(focusKnowledgeSearch()).toBe(false);
  });

  it('calls what the panel registered, until it unregisters', () => {
    const focus = vi.fn();
    const off = registerSearchFocus(focus);
    expect(focusKnowledgeSearch()).toBe(true);
    expect(focus).toHaveBeenCalledTimes(1);
    off();
    expect(focusKnowledgeSearch()).toBe(false);
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('keeps a newer registration when an older one is taken back (a panel mounted again)', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = registerSearchFocus(first);
    const offSecond = registerSearchFocus(second);
    offFirst();
    expect(focusKnowledgeSearch()).toBe(true);
    expect(second).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
    offSecond();
  });
});

describe('the searchKnowledge shortcut', () => {
  const focus = vi.fn();
  let off: () => void;
  beforeEach(() => {
    focus.mockClear();
    for (const fn of Object.values(lines)) fn.mockClear();
    off = registerSearchFocus(focus);
  });
  afterEach(() => off());

  it('focuses the knowledge search and touches no call', () => {
    runShortcut('searchKnowledge', later());
    expect(focus).toHaveBeenCalledTimes(1);
    for (const fn of Object.values(lines)) expect(fn).not.toHaveBeenCalled();
  });

  it('does nothing (and does not throw) when the panel is not on screen', () => {
    off();
    expect(() => runShortcut('searchKnowledge', later())).not.toThrow();
    expect(focus).not.toHaveBeenCalled();
  });

  it('acts once when the global press and the same keys in the window arrive together', () => {
    const at = later();
    runShortcut('searchKnowledge', at);
    runShortcut('searchKnowledge', at + 50);
    expect(focus).toHaveBeenCalledTimes(1);
  });

  it('runs from main’s event and from Ctrl+Shift+K in the window', () => {
    useSettingsStore.setState({ settings: defaultSettings() });
    const stop = followGlobalShortcuts();
    try {
      vi.useFakeTimers({ now: later() });
      triggered?.({ action: 'searchKnowledge' });
      expect(focus).toHaveBeenCalledTimes(1);
      vi.setSystemTime(later());
      const press = { key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, repeat: false, preventDefault: vi.fn() };
      for (const fn of keyListeners) fn(press as unknown as KeyboardEvent);
      expect(focus).toHaveBeenCalledTimes(2);
      expect(press.preventDefault).toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
      stop();
    }
    expect(keyListeners.size).toBe(0);
  });
});
