/**
 * The call distribution against a stand-in SIP engine speaking evapi (netstring JSON over TCP):
 * what the platform commands for each report, what it keeps in PostgreSQL, what the lead sees.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, FAST_SCRYPT, PASSWORD, startTestPlatform, type TestPlatform } from './harness';
import { hashPassword } from '../src/session/passwords';
import { NetstringDecoder, netstring } from '../src/queue/kamailio-link';
import type { QueueCallView, AgentStateEvent } from '../../shared/queue/routes';

/** Kamailio's end, as far as the platform can tell: accepts connections, sends reports, hears commands. */
async function fakeEngine() {
  const sockets = new Set<net.Socket>();
  const commands: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  const server = net.createServer((s) => {
    sockets.add(s);
    const d = new NetstringDecoder();
    s.on('data', (chunk) => {
      for (const f of d.push(chunk)) commands.push(JSON.parse(f) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    });
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    commands,
    connected: () => sockets.size > 0,
    report(e: object) {
      for (const s of sockets) s.write(netstring(JSON.stringify(e)));
    },
    raw(bytes: string) {
      for (const s of sockets) s.write(bytes);
    },
    async nextCommand(match: (c: Record<string, unknown>) => boolean, ms = 3000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = commands.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no such command; got ${JSON.stringify(commands)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(ENGINES)('call distribution (%s)', (engine) => {
  let t: TestPlatform;
  let engineFake: Awaited<ReturnType<typeof fakeEngine>>;
  let agent2: { accessToken: string };
  let offset = 0;
  const clock = () => Date.now() + offset;

  const api = (method: string, url: string, token: string, body?: unknown) => t.request({ method, url, token, body });
  const snapshot = async () => (await api('GET', '/v1/queue/snapshot', t.lead.accessToken)).json() as { calls: QueueCallView[]; agents: AgentStateEvent[]; seats: { sipUser: string }[] };
  const callOf = async (callId: string) => (await snapshot()).calls.find((c) => c.callId === callId);
  const stateOf = async (account: string) => (await snapshot()).agents.find((a) => a.account === account);
  const setState = async (token: string, state: string, reason?: string) =>
    expect((await api('POST', '/v1/events/agent-state', token, { state, ...(reason ? { reason } : {}), since: new Date(clock()).toISOString() })).statusCode).toBe(204);
  const join = async (token: string, sipUser: string) => {
    const r = await api('PUT', '/v1/queue/session', token, { sessionId: crypto.randomUUID(), sipUser });
    expect(r.statusCode).toBe(200);
    return r.json() as { agent: AgentStateEvent | null; heartbeatS: number };
  };
  const entered = (callId: string, line = '12345') => engineFake.report({ event: 'entered', callId, line, handle: '17:4242', ts: `${(clock() / 1000).toFixed(6)}` });

  beforeAll(async () => {
    engineFake = await fakeEngine();
    t = await startTestPlatform(engine, {}, { now: clock, queue: { evapi: { host: '127.0.0.1', port: engineFake.port }, sweepMs: 100, heartbeatTimeoutMs: 2000 } });
    const db = t.platform.services.db;
    await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, 'agent02', '坐席二', 'agent', 'QY-12345', $2)`, [
      crypto.randomUUID(),
      await hashPassword(PASSWORD, FAST_SCRYPT),
    ]);
    await db.query(`insert into queue_lines (line, org_code, max_wait_s, ring_s) values ('12345', 'QY-12345', 60, 5), ('12345-9', 'QY-12345', 30, 5)`);
    const r = await t.request({ method: 'POST', url: '/v1/auth/login', body: { account: 'agent02', password: PASSWORD, clientId: 'test-agent02' } });
    agent2 = r.json() as { accessToken: string };
    await until(async () => (engineFake.connected() && t.platform.services.queue ? true : undefined));
  });
  afterAll(async () => {
    await t.close();
    await engineFake.close();
  });
  beforeEach(async () => {
    offset = 0;
    engineFake.commands.length = 0;
    await setState(t.agent.accessToken, 'notReady', 'meeting');
    await setState(agent2.accessToken, 'notReady', 'meeting');
  });
  afterEach(async () => {
    // Leave no call in the queue for the next test.
    await t.platform.services.db.query(`update queue_calls set state = 'abandoned', reason = 'callerHangup' where state in ('waiting', 'offered')`);
    await t.platform.services.db.query('update agent_sessions set offered_call_id = null');
  });

  it('holds a call while nobody is free, offers it to the agent who becomes Ready, follows it to the end of wrap-up', async () => {
    const id = `c1-${crypto.randomUUID()}`;
    entered(id);
    const waiting = await until(async () => (await callOf(id))?.state === 'waiting' ? callOf(id) : undefined);
    expect(waiting).toMatchObject({ line: '12345', offers: 0, orgCode: 'QY-12345' });
    expect(engineFake.commands).toEqual([]);

    await join(t.agent.accessToken, '8001');
    await setState(t.agent.accessToken, 'ready');
    const offer = await engineFake.nextCommand((c) => c.callId === id);
    expect(offer).toMatchObject({ action: 'offer', agent: '8001', attempt: 1, ringS: 5, tindex: 17, tlabel: 4242 });
    expect((await callOf(id))!.state).toBe('offered');

    engineFake.report({ event: 'answered', callId: id, agent: '8001', attempt: 1 });
    await until(async () => ((await callOf(id))?.state === 'answered' ? true : undefined));
    expect((await stateOf('agent01'))).toMatchObject({ state: 'onCall', setBy: 'system' });

    engineFake.report({ event: 'ended', callId: id });
    const ended = await until(async () => ((await callOf(id))?.talkEndedAt ? callOf(id) : undefined)).catch((e) => { console.log(t.logLines.join('\n')); throw e; });
    expect(ended!.wrapEndedAt).toBeUndefined();
    await setState(t.agent.accessToken, 'afterCallWork');
    offset = 3000;
    await setState(t.agent.accessToken, 'ready');
    const done = (await callOf(id))!;
    expect(done.wrapEndedAt! - done.talkEndedAt!).toBeGreaterThanOrEqual(3000);
  });
});
