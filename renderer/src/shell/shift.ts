/**
 * The shift follows the session. Signing out ends it: the agent goes offline and the finished
 * calls still on screen (the last caller, the redial number) leave with them — the next agent to
 * sign in on this seat starts clean, Not ready. Each data domain follows the session on its own
 * too (orders: orders-store; knowledge: knowledge-store).
 */
import { endShift, startShift } from '../agent/agent-store';
import { getEmptyCallState, hasLiveCall, useCallStore } from '../phone/call-store';
import { useSessionStore } from '../session/session-store';

export function followShift(): () => void {
  let signedIn: boolean | undefined;
  const apply = (state: string | undefined) => {
    if (state === undefined) return;
    const now = state !== 'signedOut';
    if (now === signedIn) return;
    signedIn = now;
    if (now) return startShift();
    endShift();
    // The softphone hangs up and unregisters as the shell goes; what is left on screen is history.
    if (!hasLiveCall(useCallStore.getState())) useCallStore.setState(getEmptyCallState(), true);
  };
  apply(useSessionStore.getState().status?.state);
  return useSessionStore.subscribe((s) => apply(s.status?.state));
}
