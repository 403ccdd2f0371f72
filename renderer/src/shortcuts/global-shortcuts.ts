/**
 * What a global shortcut does when main reports its press. They work while another application
 * has focus (the agent may be typing in another system), so they act on the focused call directly.
 */
import { bridge } from '../ipc/bridge';
import { createRendererLogger } from '../logging/logger';
import { toggleReady } from '../agent/agent-store';
import { focusedCall, useCallStore } from '../phone/call-store';
import { sipService } from '../phone/sip-service';

const log = createRendererLogger('shortcuts');

/** Follows the global shortcut presses; returns the unsubscribe function. */
export function followGlobalShortcuts(): () => void {
  return bridge().shortcuts.onTriggered(({ action }) => {
    const call = focusedCall(useCallStore.getState())?.state;
    const lines = sipService.lines;
    if (action === 'toggleReady') toggleReady();
    else if (action === 'answer') void lines.answer();
    else if (action === 'hangup') void lines.hangup();
    else if (action === 'hold') void lines.setHold(call?.kind !== 'held');
    else if (action === 'mute') lines.setMuted(!(call && 'muted' in call && call.muted));
    else log.debug('unhandled shortcut', { action });
  });
}
