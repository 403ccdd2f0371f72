/**
 * The orders service through the real core and IPC registry: the local keys (created once, kept
 * encrypted, stable across restarts), and every platform call — what reaches the platform (path,
 * body, the outbox's client id per local database, the Idempotency-Key header) and how each failure comes
 * back as the channel's declared code. The platform is a fake `fetch`; the client, the session and
 * the contract checks are the real ones.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apiError, FakePlatform, start, type Answer } from '../helpers/core-with-platform';
import { tmpDir } from '../helpers/tmp';
import { outboxClientId } from '../../main/orders/outbox-client';

const PHONE = '13912345678';
const ORDER_ID = '6f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';
const CLIENT_ORDER_ID = '0b7d3e4f-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
/** The local database the outbox entries were queued in. */
const SOURCE = '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d';

function order(overrides: Record<string, unknown> = {}) {
  return {
    id: ORDER_ID,
    orderNo: 'GD20261206000123',
    clientOrderId: CLIENT_ORDER_ID,
    status: 'dispatched',
    version: 2,
    orgCode: 'CITY',
    createdBy: 'agent01',
    createdAt: '2026-12-06T09:00:00.000+08:00',
    updatedAt: '2026-12-06T09:05:00.000+08:00',
    channel: 'phone',
    requestType: 'complaint',
    urgency: 'normal',
    confidential: false,
    title: '噪音扰民',
    content: '夜间施工噪音',
    caller: { phone: '139****5678' },
    disposition: 'dispatched',
    handlingUnit: 'DIST-01',
    coUnits: [],
    returnCount: 0,
    extensionDays: 0,
    followUpCount: 1,
    ...overrides,
  };
}

const summary = () => {
  const o = order();
  return { id: o.id, orderNo: o.orderNo, status: o.status, createdAt: o.createdAt, requestType: o.requestType, title: o.title, disposition: o.disposition, handlingUnit: o.handlingUnit, confidential: o.confidential };
};

const orderInput = {
  channel: 'phone',
  requestType: 'complaint',
  urgency: 'normal',
  confidential: false,
  title: '噪音扰民',
  content: '夜间施工噪音',
  caller: { name: '张三', phone: PHONE },
  disposition: 'dispatched',
  handlingUnit: 'DIST-01',
};

// ---------------------------------------------------------------------------------------------

describe('orders:localKeys', () => {
  it('creates two random 32-byte keys once and keeps them, encrypted, across restarts', async () => {
    const dir = tmpDir('ws-orders-keys-');
    const key = crypto.randomBytes(32);
    const first = start({ dir, key });
    const a = await first.call('orders:localKeys');
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    const { dataKey, indexKey } = a.value as { dataKey: string; indexKey: string };
    expect(dataKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(indexKey).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(dataKey, 'base64')).toHaveLength(32);
    expect(dataKey).not.toBe(indexKey);
    expect(await first.call('orders:localKeys')).toEqual(a);

    const secretsFile = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(secretsFile).not.toContain(dataKey);
    expect(secretsFile).not.toContain(indexKey);
    expect(first.logText()).not.toContain(dataKey);
    expect(first.logText()).not.toContain(indexKey);

    first.core.dispose();
    const second = start({ dir, key });
    expect(await second.call('orders:localKeys')).toEqual(a);

    // Another installation gets other keys.
    const other = start({ key });
    const b = await other.call('orders:localKeys');
    expect(b.ok && (b.value as { dataKey: string }).dataKey).not.toBe(dataKey);
  });

  it('answers secrets_unavailable when nothing can keep them, and stores nothing', async () => {
    const { dir, call } = start({ encryption: false });
    const res = await call('orders:localKeys');
    expect(res).toEqual({ ok: false, error: { code: 'secrets_unavailable', message: expect.any(String) } });
    expect(fs.existsSync(path.join(dir, 'secrets.json'))).toBe(false);
  });
});

describe('orders:numberInfo', () => {
  it('answers offline through the core, and logs the warm-up without numbers', async () => {
    const t = start();
    expect(await t.call('orders:numberInfo', { phone: '0755-8376-5566' })).toEqual({ ok: true, value: { kind: 'landline', region: '广东省深圳市' } });
    expect(await t.call('orders:numberInfo', { phone: PHONE })).toEqual({ ok: true, value: { kind: 'mobile', region: '江苏省常州市', carrier: '中国移动' } });
    expect(await t.call('orders:numberInfo', { phone: '12345' })).toEqual({ ok: true, value: { kind: 'short' } });
    expect(await t.call('orders:numberInfo', { phone: 'not a number' })).toEqual({ ok: true, value: { kind: 'unknown' } });
    expect(t.platform.seen).toEqual([]);
    const warm = t.lines.find((l) => l.message === 'number location data ready');
    expect(warm?.context).toMatchObject({ prefixes: expect.any(Number) });
    expect(t.logText()).not.toContain(PHONE);
  });
});

