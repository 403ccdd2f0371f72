/**
 * Who gets a call (shared/queue/routing.ts): the Ready agent idle the longest among those who take
 * the line, never one whose workstation went quiet or whose phone already rings; an agent who
 * becomes free takes the call waiting the longest on their lines; ties never depend on order.
 */
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_TIMEOUT_MS, chooseAgent, isAvailable, nextCallFor, type RoutableAgent, type WaitingCall } from '../../shared/queue/routing';

const NOW = 1_000_000;
const agent = (agentId: string, since: number, extra: Partial<RoutableAgent> = {}): RoutableAgent => ({ agentId, state: 'ready', since, heartbeatAt: NOW - 1_000, ...extra });

describe('choosing the agent for a call', () => {
  it('takes the Ready agent idle the longest', () => {
    const agents = [agent('a', NOW - 10_000), agent('b', NOW - 60_000), agent('c', NOW - 30_000)];
    expect(chooseAgent(agents, '12345', NOW)?.agentId).toBe('b');
    expect(chooseAgent([...agents].reverse(), '12345', NOW)?.agentId).toBe('b');
  });

  it('passes over agents not Ready, ringing already, or whose workstation is not heard from', () => {
    const agents = [
      agent('busy', NOW - 90_000, { state: 'onCall' }),
      agent('acw', NOW - 80_000, { state: 'afterCallWork' }),
      agent('break', NOW - 70_000, { state: 'notReady' }),
      agent('ringing', NOW - 60_000, { offeredCallId: 'c-1' }),
      agent('gone', NOW - 50_000, { heartbeatAt: NOW - HEARTBEAT_TIMEOUT_MS - 1 }),
      agent('edge', NOW - 40_000, { heartbeatAt: NOW - HEARTBEAT_TIMEOUT_MS }),
      agent('fresh', NOW - 1_000),
    ];
    expect(chooseAgent(agents, '12345', NOW)?.agentId).toBe('edge');
    expect(agents.filter((a) => isAvailable(a, NOW)).map((a) => a.agentId)).toEqual(['edge', 'fresh']);
    expect(chooseAgent(agents.slice(0, 5), '12345', NOW)).toBeUndefined();
  });

  it('gives a line to agents who take it: skilled ones, and those without lines', () => {
    const agents = [agent('tax', NOW - 90_000, { lines: ['12366'] }), agent('any', NOW - 10_000), agent('customs', NOW - 99_000, { lines: ['12360'] })];
    expect(chooseAgent(agents, '12366', NOW)?.agentId).toBe('tax');
    expect(chooseAgent(agents, '12345', NOW)?.agentId).toBe('any');
    expect(chooseAgent([agents[0]!, agents[2]!], '12345', NOW)).toBeUndefined();
  });

  it('breaks a tie by agent id, whatever the order', () => {
    const agents = [agent('b', NOW - 5_000), agent('a', NOW - 5_000)];
    expect(chooseAgent(agents, '12345', NOW)?.agentId).toBe('a');
    expect(chooseAgent([...agents].reverse(), '12345', NOW)?.agentId).toBe('a');
  });
});

describe('the call an agent who became free takes', () => {
  const waiting: WaitingCall[] = [
    { callId: 'w3', line: '12345', enqueuedAt: NOW - 10_000 },
    { callId: 'w1', line: '12366', enqueuedAt: NOW - 50_000 },
    { callId: 'w2', line: '12345', enqueuedAt: NOW - 30_000 },
    { callId: 'w0', line: '12345', enqueuedAt: NOW - 30_000 },
  ];

  it('is the one waiting the longest on a line they take; ties by call id', () => {
    expect(nextCallFor({}, waiting)?.callId).toBe('w1');
    expect(nextCallFor({ lines: ['12345'] }, waiting)?.callId).toBe('w0');
    expect(nextCallFor({ lines: ['12345'] }, [...waiting].reverse())?.callId).toBe('w0');
    expect(nextCallFor({ lines: ['12360'] }, waiting)).toBeUndefined();
    expect(nextCallFor({}, [])).toBeUndefined();
  });
});
