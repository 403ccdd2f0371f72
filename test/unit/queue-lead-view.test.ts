/**
 * The lead's view data: live events applied over a snapshot (never back in time), and the rows
 * and alerts computed from it with the shared definitions.
 */
import { describe, expect, it } from 'vitest';
import { applyLive, type QueueState } from '../../renderer/src/queue/queue-store';
import { leadFigures, trend } from '../../renderer/src/queue/lead-figures';
import { DEFAULT_THRESHOLDS } from '../../shared/queue/thresholds';
import { queueCallOf } from '../../shared/queue/call-view';
import type { AgentStateEvent, QueueCallView } from '../../shared/queue/routes';

const T0 = Date.parse('2026-12-07T09:00:00+08:00');
const A1 = '00000000-0000-4000-8000-000000000001';
const A2 = '00000000-0000-4000-8000-000000000002';

const call = (id: string, over: Partial<QueueCallView>): QueueCallView => ({ callId: id, line: '12345', orgCode: 'QY', state: 'waiting', enqueuedAt: T0, since: T0, offers: 0, ...over });
const agent = (userId: string, account: string, over: Partial<AgentStateEvent>): AgentStateEvent => ({
  type: 'agentState', userId, account, displayName: account, orgCode: 'QY', state: 'ready', since: new Date(T0).toISOString(), ...over,
});
const base = (): QueueState => ({ open: true, calls: {}, agents: {}, seats: {}, lines: [], thresholds: DEFAULT_THRESHOLDS, from: T0 - 3_600_000, feed: 'live' });

describe('live events over the snapshot', () => {
  it('takes a later state of a call and refuses an earlier one', () => {
    let s = base();
    s = { ...s, ...applyLive(s, { type: 'queueCall', orgCode: 'QY', call: call('c', { state: 'answered', since: T0 + 5000, agentId: A1, offers: 1 }) }) };
    expect(applyLive(s, { type: 'queueCall', orgCode: 'QY', call: call('c', { state: 'offered', since: T0 + 4000, agentId: A1, offers: 1 }) })).toBeUndefined();
    // Same moment: the answered call's end of talk outranks it.
    const ended = applyLive(s, { type: 'queueCall', orgCode: 'QY', call: call('c', { state: 'answered', since: T0 + 5000, agentId: A1, offers: 1, talkEndedAt: T0 + 9000 }) });
    expect(ended?.calls?.c?.talkEndedAt).toBe(T0 + 9000);
  });

  it('keeps the newest agent state, seats and thresholds', () => {
    let s = base();
    s = { ...s, ...applyLive(s, agent(A1, 'agent01', { state: 'onCall', since: new Date(T0 + 1000).toISOString() })) };
    expect(applyLive(s, agent(A1, 'agent01', { state: 'ready' }))).toBeUndefined();
    s = { ...s, ...applyLive(s, { type: 'agentSeat', orgCode: 'QY', userId: A1, seat: { userId: A1, sipUser: '8001', heartbeatAt: T0 } }) };
    expect(s.seats[A1]?.sipUser).toBe('8001');
    s = { ...s, ...applyLive(s, { type: 'agentSeat', orgCode: 'QY', userId: A1, seat: null }) };
    expect(s.seats[A1]).toBeUndefined();
    expect(applyLive(s, { type: 'thresholds', orgCode: 'QY', thresholds: { longestWaitS: 20, waiting: 3, withinTargetRate: 0.8 } })?.thresholds?.waiting).toBe(3);
    expect(applyLive(s, { type: 'hello', instance: 'x', at: new Date().toISOString() })).toBeUndefined();
  });
});

describe('lead figures', () => {
  const now = T0 + 60_000;
  const s = {
    from: T0 - 3_600_000,
    seats: { [A1]: { userId: A1, sipUser: '8001', heartbeatAt: now } },
    agents: { [A1]: agent(A1, 'agent01', { state: 'onCall', since: new Date(T0 + 10_000).toISOString() }), [A2]: agent(A2, 'agent02', { state: 'notReady', reason: 'noAnswer', setBy: 'system' }) },
    calls: {
      a: call('a', { state: 'answered', enqueuedAt: T0, since: T0 + 10_000, agentId: A1, offers: 1 }),
      b: call('b', { state: 'answered', enqueuedAt: T0 - 1_210_000, since: T0 - 1_200_000, agentId: A1, offers: 1, talkEndedAt: T0 - 1_100_000, wrapEndedAt: T0 - 1_070_000 }),
      w1: call('w1', { enqueuedAt: T0 + 30_000, since: T0 + 30_000 }),
      w2: call('w2', { state: 'offered', enqueuedAt: T0 + 20_000, since: T0 + 50_000, agentId: A2, offers: 1, line: '12345-1' }),
    },
  };

  it('lists the waiting calls oldest first with their waits, and every agent with their call and handling', () => {
    const f = leadFigures(s, DEFAULT_THRESHOLDS, now);
    expect(f.waiting).toEqual([
      { callId: 'w2', line: '12345-1', waitMs: 40_000, offered: true },
      { callId: 'w1', line: '12345', waitMs: 30_000, offered: false },
    ]);
    const a1 = f.agents.find((a) => a.account === 'agent01')!;
    expect(a1).toMatchObject({ state: 'onCall', inStateMs: 50_000, seated: true, callMs: 50_000, handled: 2, averageHandleMs: 130_000 });
    expect(f.agents.find((a) => a.account === 'agent02')).toMatchObject({ seated: false, reason: 'noAnswer', setBy: 'system', handled: 0, averageHandleMs: null });
    expect(f.shift.answered).toBe(2);
    expect(f.recent.answered).toBe(1);
    expect(Object.keys(f.shiftByLine)).toEqual(['12345', '12345-1']);
  });

  it('alerts on the thresholds passed: longest wait, calls waiting, the recent 15-second rate', () => {
    expect(leadFigures(s, { longestWaitS: 41, waiting: 3, withinTargetRate: 0.4 }, now).breaches).toEqual([]);
    expect(leadFigures(s, { longestWaitS: 40, waiting: 2, withinTargetRate: 0.4 }, now).breaches).toEqual(['longestWait', 'waiting']);
    // The one recent answered call waited 10 s: 100 % within 15 s.
    expect(leadFigures(s, { longestWaitS: 100, waiting: 9, withinTargetRate: 1 }, now).breaches).toEqual([]);
  });

  it('steps the shift in 15 minutes', () => {
    const points = trend(Object.values(s.calls).map(queueCallOf), s.from, now);
    expect(points).toHaveLength(5);
    expect(points.map((p) => p.answered)).toEqual([0, 0, 1, 0, 1]);
  });
});
