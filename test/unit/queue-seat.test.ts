/**
 * The seat in the call distribution, through the real core and PlatformClient in front of a fake
 * platform: joins at its extension and beats, reports each state change with its moment, sends
 * again what failed, adopts a Not ready the platform set later (the distribution, a lead).
 */
import { describe, expect, it } from 'vitest';
import { FakePlatform, start } from '../helpers/core-with-platform';
import { defaultSettings } from '../../shared/settings/schema';

async function until(check: () => boolean, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function seatPlatform() {
  const platform = new FakePlatform();
  let agent: unknown = null;
  let stateAnswer: { status: number; body?: unknown } = { status: 204 };
  platform.on('PUT /v1/queue/session', () => ({ status: 200, body: { agent, heartbeatS: 1 } }));
  platform.on('POST /v1/events/agent-state', () => stateAnswer);
  return {
    platform,
    setAgent: (a: unknown) => (agent = a),
    failStates: (fail: boolean) => (stateAnswer = fail ? { status: 503, body: { error: { code: 'internal', message: 'down' } } } : { status: 204 }),
    joins: () => platform.seen.filter((s) => s.path === '/v1/queue/session'),
    states: () => platform.seen.filter((s) => s.path === '/v1/events/agent-state').map((s) => s.body as { state: string; reason?: string; since: string }),
  };
}

const withExtension = async (call: (c: string, p?: unknown) => Promise<{ ok: boolean }>, extension: string) =>
  call('settings:set', { section: 'sip', value: { ...defaultSettings().sip, serverUrl: 'wss://sip.example:7443', domain: 'sip.example', extension, authUser: extension } });

describe('seat presence', () => {
  it('joins at its extension, reports every state change with its moment, and beats', async () => {
    const seat = seatPlatform();
    const { call, signIn } = start({ platform: seat.platform });
    await withExtension(call, '8001');
    await signIn();
    await until(() => seat.joins().length >= 1);
    expect(seat.joins()[0]!.method).toBe('PUT');
    expect(seat.joins()[0]!.body).toMatchObject({ sipUser: '8001' });
    const since = Date.parse('2026-12-07T08:00:00Z');
    expect((await call('shell:setAgentStatus', { state: 'ready', since })).ok).toBe(true);
    await until(() => seat.states().some((s) => s.state === 'ready'));
    expect(seat.states().find((s) => s.state === 'ready')!.since).toBe('2026-12-07T08:00:00.000Z');
    await call('shell:setAgentStatus', { state: 'notReady', reason: 'meal', since: since + 1000 });
    await until(() => seat.states().some((s) => s.state === 'notReady'));
    expect(seat.states().at(-1)).toMatchObject({ state: 'notReady', reason: 'meal' });
    // The same session id on every beat.
    await until(() => seat.joins().length >= 2, 3000);
    expect(new Set(seat.joins().map((j) => (j.body as { sessionId: string }).sessionId)).size).toBe(1);
  });

  it('a workstation without an extension is no seat: nothing is sent', async () => {
    const seat = seatPlatform();
    const { call, signIn } = start({ platform: seat.platform });
    await signIn();
    await call('shell:setAgentStatus', { state: 'ready', since: Date.now() });
    await new Promise((r) => setTimeout(r, 300));
    expect(seat.joins()).toEqual([]);
    expect(seat.states()).toEqual([]);
  });

  it('a report that failed is sent again with the next beat (the latest state only)', async () => {
    const seat = seatPlatform();
    const { call, signIn } = start({ platform: seat.platform });
    await withExtension(call, '8002');
    await signIn();
    await until(() => seat.joins().length >= 1);
    seat.failStates(true);
    await call('shell:setAgentStatus', { state: 'ready', since: Date.now() });
    await call('shell:setAgentStatus', { state: 'notReady', reason: 'break', since: Date.now() + 1 });
    await until(() => seat.states().length >= 2);
    seat.failStates(false);
    const sent = seat.states().length;
    await until(() => seat.states().length > sent, 3000);
    expect(seat.states().at(-1)).toMatchObject({ state: 'notReady', reason: 'break' });
  });

  it('adopts a Not ready the platform set after its own last change, and tells the renderer who set it', async () => {
    const seat = seatPlatform();
    const { call, signIn, events } = start({ platform: seat.platform });
    await withExtension(call, '8003');
    await signIn();
    const mine = Date.now() - 10_000;
    await call('shell:setAgentStatus', { state: 'ready', since: mine });
    await until(() => seat.states().some((s) => s.state === 'ready'));
    // Set before the seat's own change: not adopted.
    seat.setAgent({ type: 'agentState', userId: crypto.randomUUID(), account: 'agent01', displayName: '坐席一', orgCode: 'CITY', state: 'notReady', reason: 'noAnswer', since: new Date(mine - 5000).toISOString(), setBy: 'system' });
    const before = seat.joins().length;
    await until(() => seat.joins().length > before, 3000);
    expect(events.filter(([c]) => c === 'queue:stateSet')).toEqual([]);
    seat.setAgent({ type: 'agentState', userId: crypto.randomUUID(), account: 'agent01', displayName: '坐席一', orgCode: 'CITY', state: 'notReady', reason: 'noAnswer', since: new Date(mine + 5000).toISOString(), setBy: 'system' });
    await until(() => events.some(([c]) => c === 'queue:stateSet'), 3000);
    expect(events.find(([c]) => c === 'queue:stateSet')![1]).toMatchObject({ state: 'notReady', reason: 'noAnswer', setBy: 'system' });
  });
});
