/**
 * The call distribution against a stand-in SIP engine speaking evapi (netstring JSON over TCP):
 * what the platform commands for each report, what it keeps in PostgreSQL, what the lead sees.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, FAST_SCRYPT, PASSWORD, startPeer, startTestPlatform, type TestPlatform } from './harness';
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
    connections: () => sockets.size,
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
    const ended = await until(async () => ((await callOf(id))?.talkEndedAt ? callOf(id) : undefined));
    expect(ended!.wrapEndedAt).toBeUndefined();
    await setState(t.agent.accessToken, 'afterCallWork');
    offset = 3000;
    await setState(t.agent.accessToken, 'ready');
    const done = (await callOf(id))!;
    expect(done.wrapEndedAt! - done.talkEndedAt!).toBeGreaterThanOrEqual(3000);
  });
  it('re-offers a call nobody answered to the next agent, sets the first Not ready (system), and ignores a late report of the first offer', async () => {
    await join(t.agent.accessToken, '8001');
    await join(agent2.accessToken, '8002');
    await setState(t.agent.accessToken, 'ready');
    offset = 1000;
    await setState(agent2.accessToken, 'ready');
    const id = `c2-${crypto.randomUUID()}`;
    entered(id);
    // agent01 has been Ready longest.
    expect(await engineFake.nextCommand((c) => c.callId === id)).toMatchObject({ agent: '8001', attempt: 1 });
    engineFake.report({ event: 'notAnswered', callId: id, agent: '8001', attempt: 1, code: 408 });
    expect(await engineFake.nextCommand((c) => c.callId === id && c.attempt === 2)).toMatchObject({ agent: '8002' });
    expect(await stateOf('agent01')).toMatchObject({ state: 'notReady', reason: 'noAnswer', setBy: 'system' });
    // A repeated or late report of attempt 1 changes nothing.
    engineFake.report({ event: 'answered', callId: id, agent: '8001', attempt: 1 });
    engineFake.report({ event: 'notAnswered', callId: id, agent: '8001', attempt: 1, code: 408 });
    engineFake.report({ event: 'answered', callId: id, agent: '8002', attempt: 2 });
    const answered = await until(async () => ((await callOf(id))?.state === 'answered' ? callOf(id) : undefined));
    expect(answered).toMatchObject({ offers: 2 });
    const events = await t.platform.services.db.query<{ type: string }>('select type from queue_events where call_id = $1 order by id', [id]);
    expect(events.rows.map((e) => e.type)).toEqual(['entered', 'offered', 'notAnswered', 'offered', 'answered']);
  });

  it('an offer that cannot reach the agent goes to another; a report naming an agent the call was not offered to is ignored', async () => {
    await join(t.agent.accessToken, '8001');
    await join(agent2.accessToken, '8002');
    await setState(agent2.accessToken, 'ready');
    const id = `c3-${crypto.randomUUID()}`;
    entered(id);
    await engineFake.nextCommand((c) => c.callId === id && c.agent === '8002');
    engineFake.report({ event: 'answered', callId: id, agent: '8001', attempt: 1 });
    engineFake.report({ event: 'offerFailed', callId: id, agent: '8002', attempt: 1, code: 404 });
    await until(async () => ((await callOf(id))?.state === 'waiting' ? true : undefined));
    expect(await stateOf('agent02')).toMatchObject({ state: 'notReady', reason: 'noAnswer' });
    await setState(t.agent.accessToken, 'ready');
    expect(await engineFake.nextCommand((c) => c.callId === id && c.attempt === 2)).toMatchObject({ agent: '8001' });
  });

  it('a caller who hangs up while waiting or ringing is abandoned; a call the engine no longer holds too', async () => {
    const waiting = `c4-${crypto.randomUUID()}`;
    entered(waiting);
    await until(async () => ((await callOf(waiting))?.state === 'waiting' ? true : undefined));
    engineFake.report({ event: 'callerHangup', callId: waiting });
    await until(async () => ((await callOf(waiting))?.state === 'abandoned' ? true : undefined));
    expect(await callOf(waiting)).toMatchObject({ reason: 'callerHangup' });
    expect((await callOf(waiting))!.whileOffered).toBeUndefined();

    await join(t.agent.accessToken, '8001');
    await setState(t.agent.accessToken, 'ready');
    const ringing = `c5-${crypto.randomUUID()}`;
    entered(ringing);
    await engineFake.nextCommand((c) => c.callId === ringing);
    engineFake.report({ event: 'callerHangup', callId: ringing });
    await until(async () => ((await callOf(ringing))?.state === 'abandoned' ? true : undefined));
    expect(await callOf(ringing)).toMatchObject({ whileOffered: true });
    // The agent stays Ready and is free for the next call.
    expect(await stateOf('agent01')).toMatchObject({ state: 'ready' });
    const next = `c6-${crypto.randomUUID()}`;
    entered(next);
    expect(await engineFake.nextCommand((c) => c.callId === next)).toMatchObject({ agent: '8001', attempt: 1 });
    engineFake.report({ event: 'gone', callId: next });
    await until(async () => ((await callOf(next))?.state === 'abandoned' ? true : undefined));
  });

  it("gives up a call past its line's longest wait, or overflows it where the line has a target", async () => {
    const id = `c7-${crypto.randomUUID()}`;
    entered(id);
    await until(async () => ((await callOf(id))?.state === 'waiting' ? true : undefined));
    offset = 61_000;
    expect(await engineFake.nextCommand((c) => c.callId === id)).toMatchObject({ action: 'giveUp', tindex: 17, tlabel: 4242 });
    expect(await callOf(id)).toMatchObject({ state: 'abandoned', reason: 'maxWait' });

    await t.platform.services.db.query(`update queue_lines set overflow_to = '12345-9' where line = '12345'`);
    const over = `c8-${crypto.randomUUID()}`;
    offset = 0;
    entered(over);
    await until(async () => ((await callOf(over))?.state === 'waiting' ? true : undefined));
    offset = 61_000;
    expect(await engineFake.nextCommand((c) => c.callId === over)).toMatchObject({ action: 'overflow', target: '12345-9' });
    expect(await callOf(over)).toMatchObject({ state: 'overflowed', target: '12345-9' });
    await t.platform.services.db.query(`update queue_lines set overflow_to = null where line = '12345'`);
  });

  it('a seat whose workstation stops beating is signed out (shown offline) and not offered calls', async () => {
    await join(t.agent.accessToken, '8001');
    await setState(t.agent.accessToken, 'ready');
    offset = 2500;
    await until(async () => ((await stateOf('agent01'))?.state === 'offline' ? true : undefined));
    expect((await snapshot()).seats.map((s) => s.sipUser)).not.toContain('8001');
    const id = `c9-${crypto.randomUUID()}`;
    entered(id);
    await until(async () => ((await callOf(id))?.state === 'waiting' ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(engineFake.commands.filter((c) => c.callId === id)).toEqual([]);
    // Back: it beats again (joins) and is Ready — offered.
    await join(t.agent.accessToken, '8001');
    await setState(t.agent.accessToken, 'ready');
    expect(await engineFake.nextCommand((c) => c.callId === id)).toMatchObject({ agent: '8001' });
  });

  it('drops malformed or invalid reports and keeps the connection', async () => {
    engineFake.report({ event: 'entered', callId: 'x', line: '<script>', handle: '1:2' });
    engineFake.report({ event: 'nonsense', callId: 'x' });
    engineFake.raw('5:hello,');
    const id = `c10-${crypto.randomUUID()}`;
    entered(id);
    await until(async () => ((await callOf(id))?.state === 'waiting' ? true : undefined));
    expect(await callOf('x')).toBeUndefined();
    expect(t.logLines.some((l) => l.includes('dropped an invalid report'))).toBe(true);
    expect(t.logLines.some((l) => l.includes('not JSON'))).toBe(true);
  });

  it('one SIP user serves one agent: a second agent joining at it takes it over', async () => {
    await join(t.agent.accessToken, '8009');
    await join(agent2.accessToken, '8009');
    const seats = (await snapshot()).seats.filter((s) => s.sipUser === '8009');
    expect(seats).toHaveLength(1);
    const r = await t.platform.services.db.query<{ account: string }>('select u.account from agent_sessions s join users u on u.id = s.user_id where s.sip_user = $1', ['8009']);
    expect(r.rows.map((x) => x.account)).toEqual(['agent02']);
    expect((await api('DELETE', '/v1/queue/session', agent2.accessToken)).statusCode).toBe(204);
    expect((await snapshot()).seats.filter((s) => s.sipUser === '8009')).toHaveLength(0);
  });

  it('a lead sets an agent of their centre Not ready; not one of another centre, not an agent on a call; agents may not', async () => {
    const ids = await t.platform.services.db.query<{ id: string; account: string }>(`select id, account from users where account in ('agent01', 'agent-sz')`);
    const id = (a: string) => ids.rows.find((r) => r.account === a)!.id;
    await setState(t.agent.accessToken, 'ready');
    expect((await api('PUT', `/v1/queue/agents/${id('agent01')}/state`, t.lead.accessToken, { state: 'notReady', reason: 'training' })).statusCode).toBe(204);
    expect(await stateOf('agent01')).toMatchObject({ state: 'notReady', reason: 'training', setBy: '值班长' });
    expect((await api('PUT', `/v1/queue/agents/${id('agent-sz')}/state`, t.lead.accessToken, { state: 'notReady', reason: 'training' })).statusCode).toBe(404);
    expect((await api('PUT', `/v1/queue/agents/${id('agent01')}/state`, t.agent.accessToken, { state: 'notReady', reason: 'training' })).statusCode).toBe(403);
    expect((await api('PUT', `/v1/queue/agents/${id('agent01')}/state`, t.lead.accessToken, { state: 'notReady', reason: 'noAnswer' })).statusCode).toBe(400);
    await setState(t.agent.accessToken, 'onCall');
    expect((await api('PUT', `/v1/queue/agents/${id('agent01')}/state`, t.lead.accessToken, { state: 'notReady', reason: 'training' })).statusCode).toBe(409);
    // The other centre's lead sees neither this centre's agents nor its calls.
    const other = (await api('GET', '/v1/queue/snapshot', t.leadOther.accessToken)).json() as { agents: AgentStateEvent[]; calls: QueueCallView[] };
    expect(other.agents.map((a) => a.account)).not.toContain('agent01');
    expect(other.calls).toEqual([]);
    expect((await api('GET', '/v1/queue/snapshot', t.agent.accessToken)).statusCode).toBe(403);
  });

  it.runIf(engine === 'postgres')('two platform instances serving one engine hear every report and still offer each call once', async () => {
    const peer = await startPeer(t, { now: clock, queue: { evapi: { host: '127.0.0.1', port: engineFake.port }, sweepMs: 100, heartbeatTimeoutMs: 2000 } });
    try {
      await until(async () => (engineFake.connections() >= 2 ? true : undefined));
      await join(t.agent.accessToken, '8001');
      await join(agent2.accessToken, '8002');
      const ids = Array.from({ length: 6 }, (_, i) => `two-${i}-${crypto.randomUUID()}`);
      for (const id of ids) entered(id);
      await until(async () => ((await snapshot()).calls.filter((c) => ids.includes(c.callId) && c.state === 'waiting').length === ids.length ? true : undefined));
      // Both agents Ready: through either instance, each call is offered to one agent, once.
      await setState(t.agent.accessToken, 'ready');
      await setState(agent2.accessToken, 'ready');
      for (let round = 0; round < 3; round++) {
        const offers = await until(async () => {
          const o = engineFake.commands.filter((c) => c.action === 'offer' && ids.includes(String(c.callId)));
          return o.length === (round + 1) * 2 ? o : undefined;
        });
        for (const o of offers.slice(round * 2)) {
          engineFake.report({ event: 'answered', callId: o.callId, agent: o.agent, attempt: o.attempt });
          engineFake.report({ event: 'ended', callId: o.callId });
        }
        await until(async () => ((await snapshot()).calls.filter((c) => ids.includes(c.callId) && c.talkEndedAt).length === (round + 1) * 2 ? true : undefined));
        await setState(t.agent.accessToken, 'ready');
        await setState(agent2.accessToken, 'ready');
      }
      const offered = engineFake.commands.filter((c) => c.action === 'offer' && ids.includes(String(c.callId))).map((c) => String(c.callId));
      expect(offered.sort()).toEqual([...ids].sort());
      const events = await t.platform.services.db.query<{ type: string; n: string }>(`select type, count(*)::text as n from queue_events where call_id = any($1) group by type order by type`, [ids]);
      expect(Object.fromEntries(events.rows.map((r) => [r.type, Number(r.n)]))).toEqual({ answered: 6, ended: 6, entered: 6, offered: 6 });
    } finally {
      await peer.close();
    }
  });
});
