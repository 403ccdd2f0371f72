/**
 * The WHOLE event × state table of shared/queue/queue-entry.ts (one call's wait in the queue),
 * written out as data: every (state, event) pair has its expected outcome, so any new or lost
 * edge fails here.
 *
 * Outcome codes:
 *   -                  refused (undefined)
 *   offered            offered to the agent of the event, offers + 1
 *   waiting            back to waiting (the offer was not answered), offers kept
 *   answered           answered by the agent it was offered to
 *   abandoned:hangup   the caller hung up (…+ringing: while an agent's phone rang)
 *   abandoned:maxWait  the longest wait passed with nowhere to overflow to
 *   overflowed         sent to the overflow line of the event
 * Every outcome keeps callId, line and enqueuedAt, and has since = now.
 */
import { describe, expect, it } from 'vitest';
import { enqueued, hasLeft, transition, type QueueEntryEvent, type QueueEntryState } from '../../shared/queue/queue-entry';

const T0 = 1_000;
const T1 = 4_000;
const NOW = 20_000;
const call = { callId: 'c-1', line: '12345', enqueuedAt: T0 };

const STATES = {
  waiting: { ...call, kind: 'waiting', since: T0, offers: 0 },
  'waiting(2 offers)': { ...call, kind: 'waiting', since: T1, offers: 2 },
  offered: { ...call, kind: 'offered', since: T1, offers: 1, agentId: 'a1' },
  answered: { ...call, kind: 'answered', since: T1, offers: 1, agentId: 'a1' },
  abandoned: { ...call, kind: 'abandoned', since: T1, offers: 0, reason: 'callerHangup' },
  'abandoned(maxWait)': { ...call, kind: 'abandoned', since: T1, offers: 3, reason: 'maxWait' },
  overflowed: { ...call, kind: 'overflowed', since: T1, offers: 0, target: '12315' },
} as const satisfies Record<string, QueueEntryState>;
type StateName = keyof typeof STATES;

const EVENTS = {
  'offer(a2)': { type: 'offer', agentId: 'a2' },
  "offer('')": { type: 'offer', agentId: '' },
  answer: { type: 'answer' },
  noAnswer: { type: 'noAnswer' },
  offerFailed: { type: 'offerFailed' },
  callerHangup: { type: 'callerHangup' },
  'maxWait()': { type: 'maxWait' },
  'maxWait(12315)': { type: 'maxWait', overflowTo: '12315' },
} as const satisfies Record<string, QueueEntryEvent>;
type EventName = keyof typeof EVENTS;

type Outcome = '-' | 'offered' | 'waiting' | 'answered' | 'abandoned:hangup' | 'abandoned:hangup+ringing' | 'abandoned:maxWait' | 'overflowed';

const LEFT: Record<EventName, Outcome> = { 'offer(a2)': '-', "offer('')": '-', answer: '-', noAnswer: '-', offerFailed: '-', callerHangup: '-', 'maxWait()': '-', 'maxWait(12315)': '-' };
const WAITING: Record<EventName, Outcome> = {
  'offer(a2)': 'offered',
  "offer('')": '-',
  answer: '-',
  noAnswer: '-',
  offerFailed: '-',
  callerHangup: 'abandoned:hangup',
  'maxWait()': 'abandoned:maxWait',
  'maxWait(12315)': 'overflowed',
};

const TABLE: Record<StateName, Record<EventName, Outcome>> = {
  waiting: WAITING,
  'waiting(2 offers)': WAITING,
  offered: {
    'offer(a2)': '-',
    "offer('')": '-',
    answer: 'answered',
    noAnswer: 'waiting',
    offerFailed: 'waiting',
    callerHangup: 'abandoned:hangup+ringing',
    'maxWait()': '-',
    'maxWait(12315)': '-',
  },
  answered: LEFT,
  abandoned: LEFT,
  'abandoned(maxWait)': LEFT,
  overflowed: LEFT,
};

function expected(from: QueueEntryState, outcome: Outcome): QueueEntryState | undefined {
  const base = { ...call, since: NOW, offers: from.offers };
  switch (outcome) {
    case '-':
      return undefined;
    case 'offered':
      return { ...base, kind: 'offered', offers: from.offers + 1, agentId: 'a2' };
    case 'waiting':
      return { ...base, kind: 'waiting' };
    case 'answered':
      return { ...base, kind: 'answered', agentId: (from as { agentId: string }).agentId };
    case 'abandoned:hangup':
      return { ...base, kind: 'abandoned', reason: 'callerHangup' };
    case 'abandoned:hangup+ringing':
      return { ...base, kind: 'abandoned', reason: 'callerHangup', whileOffered: true };
    case 'abandoned:maxWait':
      return { ...base, kind: 'abandoned', reason: 'maxWait' };
    case 'overflowed':
      return { ...base, kind: 'overflowed', target: '12315' };
  }
}

describe('queue entry: the whole event × state table', () => {
  const cases = (Object.keys(STATES) as StateName[]).flatMap((s) => (Object.keys(EVENTS) as EventName[]).map((e) => [s, e, TABLE[s][e]] as const));
  it.each(cases)('%s + %s → %s', (s, e, outcome) => {
    expect(transition(STATES[s], EVENTS[e], NOW)).toEqual(expected(STATES[s], outcome));
  });

  it('starts waiting, and has left only once answered, abandoned or overflowed', () => {
    expect(enqueued('c-9', '12366', 500)).toEqual({ kind: 'waiting', callId: 'c-9', line: '12366', enqueuedAt: 500, since: 500, offers: 0 });
    expect((Object.keys(STATES) as StateName[]).filter((s) => hasLeft(STATES[s]))).toEqual(['answered', 'abandoned', 'abandoned(maxWait)', 'overflowed']);
  });
});
