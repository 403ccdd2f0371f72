/**
 * What a shortcut does: pressed anywhere (a global shortcut reported by main, which works while
 * another application has focus — the agent may be typing in another system) or in this window
 * (the same accelerators from the settings, handled in the page, so they also work where there
 * are no global shortcuts). Call control acts on the focused call directly; searchKnowledge puts
 * the cursor in the knowledge search (main has already brought the window forward).
 */
import { bridge } from '../ipc/bridge';
import { createRendererLogger } from '../logging/logger';
import { toggleReady } from '../agent/agent-store';
import { focusKnowledgeSearch } from '../knowledge/search-focus';
import { focusedCall, useCallStore } from '../phone/call-store';
import { sipService } from '../phone/sip-service';
import { useSettingsStore } from '../settings/settings-store';
import { SHORTCUT_ACTIONS, type ShortcutAction } from '../../../shared/settings/schema';
import { matchesAccelerator, type ShortcutPlatform } from '../../../shared/shortcuts/format';

const log = createRendererLogger('shortcuts');

/** The platform for the agent's notation and for which key CommandOrControl means. */
export const shortcutPlatform: ShortcutPlatform = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform) ? 'mac' : 'other';

// One press may reach both ways (a global shortcut while the window has focus): acted on once.
const SAME_PRESS_MS = 300;
const lastRun = new Map<string, number>();

export function runShortcut(action: string, now = Date.now()): void {
  if (now - (lastRun.get(action) ?? -Infinity) < SAME_PRESS_MS) return;
  lastRun.set(action, now);
  const call = focusedCall(useCallStore.getState())?.state;
  const lines = sipService.lines;
  if (action === 'toggleReady') toggleReady();
  else if (action === 'answer') void lines.answer();
  else if (action === 'hangup') void lines.hangup();
  else if (action === 'hold') void lines.setHold(call?.kind !== 'held');
  else if (action === 'mute') lines.setMuted(!(call && 'muted' in call && call.muted));
  else if (action === 'searchKnowledge') {
    if (!focusKnowledgeSearch()) log.debug('no knowledge search on screen');
  } else log.debug('unhandled shortcut', { action });
}

/** The action a keydown in the window stands for, if any. */
function windowAction(e: KeyboardEvent): ShortcutAction | undefined {
  const shortcuts = useSettingsStore.getState().settings?.shortcuts;
  if (!shortcuts || e.repeat) return undefined;
  return SHORTCUT_ACTIONS.find((a) => matchesAccelerator(shortcuts[a], e, shortcutPlatform));
}

/** Follows global shortcut presses and the same keys in this window; returns the unsubscribe function. */
export function followGlobalShortcuts(): () => void {
  const off = bridge().shortcuts.onTriggered(({ action }) => runShortcut(action));
  const onKey = (e: KeyboardEvent) => {
    const action = windowAction(e);
    if (!action) return;
    e.preventDefault();
    runShortcut(action);
  };
  window.addEventListener('keydown', onKey, true);
  return () => {
    off();
    window.removeEventListener('keydown', onKey, true);
  };
}
