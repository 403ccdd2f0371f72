/**
 * Transfers with context through the HTTP API on a real database: a ticket's context for the
 * target, transfer records (pending, then the outcome; a final outcome kept), the target
 * organisation's access that follows a transfer record, handling records seen by the centre and in
 * its feed, and forged, foreign or malformed tickets answered as "no such order".
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createBody, nextSeq, sampleOrder, startTestPlatform, type TestPlatform } from './harness';
import { orderSchema } from '../../shared/orders/routes';
import type { OrderInput } from '../../shared/orders/work-order';
import { handlingRecordSchema, ticketContextSchema, transferRecordSchema, type TransferInput } from '../../shared/transfers/routes';

const ENTRY = (number: string, unitCode: string | null, name: string) => ({
  number,
  name,
  mergeMode: 'subcenter',
  status: 'active',
  unitCode,
  transferUri: `sip:${number}@127.0.0.1`,
  threeWay: true,
  serviceHours: '7x24',
  note: null,
  categoryCode: null,
});

describe.each(ENGINES)('transfers with context on %s', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(engine);
    for (const e of [ENTRY('12366', 'QY-12366', '纳税缴费服务热线'), ENTRY('12360', 'QY-12360', '海关公益服务电话'), ENTRY('12345', null, '12345热线')]) {
      const r = await t.request({ method: 'PUT', url: `/v1/admin/directory/${e.number}`, token: t.admin.accessToken, body: e });
      expect(r.statusCode, r.body).toBe(200);
    }
  }, 60_000);
  afterAll(async () => t?.close());

  const create = async (order: OrderInput) => {
    const body = createBody(order, true);
    const r = await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(r.statusCode, r.body).toBe(201);
    return { order: orderSchema.parse(r.json()), ticket: body.clientOrderId };
  };
  const context = (ticket: string, token: string) => t.request({ method: 'GET', url: `/v1/tickets/${ticket}`, token });
  const transfer = (ticket: string, id: string, input: TransferInput, token = t.agent.accessToken, key = crypto.randomUUID(), clientId = 'test-agent01') =>
    t.request({ method: 'PUT', url: `/v1/tickets/${ticket}/transfers/${id}`, token, body: { clientId, clientSeq: nextSeq(), transfer: input }, headers: { 'idempotency-key': key } });
  const handling = (ticket: string, id: string, text: string, token: string, clientId: string) =>
    t.request({ method: 'PUT', url: `/v1/tickets/${ticket}/handling/${id}`, token, body: { clientId, clientSeq: nextSeq(), handling: { text, at: new Date().toISOString() } }, headers: { 'idempotency-key': crypto.randomUUID() } });
  const changes = async (token: string, after: string) => {
    const r = await t.request({ method: 'GET', url: `/v1/orders/changes?after=${after}&limit=500`, token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { changes: { orderId: string; action: string; detail?: { note?: string; org?: string } }[]; checkpoint: string };
  };
  const now = () => new Date().toISOString();
  const transferred = (summary: string) => sampleOrder({ disposition: 'transferred', transferTarget: 'QY-12366', handlingUnit: undefined, summary, categoryCode: '13' as never });

  it('shows the target sub-center the order, summary, transfers, handling and history; the centre sees the handling', async () => {
    const { order, ticket } = await create(transferred('来电人咨询个税汇算退税进度，已告知转12366'));
    expect(order.status).toBe('transferred');
    const startFeed = (await changes(t.agent.accessToken, 'now')).checkpoint;

    const id = crypto.randomUUID();
    const startedAt = now();
    const pending = await transfer(ticket, id, { kind: 'threeWay', targetNumber: '12366', outcome: 'pending', startedAt });
    expect(pending.statusCode, pending.body).toBe(200);
    expect(transferRecordSchema.parse(pending.json())).toMatchObject({ kind: 'threeWay', targetNumber: '12366', targetName: '纳税缴费服务热线', targetOrg: 'QY-12366', outcome: 'pending', by: 'agent01', byOrg: 'QY-12345' });

    const r = await context(ticket, t.subcenterTax.accessToken);
    expect(r.statusCode, r.body).toBe(200);
    const ctx = ticketContextSchema.parse(r.json());
    expect(ctx.order).toMatchObject({ id: order.id, orderNo: order.orderNo, status: 'transferred', summary: '来电人咨询个税汇算退税进度，已告知转12366' });
    // The caller's number is masked for the sub-center as for anyone.
    expect(ctx.order.caller.phone).not.toBe('13812345678');
    expect(ctx.transfers.map((x) => x.outcome)).toEqual(['pending']);
    expect(ctx.history.orders.map((o) => o.id)).toContain(order.id);

    const done = await transfer(ticket, id, { kind: 'threeWay', targetNumber: '12366', outcome: 'connected', startedAt, endedAt: now() });
    expect(done.json()).toMatchObject({ outcome: 'connected' });
    // A late pending (a resend overtaken by the outcome) and a changed kind do not undo it.
    expect((await transfer(ticket, id, { kind: 'threeWay', targetNumber: '12366', outcome: 'pending', startedAt })).json()).toMatchObject({ outcome: 'connected' });
    expect((await transfer(ticket, id, { kind: 'blind', targetNumber: '12366', outcome: 'connected', startedAt, endedAt: now() })).statusCode).toBe(409);
    expect((await transfer(ticket, id, { kind: 'threeWay', targetNumber: '12366', outcome: 'failed', reason: 'busy', startedAt, endedAt: now() })).json()).toMatchObject({ outcome: 'connected' });

    const h = await handling(ticket, crypto.randomUUID(), '已核实退税进度，告知来电人3个工作日内到账，来电人满意。回访电话13912345678', t.subcenterTax.accessToken, 'test-tax01');
    expect(h.statusCode, h.body).toBe(200);
    expect(handlingRecordSchema.parse(h.json())).toMatchObject({ by: 'tax01', byOrg: 'QY-12366' });
    expect(h.json().text).not.toContain('13912345678');

    // The 12345 seat sees the handling in its order's context, and its feed says so.
    const back = ticketContextSchema.parse((await context(ticket, t.agent.accessToken)).json());
    expect(back.handling.map((x) => x.by)).toEqual(['tax01']);
    expect(back.transfers).toEqual([expect.objectContaining({ outcome: 'connected', kind: 'threeWay' })]);
    const feed = await changes(t.agent.accessToken, startFeed);
    const mine = feed.changes.filter((c) => c.orderId === order.id).map((c) => c.action);
    expect(mine).toEqual(['transfer', 'transfer', 'handling']);
    expect(feed.changes.find((c) => c.action === 'handling' && c.orderId === order.id)?.detail).toMatchObject({ org: 'QY-12366' });
    // The sub-center's own feed carries it too.
    const taxFeed = await changes(t.subcenterTax.accessToken, '0');
    expect(taxFeed.changes.some((c) => c.orderId === order.id && c.action === 'handling')).toBe(true);
  });

  it('lets another sub-center see an order only once a transfer to it is recorded, and never a forged or malformed ticket', async () => {
    const { order, ticket } = await create(transferred('涉及进口货物报关'));
    expect((await context(ticket, t.subcenterCustoms.accessToken)).statusCode).toBe(404);
    // 12366 transfers the caller on to 12360 (customs): from then on customs may see it.
    const id = crypto.randomUUID();
    const r = await transfer(ticket, id, { kind: 'blind', targetNumber: '12360', outcome: 'pending', startedAt: now() }, t.subcenterTax.accessToken, crypto.randomUUID(), 'test-tax01');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ targetOrg: 'QY-12360', byOrg: 'QY-12366' });
    const customs = await context(ticket, t.subcenterCustoms.accessToken);
    expect(customs.statusCode).toBe(200);
    expect(customs.json().order.id).toBe(order.id);

    // Orders never transferred to a sub-center stay out of its reach, whatever the ticket.
    const other = await create(sampleOrder());
    for (const [token, clientId] of [[t.subcenterTax.accessToken, 'test-tax01'], [t.subcenterCustoms.accessToken, 'test-customs01']] as const) {
      const denied = await context(other.ticket, token);
      expect(denied.statusCode).toBe(404);
      expect(denied.json().error.code).toBe('not_found');
      const forged = await handling(other.ticket, crypto.randomUUID(), '伪造', token, clientId);
      expect(forged.statusCode, forged.body).toBe(404);
    }
    // The other city's agent: same answer for an order of ours.
    expect((await context(ticket, t.agentOther.accessToken)).statusCode).toBe(404);
    // Unknown and malformed tickets.
    expect((await context(crypto.randomUUID(), t.agent.accessToken)).statusCode).toBe(404);
    for (const bad of ['not-a-uuid', '1%27%20or%201%3D1', 'x'.repeat(40)]) expect((await context(bad, t.agent.accessToken)).statusCode).toBe(400);
    // A record of a failed transfer needs its reason; a final one its end.
    const bad = await transfer(ticket, crypto.randomUUID(), { kind: 'blind', targetNumber: '12360', outcome: 'failed', startedAt: now(), endedAt: now() } as TransferInput);
    expect(bad.statusCode).toBe(400);
    // A transfer id used on one order cannot be moved to another.
    expect((await transfer(other.ticket, id, { kind: 'blind', targetNumber: '12360', outcome: 'pending', startedAt: now() })).statusCode).toBe(409);
  });

  it('records an emergency linkage even when the transfer failed, and replays a record sent again with its key', async () => {
    const { ticket } = await create(sampleOrder({ disposition: 'emergency', emergencyLine: '120', handlingUnit: undefined }));
    const id = crypto.randomUUID();
    const key = crypto.randomUUID();
    const input: TransferInput = { kind: 'emergency', targetNumber: '120', outcome: 'failed', reason: 'busy', startedAt: now(), endedAt: now() };
    const body = { clientId: 'test-agent01', clientSeq: nextSeq(), transfer: input };
    const send = () => t.request({ method: 'PUT', url: `/v1/tickets/${ticket}/transfers/${id}`, token: t.agent.accessToken, body, headers: { 'idempotency-key': key } });
    const first = await send();
    expect(first.statusCode, first.body).toBe(200);
    // The same request again (its answer lost on the way): the stored answer, one record.
    const replay = await send();
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    const ctx = ticketContextSchema.parse((await context(ticket, t.agent.accessToken)).json());
    expect(ctx.order).toMatchObject({ disposition: 'emergency', emergencyLine: '120' });
    expect(ctx.transfers).toEqual([expect.objectContaining({ kind: 'emergency', targetNumber: '120', outcome: 'failed', reason: 'busy' })]);
  });
});
