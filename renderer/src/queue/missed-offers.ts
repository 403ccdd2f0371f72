/**
 * A call offered to this seat that stopped ringing unanswered may have been taken back by the
 * call distribution, which then sets the agent Not ready: main asks the platform at once (rather
 * than at the next heartbeat), so the agent is told within a moment why they are Not ready.
 */
import type { CallView } from '../phone/call-store';
import { bridge, call } from '../ipc/bridge';

interface CallSource {
  onCall(listener: (call: CallView, phase: 'started' | 'ended') => void): () => void;
}

export function followMissedOffers(lines: CallSource): () => void {
  return lines.onCall((c, phase) => {
    if (phase !== 'ended' || c.state.kind !== 'ended' || c.state.direction !== 'inbound' || c.state.answeredAt !== undefined) return;
    void call(bridge().queue.refresh()).catch(() => undefined);
  });
}