describe('orders platform calls', () => {
  it('looks up caller history and 并单 candidates with the session token', async () => {
    const t = start();
    const flags = { openOrders: 1, last30Days: 2, confidentialBefore: false };
    t.platform.on('POST /v1/callers/history', { status: 200, body: { orders: [summary()], total: 3, flags } });
    t.platform.on('POST /v1/orders/similar', { status: 200, body: { orders: [{ ...summary(), matchedBy: ['caller', 'address'] }] } });
    await t.signIn();

    expect(await t.call('orders:history', { phone: '+86 139-1234-5678' })).toEqual({ ok: true, value: { orders: [summary()], total: 3, flags } });
    const similar = await t.call('orders:similar', { phone: PHONE, address: { district: '福田区', detail: '某路1号' }, categoryCode: '01.02' });
    expect(similar.ok && (similar.value as { orders: unknown[] }).orders).toHaveLength(1);

    const [history, candidates] = t.platform.calls();
    expect(history).toMatchObject({ method: 'POST', path: '/v1/callers/history', body: { phone: PHONE } });
    expect(history!.headers.authorization).toMatch(/^Bearer access-/);
    expect(candidates).toMatchObject({ method: 'POST', path: '/v1/orders/similar', body: { phone: PHONE, address: { district: '福田区', detail: '某路1号' }, categoryCode: '01.02' } });
    expect(t.logText()).not.toContain(PHONE);
    expect(t.logText()).not.toContain('139-1234');
  });

  it('pushes the outbox with its local database’s client id, each mutation keeping its own key', async () => {
    const t = start();
    t.platform.on('POST /v1/orders/push', (req) => ({
      status: 200,
      body: {
        results: (req.body as { mutations: { idempotencyKey: string }[] }).mutations.map((m, i) =>
          i === 0 ? { idempotencyKey: m.idempotencyKey, status: 201, order: order() } : { idempotencyKey: m.idempotencyKey, status: 422, error: { code: 'invalid_request', message: 'bad' } },
        ),
      },
    }));
    await t.signIn();
    const mutations = [
      { idempotencyKey: 'ws-key-00000001', clientSeq: 7, clientOrderId: CLIENT_ORDER_ID, submit: true, order: orderInput },
      { idempotencyKey: 'ws-key-00000002', clientSeq: 8, clientOrderId: crypto.randomUUID(), submit: false, order: orderInput },
    ];
    const res = await t.call('orders:push', { source: SOURCE, owner: 'agent01', mutations });
    expect(res.ok).toBe(true);
    expect(res.ok && (res.value as { results: { status: number }[] }).results.map((r) => r.status)).toEqual([201, 422]);

    const [push] = t.platform.calls();
    expect(push!.path).toBe('/v1/orders/push');
    expect(push!.body).toEqual({ clientId: outboxClientId(t.clientId(), SOURCE), mutations });
    expect(t.clientId()).toMatch(/^ws-[0-9a-f]{24}$/);
    expect(outboxClientId(t.clientId(), SOURCE)).toMatch(new RegExp(`^${t.clientId()}-[0-9a-f]{24}$`));
    // The batch has no key of its own: each mutation is applied with its own.
    expect(push!.headers['idempotency-key']).toBeUndefined();
    expect(t.logText()).not.toContain('张三');
  });

  it('sends a follow-up and a reveal with the Idempotency-Key header, client id and sequence', async () => {
    const t = start();
    t.platform.on('POST /v1/orders/' + ORDER_ID + '/follow-ups', { status: 200, body: order({ followUpCount: 2 }) });
    t.platform.on('POST /v1/callers/reveals', { status: 200, body: { recorded: true } });
    await t.signIn();

    const followUp = { content: '再次来电催办', caller: { phone: PHONE } };
    const res = await t.call('orders:followUp', { source: SOURCE, idempotencyKey: 'ws-fu-00000009', clientSeq: 9, orderId: ORDER_ID, followUp });
    expect(res.ok && (res.value as { followUpCount: number }).followUpCount).toBe(2);
    expect(await t.call('orders:recordReveal', { source: SOURCE, owner: 'agent01', idempotencyKey: 'ws-rv-00000010', clientSeq: 10, phone: PHONE, purpose: '回拨核实', callId: 'call-1' })).toEqual({
      ok: true,
      value: { recorded: true },
    });

    const [fu, reveal] = t.platform.calls();
    expect(fu).toMatchObject({ method: 'POST', path: `/v1/orders/${ORDER_ID}/follow-ups`, body: { clientId: outboxClientId(t.clientId(), SOURCE), clientSeq: 9, followUp } });
    expect(fu!.headers['idempotency-key']).toBe('ws-fu-00000009');
    expect(reveal).toMatchObject({ method: 'POST', path: '/v1/callers/reveals', body: { clientId: outboxClientId(t.clientId(), SOURCE), clientSeq: 10, phone: PHONE, purpose: '回拨核实', callId: 'call-1' } });
    expect(reveal!.headers['idempotency-key']).toBe('ws-rv-00000010');
    expect(t.logText()).not.toContain(PHONE);
  });

  it('names the outbox’s client by the local database: a new database is a new client, the same one keeps its id', () => {
    const other = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';
    expect(outboxClientId('ws-000000000000000000000001', SOURCE)).toBe(outboxClientId('ws-000000000000000000000001', SOURCE));
    expect(outboxClientId('ws-000000000000000000000001', other)).not.toBe(outboxClientId('ws-000000000000000000000001', SOURCE));
    expect(outboxClientId('ws-000000000000000000000002', SOURCE)).not.toBe(outboxClientId('ws-000000000000000000000001', SOURCE));
    expect(outboxClientId('ws-000000000000000000000001', SOURCE)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('sends an entry only with its own agent’s session: another agent’s waits (signed_out), nothing reaches the platform', async () => {
    const t = start();
    t.platform.on('POST /v1/callers/reveals', { status: 200, body: { recorded: true } });
    await t.signIn();
    const res = await t.call('orders:recordReveal', { source: SOURCE, owner: 'agent02', idempotencyKey: 'ws-rv-00000011', clientSeq: 11, phone: PHONE, purpose: '回拨核实' });
    expect(res).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
    expect(t.platform.calls()).toEqual([]);
  });

  it('gets one order', async () => {
    const t = start();
    t.platform.on('GET /v1/orders/' + ORDER_ID, { status: 200, body: order() });
    await t.signIn();
    expect(await t.call('orders:get', { id: ORDER_ID })).toEqual({ ok: true, value: order() });
    expect(t.platform.calls()[0]).toMatchObject({ method: 'GET', path: `/v1/orders/${ORDER_ID}` });
  });
});

describe('orders platform failures', () => {
  const followUp = { source: SOURCE, idempotencyKey: 'ws-fu-00000001', clientSeq: 1, orderId: ORDER_ID, followUp: { content: '催办' } };
  const reveal = { source: SOURCE, idempotencyKey: 'ws-rv-00000001', clientSeq: 1, phone: PHONE, purpose: '回拨核实' };
  const CASES: [name: string, answer: Answer, channel: string, route: string, payload: unknown, code: string][] = [
    ['network down', 'network', 'orders:history', 'POST /v1/callers/history', { phone: PHONE }, 'unavailable'],
    ['timeout', 'timeout', 'orders:push', 'POST /v1/orders/push', { source: SOURCE, mutations: [{ idempotencyKey: 'ws-key-00000001', clientSeq: 1, clientOrderId: CLIENT_ORDER_ID, submit: true, order: orderInput }] }, 'unavailable'],
    ['server error', apiError(503, 'internal'), 'orders:get', `GET /v1/orders/${ORDER_ID}`, { id: ORDER_ID }, 'unavailable'],
    ['reply breaking the contract', { status: 200, body: { orders: 'nope' } }, 'orders:similar', 'POST /v1/orders/similar', { phone: PHONE }, 'unavailable'],
    ['rate limited', apiError(429, 'rate_limited'), 'orders:history', 'POST /v1/callers/history', { phone: PHONE }, 'unavailable'],
    ['not found (declared)', apiError(404, 'not_found'), 'orders:get', `GET /v1/orders/${ORDER_ID}`, { id: ORDER_ID }, 'not_found'],
    ['not found (follow-up)', apiError(404, 'not_found'), 'orders:followUp', `POST /v1/orders/${ORDER_ID}/follow-ups`, followUp, 'not_found'],
    ['conflict', apiError(409, 'conflict'), 'orders:followUp', `POST /v1/orders/${ORDER_ID}/follow-ups`, followUp, 'conflict'],
    ['sequence replayed', apiError(409, 'sequence_replayed'), 'orders:followUp', `POST /v1/orders/${ORDER_ID}/follow-ups`, followUp, 'out_of_sequence'],
    ['sequence replayed (reveal)', apiError(409, 'sequence_replayed'), 'orders:recordReveal', 'POST /v1/callers/reveals', reveal, 'out_of_sequence'],
    ['push too large for the platform', apiError(413, 'payload_too_large'), 'orders:push', 'POST /v1/orders/push', { source: SOURCE, mutations: [{ idempotencyKey: 'ws-key-00000001', clientSeq: 1, clientOrderId: CLIENT_ORDER_ID, submit: true, order: orderInput }] }, 'too_large'],
    ['too large where undeclared', apiError(413, 'payload_too_large'), 'orders:similar', 'POST /v1/orders/similar', { phone: PHONE }, 'rejected'],
    ['sequence replayed where undeclared', apiError(409, 'sequence_replayed'), 'orders:get', `GET /v1/orders/${ORDER_ID}`, { id: ORDER_ID }, 'rejected'],
    ['validation 400', apiError(400, 'invalid_request'), 'orders:followUp', `POST /v1/orders/${ORDER_ID}/follow-ups`, followUp, 'invalid'],
    ['key reused 422', apiError(422, 'idempotency_key_reused'), 'orders:recordReveal', 'POST /v1/callers/reveals', reveal, 'invalid'],
    ['forbidden', apiError(403, 'forbidden'), 'orders:recordReveal', 'POST /v1/callers/reveals', reveal, 'rejected'],
    ['conflict where undeclared', apiError(409, 'conflict'), 'orders:recordReveal', 'POST /v1/callers/reveals', reveal, 'rejected'],
    ['validation where undeclared', apiError(400, 'invalid_request'), 'orders:similar', 'POST /v1/orders/similar', { categoryCode: 'x' }, 'rejected'],
    ['not found where undeclared', apiError(404, 'not_found'), 'orders:history', 'POST /v1/callers/history', { phone: PHONE }, 'rejected'],
  ];

  it.each(CASES)('%s: answers its declared code', async (_name, answer, channel, route, payload, code) => {
    const t = start();
    t.platform.on(route, answer);
    await t.signIn();
    const res = await t.call(channel, payload);
    expect(res).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    // The platform's own code is kept in the message (e.g. a 409 that is a replayed sequence number).
    const apiCode = typeof answer === 'object' ? (answer.body as { error?: { code: string } } | undefined)?.error?.code : undefined;
    if (apiCode) expect(!res.ok && res.error.message).toContain(`(${apiCode})`);
    expect(t.logText()).not.toContain(PHONE);
    expect(t.lines.find((l) => l.message === 'platform call failed')?.context).toMatchObject({ channel, code });
  });

  it('answers signed_out without a session, and when the session ends during a call', async () => {
    const t = start();
    expect(await t.call('orders:history', { phone: PHONE })).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
    expect(t.platform.calls()).toEqual([]);

    await t.signIn();
    t.platform.on('POST /v1/callers/history', apiError(401, 'unauthenticated'));
    t.platform.on('POST /v1/auth/refresh', apiError(401, 'unauthenticated'));
    expect(await t.call('orders:history', { phone: PHONE })).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
    expect(t.core.session.status().state).toBe('signedOut');
    expect(await t.call('orders:get', { id: ORDER_ID })).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
  });

  it('goes offline when calls get no answer three times in a row and nothing answered for 2 s, and online again by itself when the platform is back', async () => {
    const t = start();
    await t.signIn();
    const unavailable = { ok: false, error: { code: 'unavailable', message: expect.any(String) } };
    // A request lost now and then on a lossy path, among answered ones: still online (no flapping).
    t.platform.on('POST /v1/callers/history', 'network');
    for (let i = 0; i < 2; i++) expect(await t.call('orders:history', { phone: PHONE })).toEqual(unavailable);
    expect(t.core.session.status().state).toBe('online');
    t.platform.on('GET /v1/orders/' + ORDER_ID, apiError(404, 'not_found'));
    expect(await t.call('orders:get', { id: ORDER_ID })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    for (let i = 0; i < 3; i++) expect(await t.call('orders:history', { phone: PHONE })).toEqual(unavailable);
    // Three in a row, but the platform answered a moment ago: still online.
    expect(t.core.session.status().state).toBe('online');
    // Nothing answered for 2 s, and one more lost: the platform is down.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2_500);
      expect(await t.call('orders:history', { phone: PHONE })).toEqual(unavailable);
    } finally {
      vi.useRealTimers();
    }
    expect(t.core.session.status().state).toBe('offline');
    // An HTTP error is an answer: it does not make the session offline.
    await vi.waitFor(() => expect(t.core.session.status().state).toBe('online'), { timeout: 5_000, interval: 50 });
    t.platform.on('POST /v1/callers/history', apiError(503, 'internal'));
    expect(await t.call('orders:history', { phone: PHONE })).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(t.core.session.status().state).toBe('online');
  });

  it('answers unavailable while the platform is unreachable after a restart', async () => {
    const dir = tmpDir('ws-orders-offline-');
    const key = crypto.randomBytes(32);
    const first = start({ dir, key });
    await first.signIn();
    first.core.dispose();
    const down = new FakePlatform();
    down.on('POST /v1/auth/refresh', 'network');
    const second = start({ dir, key, platform: down });
    expect(await second.call('orders:history', { phone: PHONE })).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(second.core.session.status().state).toBe('offline');
  });
});
