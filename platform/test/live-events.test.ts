import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ENGINES, createBody, startPeer, startTestPlatform, type TestPlatform } from './harness';
import type { Platform } from '../src/app';
import type { LiveEvent } from '../../shared/queue/routes';
import { GUANGDONG_POLICY } from '../../shared/directory/deadline-policy';
import { shanghaiDate } from '../../shared/base/shanghai-time';

/** A WebSocket client that collects events and lets a test wait for one. */
async function follow(base: string, token?: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/events/stream`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const events: LiveEvent[] = [];
  const waiters: { match: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];
  ws.on('message', (data) => {
    const e = JSON.parse(String(data)) as LiveEvent;
    events.push(e);
    for (const w of [...waiters]) if (w.match(e)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(e);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const next = (match: (e: LiveEvent) => boolean, ms = 5000) =>
    new Promise<LiveEvent>((resolve, reject) => {
      const found = events.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error('no matching event')), ms);
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  return { ws, events, next, close: () => ws.close() };
}

const QUEUE = { queue: '12345', waiting: 0, longestWaitS: 42, offeredToday: 1200, answeredToday: 1150, answeredWithin15sToday: 1040, abandonedToday: 50 };

async function listen(p: Platform): Promise<string> {
  await p.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = p.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return `http://127.0.0.1:${addr.port}`;
}

