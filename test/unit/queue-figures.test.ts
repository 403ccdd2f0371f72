/**
 * The queue's figures (shared/queue/figures.ts) over a small shift whose every number is worked
 * out by hand below: answered within and past 15 s, abandons short and long, a wait given up on,
 * an overflow, calls still waiting, handle and wrap-up times, per dialled line and per window.
 */
import { describe, expect, it } from 'vitest';
import { ANSWER_TARGET_MS, SHORT_ABANDON_MS, queueFigures, queueFiguresByLine, waitOf, type QueueCall } from '../../shared/queue/figures';
import { enqueued, transition, type QueueEntryEvent, type QueueEntryState } from '../../shared/queue/queue-entry';

const S = 1_000;
const SHIFT = 8 * 3_600 * S;

/** A call's entry driven through the machine: [event, at] in order. */
function entry(callId: string, line: string, at: number, steps: [QueueEntryEvent, number][]): QueueEntryState {
  let s = enqueued(callId, line, SHIFT + at);
  for (const [e, t] of steps) {
    const next = transition(s, e, SHIFT + t);
    if (!next) throw new Error(`${callId}: ${e.type} refused in ${s.kind}`);
    s = next;
  }
  return s;
}
const offer = (agentId: string): QueueEntryEvent => ({ type: 'offer', agentId });
const answer: QueueEntryEvent = { type: 'answer' };
const hangup: QueueEntryEvent = { type: 'callerHangup' };

const CALLS: QueueCall[] = [
  // 12345: answered after 10 s (within), talk 120 s, wrap 30 s.
  { entry: entry('a', '12345', 0, [[offer('x'), 8 * S], [answer, 10 * S]]), talkEndedAt: SHIFT + 130 * S, wrapEndedAt: SHIFT + 160 * S },
  // 12345: exactly 15 s (within), one agent let it ring out first; talk 60 s, wrap 20 s.
  { entry: entry('b', '12345', 100 * S, [[offer('x'), 101 * S], [{ type: 'noAnswer' }, 111 * S], [offer('y'), 112 * S], [answer, 115 * S]]), talkEndedAt: SHIFT + 175 * S, wrapEndedAt: SHIFT + 195 * S },
  // 12345: answered after 40 s (past 15 s), still talking: no handle time yet.
  { entry: entry('c', '12345', 200 * S, [[offer('y'), 238 * S], [answer, 240 * S]]) },
  // 12345: the caller hung up after 3 s: a short abandon.
  { entry: entry('d', '12345', 300 * S, [[hangup, 303 * S]]) },
  // 12345: the caller hung up after 30 s while an agent's phone rang: abandoned.
  { entry: entry('e', '12345', 400 * S, [[offer('x'), 420 * S], [hangup, 430 * S]]) },
  // 12366: the longest wait (120 s) passed, overflowed to 12315.
  { entry: entry('f', '12366', 500 * S, [[{ type: 'maxWait', overflowTo: '12315' }, 620 * S]]) },
  // 12366: the longest wait passed with nowhere to go: abandoned after 120 s.
  { entry: entry('g', '12366', 700 * S, [[{ type: 'maxWait' }, 820 * S]]) },
  // 12366: answered after 5 s; talk 100 s, wrap 0.
  { entry: entry('h', '12366', 900 * S, [[offer('z'), 902 * S], [answer, 905 * S]]), talkEndedAt: SHIFT + 1_005 * S, wrapEndedAt: SHIFT + 1_005 * S },
  // Waiting now (since 1,900 s), and ringing an agent now (since 1,950 s).
  { entry: entry('i', '12345', 1_900 * S, []) },
  { entry: entry('j', '12366', 1_950 * S, [[offer('z'), 1_990 * S]]) },
];
const NOW = SHIFT + 2_000 * S;
const WHOLE = { from: SHIFT, to: NOW + 1, now: NOW };

describe('queue figures', () => {
  it('are defined as GB/T 33358 reads: 15 s to answer; a hang-up within 5 s is a short abandon', () => {
    expect(ANSWER_TARGET_MS).toBe(15_000);
    expect(SHORT_ABANDON_MS).toBe(5_000);
  });

  it('count the shift by hand: offered leaves the short abandon out, rates are over the offered calls', () => {
    const f = queueFigures(CALLS, WHOLE);
    // answered a b c h; abandoned e g; overflowed f; short abandon d; waiting i j.
    expect(f).toMatchObject({ offered: 7, answered: 4, answeredWithinTarget: 3, abandoned: 2, shortAbandoned: 1, overflowed: 1, waiting: 2 });
    expect(f.answerRate).toBeCloseTo(4 / 7);
    expect(f.withinTargetRate).toBeCloseTo(3 / 7);
    expect(f.abandonRate).toBeCloseTo(2 / 7);
    // Waits of the answered: 10, 15, 40, 5 s.
    expect(f.averageWaitMs).toBe(((10 + 15 + 40 + 5) / 4) * S);
    // Longest: f and g waited 120 s; i waits 100 s now, j 50 s.
    expect(f.longestWaitMs).toBe(120 * S);
    // Handled and wrapped up: a (120 + 30), b (60 + 20), h (100 + 0); c is still talking.
    expect(f.averageHandleMs).toBe(((150 + 80 + 100) / 3) * S);
    expect(f.averageWrapMs).toBe(((30 + 20 + 0) / 3) * S);
  });

  it('hold the calls that left in the window; the calls waiting now count in any window', () => {
    // 0–200 s: a (left at 10 s) and b (115 s) only.
    const first = queueFigures(CALLS, { from: SHIFT, to: SHIFT + 200 * S, now: NOW });
    expect(first).toMatchObject({ offered: 2, answered: 2, answeredWithinTarget: 2, abandoned: 0, waiting: 2, withinTargetRate: 1 });
    // i has waited 100 s now: longer than a or b.
    expect(first.longestWaitMs).toBe(100 * S);
    // The last 15 minutes (1,100 s – 2,000 s): nothing left the queue.
    const last = queueFigures(CALLS, { from: NOW - 900 * S, to: NOW + 1, now: NOW });
    expect(last).toMatchObject({ offered: 0, answered: 0, waiting: 2, answerRate: null, withinTargetRate: null, abandonRate: null, averageWaitMs: null, averageHandleMs: null, longestWaitMs: 100 * S });
    expect(waitOf(CALLS[8]!.entry, NOW)).toBe(100 * S);
  });

  it('per dialled line, each line’s own calls', () => {
    const byLine = queueFiguresByLine(CALLS, WHOLE);
    expect(Object.keys(byLine)).toEqual(['12345', '12366']);
    expect(byLine['12345']).toMatchObject({ offered: 4, answered: 3, answeredWithinTarget: 2, abandoned: 1, shortAbandoned: 1, overflowed: 0, waiting: 1 });
    expect(byLine['12366']).toMatchObject({ offered: 3, answered: 1, answeredWithinTarget: 1, abandoned: 1, overflowed: 1, waiting: 1, longestWaitMs: 120 * S });
  });

  it('a hang-up at exactly 5 s is abandoned, not short; an answer at 15.001 s is past the target', () => {
    const edge = [
      { entry: entry('k', '12345', 0, [[hangup, 5 * S]]) },
      { entry: entry('l', '12345', 0, [[offer('x'), 1 * S], [answer, 15 * S + 1]]) },
    ];
    expect(queueFigures(edge, WHOLE)).toMatchObject({ offered: 2, abandoned: 1, shortAbandoned: 0, answered: 1, answeredWithinTarget: 0 });
  });
});
