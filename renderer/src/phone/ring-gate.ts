/**
 * What the workstation shows of a ringing call before its ring, its notification and the
 * preparation of its answer start. The agent's first look at a ringing call is the call and who
 * is calling (the screen-pop, which the orders domain registers here); the ringer's audio devices
 * and the WebRTC answer work are heavy on the main thread and follow it by a few milliseconds.
 *
 * Bounded: whatever registered, the ring starts at most RING_GATE_MAX_MS after the ringing call
 * was painted; a hidden window (no frames to wait for) does not wait at all.
 */
import { within } from '../ui/timing';

/** Resolves when what it shows for this call is on screen (or it has nothing for it). */
export type RingWaiter = (callId: string) => Promise<void>;

export const RING_GATE_MAX_MS = 80;

const waiters = new Set<RingWaiter>();

/** Hold the ring of each call until `waiter` resolves for it; returns the unregister function. */
export function holdRingFor(waiter: RingWaiter): () => void {
  waiters.add(waiter);
  return () => waiters.delete(waiter);
}

/** Resolves when every registered waiter is done with this call, or after `maxMs`. */
export function ringGate(callId: string, maxMs: number = RING_GATE_MAX_MS, hidden: boolean = typeof document !== 'undefined' && document.hidden): Promise<void> {
  if (waiters.size === 0 || hidden) return Promise.resolve();
  const all = Promise.all([...waiters].map((w) => w(callId).catch(() => undefined)));
  return within(all, maxMs).then(() => undefined);
}