describe.each(ENGINES)('live events on %s', (engine) => {
  let t: TestPlatform;
  let peer: Platform | undefined;
  let a: string;
  let b: string;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    a = await listen(t.platform);
    if (engine === 'postgres') {
      peer = await startPeer(t);
      b = await listen(peer);
    } else b = a; // PGlite is one process: one instance.
  }, 60_000);
  afterAll(async () => {
    await peer?.close();
    await t?.close();
  });

  const post = (base: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses the stream without a valid token', async () => {
    await expect(follow(b)).rejects.toThrow(/401/);
    await expect(follow(b, 'nope')).rejects.toThrow(/401/);
  });

  it(`delivers an agent's state reported to one instance to a lead following ${engine === 'postgres' ? 'another' : 'the same'} instance`, async () => {
    const lead = await follow(b, t.lead.accessToken);
    const agent = await follow(b, t.agent.accessToken);
    const since = new Date().toISOString();
    const r = await post(a, '/v1/events/agent-state', t.agent.accessToken, { state: 'notReady', reason: 'meal', since });
    expect(r.status).toBe(204);
    const e = await lead.next((x) => x.type === 'agentState' && x.account === 'agent01');
    expect(e).toMatchObject({ type: 'agentState', state: 'notReady', reason: 'meal', orgCode: 'QY-12345', displayName: '坐席一' });

    // Queue figures reach agents and leads of the organisation, not other organisations.
    const other = await follow(b, t.agentOther.accessToken);
    await post(a, '/v1/events/queue', t.lead.accessToken, { ...QUEUE, waiting: 7 });
    await expect(agent.next((x) => x.type === 'queue')).resolves.toMatchObject({ waiting: 7, orgCode: 'QY-12345' });
    await lead.next((x) => x.type === 'queue');
    // Negative checks wait for a later event each client does receive: events reach a socket in
    // commit order, so anything that was going to be delivered before the marker has been.
    // The agent's marker is the queue event above (committed after the agent-state event).
    expect(agent.events.some((x) => x.type === 'agentState')).toBe(false);
    // The other centre's marker: its own queue figures, reported after ours.
    await post(a, '/v1/events/queue', t.leadOther.accessToken, { ...QUEUE, waiting: 3 });
    await expect(other.next((x) => x.type === 'queue')).resolves.toMatchObject({ waiting: 3, orgCode: 'SZ-12345' });
    expect(other.events.filter((x) => x.type === 'queue').map((x) => x.orgCode)).toEqual(['SZ-12345']);

    const snapshot = await fetch(`${b}/v1/events/agent-states`, { headers: { authorization: `Bearer ${t.lead.accessToken}` } }).then((x) => x.json());
    expect(snapshot.agents).toContainEqual(expect.objectContaining({ account: 'agent01', state: 'notReady' }));
    for (const c of [lead, agent, other]) c.close();
  });

  it("shows a lead only their own centre's seats, in the snapshot and in live events", async () => {
    const get = (token: string) => fetch(`${b}/v1/events/agent-states`, { headers: { authorization: `Bearer ${token}` } }).then((x) => x.json());
    const lead = await follow(b, t.lead.accessToken);
    const leadOther = await follow(b, t.leadOther.accessToken);
    const since = new Date().toISOString();
    // The other centre's agent first, then ours: the later one is the marker for the lead of QY.
    expect((await post(a, '/v1/events/agent-state', t.agentOther.accessToken, { state: 'onCall', since })).status).toBe(204);
    expect((await post(a, '/v1/events/agent-state', t.agent.accessToken, { state: 'ready', since })).status).toBe(204);
    await expect(leadOther.next((x) => x.type === 'agentState')).resolves.toMatchObject({ account: 'agent-sz', orgCode: 'SZ-12345' });
    await expect(lead.next((x) => x.type === 'agentState' && x.account === 'agent01' && x.state === 'ready')).resolves.toMatchObject({ orgCode: 'QY-12345' });
    expect(lead.events.filter((x) => x.type === 'agentState').every((x) => x.orgCode === 'QY-12345')).toBe(true);
    // ...and for the lead of SZ, a later state of its own agent.
    expect((await post(a, '/v1/events/agent-state', t.agentOther.accessToken, { state: 'ready', since })).status).toBe(204);
    await leadOther.next((x) => x.type === 'agentState' && x.account === 'agent-sz' && x.state === 'ready');
    expect(leadOther.events.filter((x) => x.type === 'agentState').map((x) => x.orgCode)).toEqual(['SZ-12345', 'SZ-12345']);

    const accounts = async (token: string) => ((await get(token)).agents as { account: string; orgCode: string }[]).map((x) => `${x.orgCode}/${x.account}`);
    expect(await accounts(t.lead.accessToken)).toEqual(['QY-12345/agent01']);
    expect(await accounts(t.leadOther.accessToken)).toEqual(['SZ-12345/agent-sz']);
    // Both were reported (the admin sees every centre), so the filtering above is real.
    expect(await accounts(t.admin.accessToken)).toEqual(expect.arrayContaining(['QY-12345/agent01', 'SZ-12345/agent-sz']));
    for (const c of [lead, leadOther]) c.close();
  });

  it('applies a deadline policy changed on one instance to orders created on every instance', async () => {
    const put = await fetch(`${a}/v1/admin/deadline-policy`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.admin.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...GUANGDONG_POLICY, workingDays: { ...GUANGDONG_POLICY.workingDays, complaint: 0 } }),
    });
    expect(put.status).toBe(200);
    const today = shanghaiDate(Date.now());
    // Another instance hears the change through NOTIFY; poll until it has.
    await expect
      .poll(async () => {
        const r = await post(b, '/v1/orders', t.agent.accessToken, createBody(), { 'idempotency-key': crypto.randomUUID() });
        return (await r.json()).deadline;
      })
      .toBe(today);
  });

  it('serves the same data and idempotency from every instance', async () => {
    const body = createBody();
    const key = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(i % 2 ? a : b, '/v1/orders', t.agent.accessToken, body, { 'idempotency-key': key }).then((r) => r.json())),
    );
    expect(new Set(results.map((r) => r.orderNo)).size).toBe(1);
    const fromB = await fetch(`${b}/v1/orders/${results[0].id}`, { headers: { authorization: `Bearer ${t.agent.accessToken}` } }).then((r) => r.json());
    expect(fromB.orderNo).toBe(results[0].orderNo);
  });

  it('tells every seat when a reference set changes (a directory entry added, then changed), whatever its role or centre', async () => {
    const seats = await Promise.all([t.agent, t.subcenterTax, t.agentOther].map((u) => follow(b, u.accessToken)));
    const entry = { number: '12399', name: '测试热线', mergeMode: 'subcenter', status: 'active', unitCode: 'QY-12366', transferUri: 'sip:12399@127.0.0.1', threeWay: true, serviceHours: '工作日 9:00-17:00', note: null, categoryCode: null, hours: [{ days: 'workdays', from: '09:00', to: '17:00' }] };
    const put = (body: unknown) => fetch(`${a}/v1/admin/directory/12399`, { method: 'PUT', headers: { authorization: `Bearer ${t.admin.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await put(entry);
    expect(first.status).toBe(200);
    const { version } = (await first.json()) as { version: number };
    for (const s of seats) await expect(s.next((x) => x.type === 'reference' && x.version === version)).resolves.toEqual({ type: 'reference', kind: 'directory', version });
    const second = await put({ ...entry, hours: [{ days: 'daily', from: '08:00', to: '20:00' }] });
    expect(((await second.json()) as { version: number }).version).toBe(version + 1);
    for (const s of seats) await s.next((x) => x.type === 'reference' && x.version === version + 1);
    const listed = await fetch(`${b}/v1/reference/directory`, { headers: { authorization: `Bearer ${t.agent.accessToken}` } }).then((x) => x.json());
    expect(listed.entries.find((e: { number: string }) => e.number === '12399')).toMatchObject({ hours: [{ days: 'daily', from: '08:00', to: '20:00' }] });
    // Only an admin changes the directory; a body naming another number is refused.
    const asAgent = await fetch(`${a}/v1/admin/directory/12399`, { method: 'PUT', headers: { authorization: `Bearer ${t.agent.accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(entry) });
    expect(asAgent.status).toBe(403);
    expect((await put({ ...entry, number: '12398' })).status).toBe(400);
    expect((await put({ ...entry, hours: [{ days: 'daily', from: '18:00', to: '09:00' }] })).status).toBe(400);
    const del = await fetch(`${a}/v1/admin/directory/12399`, { method: 'DELETE', headers: { authorization: `Bearer ${t.admin.accessToken}` } });
    expect(del.status).toBe(200);
    for (const s of seats) await s.next((x) => x.type === 'reference' && x.version === version + 2);
    for (const s of seats) s.close();
  });
});
