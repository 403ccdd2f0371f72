/**
 * The queue's figures, defined once and computed the same way everywhere (the platform, the lead's
 * view, tests that check them against the raw events). GB/T 33358 asks 12345 to answer within
 * 15 seconds and to keep the answer rate at or above 95 %.
 *
 * Definitions (times in epoch ms; an entry is one call's wait, see queue-entry.ts):
 * - **Wait**: from the moment the call distribution took the call for the queue (`enqueuedAt`) to
 *   the moment it left it — answered, abandoned or overflowed (`since` of that state). A call still
 *   waiting has waited until now.
 * - **Answered within 15 s**: answered with a wait of at most 15,000 ms.
 * - **Short abandon**: the caller hung up after waiting less than 5,000 ms (a misdial, a caller who
 *   changed their mind): counted apart, in neither the offered nor the abandoned calls.
 * - **Abandoned**: the caller hung up while waiting or while an agent's phone rang (not a short
 *   abandon), or the longest wait allowed passed with no line to overflow to.
 * - **Offered**: answered + abandoned + overflowed — the calls that left the queue, short abandons
 *   left out. Rates are over the offered calls: answer rate, 15-second answer rate, abandon rate
 *   (null while nothing was offered).
 * - **Handle time** of an answered call: talk (answer → hang-up) plus wrap-up (hang-up → the agent
 *   ends after-call work); averaged over the calls whose wrap-up has ended.
 * - **A window** (the shift, the last 15 minutes) holds the calls that left the queue in it; the
 *   longest wait also counts the calls waiting now.
 */
import { hasLeft, type QueueEntryState } from './queue-entry';

export const ANSWER_TARGET_MS = 15_000;
export const SHORT_ABANDON_MS = 5_000;

/** A call as the figures read it: its queue entry (current or final) and, once answered, its handling. */
export interface QueueCall {
  readonly entry: QueueEntryState;
  /** The answered call ended (hang-up on either side). */
  readonly talkEndedAt?: number;
  /** The agent ended wrap-up (after-call work) of this call. */
  readonly wrapEndedAt?: number;
}

export interface QueueFigures {
  readonly offered: number;
  readonly answered: number;
  readonly answeredWithinTarget: number;
  readonly abandoned: number;
  readonly shortAbandoned: number;
  readonly overflowed: number;
  /** Calls waiting now (whatever the window). */
  readonly waiting: number;
  readonly answerRate: number | null;
  readonly withinTargetRate: number | null;
  readonly abandonRate: number | null;
  /** Average wait of the answered calls (average speed of answer); null when none. */
  readonly averageWaitMs: number | null;
  /** The longest wait of the calls that left in the window and of those waiting now; 0 when none. */
  readonly longestWaitMs: number;
  readonly averageHandleMs: number | null;
  readonly averageWrapMs: number | null;
}

export interface FiguresWindow {
  readonly from: number;
  readonly to: number;
  readonly now: number;
}

/** How long the entry waited (until now while it still waits). */
export function waitOf(entry: QueueEntryState, now: number): number {
  return (hasLeft(entry) ? entry.since : now) - entry.enqueuedAt;
}

export function isShortAbandon(entry: QueueEntryState): boolean {
  return entry.kind === 'abandoned' && entry.reason === 'callerHangup' && entry.since - entry.enqueuedAt < SHORT_ABANDON_MS;
}

const rate = (n: number, of: number) => (of === 0 ? null : n / of);
const average = (values: readonly number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

export function queueFigures(calls: readonly QueueCall[], window: FiguresWindow): QueueFigures {
  let answered = 0;
  let withinTarget = 0;
  let abandoned = 0;
  let shortAbandoned = 0;
  let overflowed = 0;
  let waiting = 0;
  let longest = 0;
  const answeredWaits: number[] = [];
  const handles: number[] = [];
  const wraps: number[] = [];
  for (const { entry, talkEndedAt, wrapEndedAt } of calls) {
    if (!hasLeft(entry)) {
      // Waiting or ringing an agent: in the queue now, whatever the window.
      waiting += 1;
      longest = Math.max(longest, waitOf(entry, window.now));
      continue;
    }
    if (entry.since < window.from || entry.since >= window.to) continue;
    const wait = waitOf(entry, window.now);
    if (isShortAbandon(entry)) {
      shortAbandoned += 1;
      continue;
    }
    longest = Math.max(longest, wait);
    if (entry.kind === 'answered') {
      answered += 1;
      answeredWaits.push(wait);
      if (wait <= ANSWER_TARGET_MS) withinTarget += 1;
      if (talkEndedAt !== undefined && wrapEndedAt !== undefined && talkEndedAt >= entry.since && wrapEndedAt >= talkEndedAt) {
        handles.push(wrapEndedAt - entry.since);
        wraps.push(wrapEndedAt - talkEndedAt);
      }
    } else if (entry.kind === 'abandoned') abandoned += 1;
    else overflowed += 1;
  }
  const offered = answered + abandoned + overflowed;
  return {
    offered,
    answered,
    answeredWithinTarget: withinTarget,
    abandoned,
    shortAbandoned,
    overflowed,
    waiting,
    answerRate: rate(answered, offered),
    withinTargetRate: rate(withinTarget, offered),
    abandonRate: rate(abandoned, offered),
    averageWaitMs: average(answeredWaits),
    longestWaitMs: longest,
    averageHandleMs: average(handles),
    averageWrapMs: average(wraps),
  };
}

/** The same figures per dialled line (each line's calls only). */
export function queueFiguresByLine(calls: readonly QueueCall[], window: FiguresWindow): Record<string, QueueFigures> {
  const byLine = new Map<string, QueueCall[]>();
  for (const c of calls) {
    const list = byLine.get(c.entry.line);
    if (list) list.push(c);
    else byLine.set(c.entry.line, [c]);
  }
  return Object.fromEntries([...byLine].sort(([a], [b]) => a.localeCompare(b)).map(([line, list]) => [line, queueFigures(list, window)]));
}
