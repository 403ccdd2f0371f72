/**
 * One call's wait in the queue — a queue entry — from the moment the call distribution takes the
 * call for the queue until it leaves it: answered by an agent, abandoned by the caller, or given
 * up on after the longest wait allowed (overflowed to another line, or counted abandoned).
 *
 *                  offer(agent)                 answer
 *   waiting ──────────────────────► offered ──────────────► answered
 *     ▲                                │
 *     └── noAnswer / offerFailed ──────┘  (the distribution sets that agent Not ready:
 *                                           the next offer goes to another)
 *
 *   waiting | offered ── callerHangup ──────────────────────► abandoned (callerHangup)
 *   waiting ── maxWait ── with an overflow target ──────────► overflowed
 *                      └─ without ───────────────────────────► abandoned (maxWait)
 *
 * `maxWait` does not apply while an agent's phone rings (offered): the offer is decided first, by
 * `answer` or by `noAnswer`/`offerFailed`, and the distribution gives up on the next wait.
 * Invalid events are refused (undefined), so a late or repeated event never moves an entry back:
 * an answer after the caller hung up, a second offer of an offered call, anything after it left.
 */

export type QueueEntryState =
  | { readonly kind: 'waiting'; readonly callId: string; readonly line: string; readonly enqueuedAt: number; readonly since: number; readonly offers: number }
  | { readonly kind: 'offered'; readonly callId: string; readonly line: string; readonly enqueuedAt: number; readonly since: number; readonly offers: number; readonly agentId: string }
  | { readonly kind: 'answered'; readonly callId: string; readonly line: string; readonly enqueuedAt: number; readonly since: number; readonly offers: number; readonly agentId: string }
  | {
      readonly kind: 'abandoned';
      readonly callId: string;
      readonly line: string;
      readonly enqueuedAt: number;
      readonly since: number;
      readonly offers: number;
      readonly reason: 'callerHangup' | 'maxWait';
          /** The caller hung up while an agent's phone was ringing. */
      readonly whileOffered?: boolean;
    }
  | { readonly kind: 'overflowed'; readonly callId: string; readonly line: string; readonly enqueuedAt: number; readonly since: number; readonly offers: number; readonly target: string };

export type QueueEntryEvent =
  | { readonly type: 'offer'; readonly agentId: string }
  | { readonly type: 'answer' }
  | { readonly type: 'noAnswer' }
  | { readonly type: 'offerFailed' }
  | { readonly type: 'callerHangup' }
  | { readonly type: 'maxWait'; readonly overflowTo?: string };

/** A call taken into the queue for `line` (the number dialled) at `now`. */
export function enqueued(callId: string, line: string, now: number): QueueEntryState {
  return { kind: 'waiting', callId, line, enqueuedAt: now, since: now, offers: 0 };
}

/** Whether the entry has left the queue (no event applies any more). */
export function hasLeft(s: QueueEntryState): boolean {
  return s.kind === 'answered' || s.kind === 'abandoned' || s.kind === 'overflowed';
}

/** The next state, or undefined when the event does not apply in this state. */
export function transition(s: QueueEntryState, e: QueueEntryEvent, now: number): QueueEntryState | undefined {
  const base = { callId: s.callId, line: s.line, enqueuedAt: s.enqueuedAt, since: now, offers: s.offers };
  switch (s.kind) {
    case 'waiting':
      switch (e.type) {
        case 'offer':
          return e.agentId === '' ? undefined : { ...base, kind: 'offered', offers: s.offers + 1, agentId: e.agentId };
        case 'callerHangup':
          return { ...base, kind: 'abandoned', reason: 'callerHangup' };
        case 'maxWait':
          return e.overflowTo ? { ...base, kind: 'overflowed', target: e.overflowTo } : { ...base, kind: 'abandoned', reason: 'maxWait' };
        default:
          return undefined;
      }
    case 'offered':
      switch (e.type) {
        case 'answer':
          return { ...base, kind: 'answered', agentId: s.agentId };
        case 'noAnswer':
        case 'offerFailed':
          return { ...base, kind: 'waiting' };
        case 'callerHangup':
          return { ...base, kind: 'abandoned', reason: 'callerHangup', whileOffered: true };
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}
