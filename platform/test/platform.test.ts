import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ENGINES, PASSWORD, createBody, nextSeq, sampleOrder, startTestPlatform, type TestPlatform } from './harness';
import { allRoutes } from '../../shared/http';
import { PUSH_MAX_MUTATIONS, orderSchema } from '../../shared/orders/routes';
import { apiErrorSchema } from '../../shared/http/route';
import { createPlatform } from '../src/app';
import { sealAudit, verifyAudit } from '../src/audit/audit-chain';

describe.each(ENGINES)('platform on %s', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(engine, { loginMaxFailuresPerAccount: 3 });
  }, 60_000);
  afterAll(async () => t?.close());

  const create = (body = createBody(), token = t.agent.accessToken, key = crypto.randomUUID()) =>
    t.request({ method: 'POST', url: '/v1/orders', token, body, headers: { 'idempotency-key': key } });
  const countOrders = async () => Number((await t.platform.services.db.query<{ n: string }>('select count(*)::text as n from orders')).rows[0]!.n);

  it('answers health without a token', async () => {
    const r = await t.request({ method: 'GET', url: '/v1/health' });
    expect(r.json()).toMatchObject({ status: 'ok', database: engine });
  });

  it('reaches no protected endpoint without a valid token', async () => {
    for (const route of allRoutes().filter((r) => r.auth !== 'public')) {
      const url = route.path.replace(':id', crypto.randomUUID());
      const sig = t.agent.accessToken.split('.')[2]!;
      // One signature character changed (not the last, whose low bits base64url ignores).
      const flipped = t.agent.accessToken.slice(0, -sig.length) + sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
      for (const token of [undefined, 'garbage', flipped, t.agent.accessToken + 'x']) {
        const r = await t.request({ method: route.method, url, token, body: route.body ? {} : undefined });
        expect(r.statusCode, `${route.id} ${token ?? 'none'}`).toBe(401);
        expect(apiErrorSchema.safeParse(r.json()).success).toBe(true);
      }
    }
  });

  it('enforces roles', async () => {
    const createUser = (token: string, account: string, role: string) =>
      t.request({ method: 'POST', url: '/v1/admin/users', token, body: { account, displayName: account, role, orgCode: 'QY-12345', password: 'long-enough-pw' } });
    expect((await createUser(t.agent.accessToken, 'x1', 'admin')).statusCode).toBe(403);
    expect((await createUser(t.admin.accessToken, 'agent02', 'agent')).statusCode).toBe(201);
  });

  it('rejects wrong passwords and rate-limits repeated failures', async () => {
    const bad = () => t.request({ method: 'POST', url: '/v1/auth/login', body: { account: 'lead01', password: 'wrong', clientId: 'test-client-x' } });
    for (let i = 0; i < 3; i++) expect((await bad()).statusCode).toBe(401);
    const limited = await bad();
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Even the right password waits out the window.
    const right = await t.request({ method: 'POST', url: '/v1/auth/login', body: { account: 'lead01', password: PASSWORD, clientId: 'test-client-x' } });
    expect(right.statusCode).toBe(429);
  });

  it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
    const first = t.agent.refreshToken;
    const r1 = await t.request({ method: 'POST', url: '/v1/auth/refresh', body: { refreshToken: first } });
    expect(r1.statusCode).toBe(200);
    const second = r1.json().refreshToken as string;
    expect((await t.request({ method: 'POST', url: '/v1/auth/refresh', body: { refreshToken: first } })).statusCode).toBe(401);
    expect((await t.request({ method: 'POST', url: '/v1/auth/refresh', body: { refreshToken: second } })).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/v1/me', token: r1.json().accessToken })).json()).toMatchObject({ account: 'agent01', role: 'agent' });
  });

  it('creates a numbered order with caller data masked', async () => {
    const r = await create();
    expect(r.statusCode).toBe(201);
    const order = orderSchema.parse(r.json());
    expect(order.orderNo).toMatch(/^QY\d{8}\d{6}$/);
    expect(order.status).toBe('dispatched');
    expect(order.caller.phone).toBe('138****5678');
    expect(order.caller.name).toBe('张**');
    expect(JSON.stringify(order)).not.toContain('13812345678');
    expect(order.content).toContain('联系电话138****5678');
  });

  it('1,000 concurrent replays of one mutation create exactly one order', async () => {
    const before = await countOrders();
    const body = createBody();
    const key = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 1000 }, () => create(body, t.agent.accessToken, key)));
    expect(results.map((r) => r.statusCode).every((s) => s === 201)).toBe(true);
    expect(new Set(results.map((r) => r.json().orderNo)).size).toBe(1);
    expect(await countOrders()).toBe(before + 1);
  }, 120_000);

  it('takes an outbox push: each creation applied once, in order, with its own result', async () => {
    const before = await countOrders();
    const clientId = `push-${crypto.randomBytes(4).toString('hex')}`;
    const base = nextSeq();
    const mutations = [0, 1, 2].map((i) => ({
      idempotencyKey: crypto.randomUUID(),
      clientSeq: base + i,
      clientOrderId: crypto.randomUUID(),
      submit: true,
      order: sampleOrder({ title: `推送工单 ${i}` }),
    }));
    const push = (ms: typeof mutations) => t.request({ method: 'POST', url: '/v1/orders/push', token: t.agent.accessToken, body: { clientId, mutations: ms } });
    const first = await push(mutations);
    expect(first.statusCode).toBe(200);
    const r1 = first.json().results;
    expect(r1.map((r: { status: number }) => r.status)).toEqual([201, 201, 201]);
    expect(r1.map((r: { order: { title: string } }) => r.order.title)).toEqual(['推送工单 0', '推送工单 1', '推送工单 2']);
    // The batch was written in one statement with everything a single create writes.
    const ids = r1.map((r: { order: { id: string } }) => r.order.id);
    const feed = await t.platform.services.db.query<{ order_id: string; action: string }>(
      'select order_id, action from order_changes where order_id = any($1::uuid[]) order by xid, seq',
      [ids],
    );
    expect(feed.rows.filter((f) => f.order_id === ids[1]).map((f) => f.action)).toEqual(['create', 'submit']);
    const audited = await t.platform.services.db.query<{ n: string }>(`select count(*)::text as n from audit_log where action = 'order.create' and subject_id = any($1::text[])`, [ids]);
    expect(audited.rows[0]!.n).toBe('3');
    // The same key sent alone later (the outbox retrying one item) gets the same order.
    const m1 = mutations[1]!;
    const single = await t.request({
      method: 'POST',
      url: '/v1/orders',
      token: t.agent.accessToken,
      headers: { 'idempotency-key': m1.idempotencyKey },
      body: { clientId, clientSeq: m1.clientSeq, clientOrderId: m1.clientOrderId, submit: m1.submit, order: m1.order },
    });
    expect(single.json().orderNo).toBe(r1[1].order.orderNo);
    // The connection dropped before the reply: the same push again replays, creating nothing.
    const again = (await push(mutations)).json().results;
    expect(again.map((r: { order: { orderNo: string } }) => r.order.orderNo)).toEqual(r1.map((r: { order: { orderNo: string } }) => r.order.orderNo));
    expect(again).toEqual(r1);
    expect(await countOrders()).toBe(before + 3);
    // Sent again with one item's key on other content: not a replay of the push — that item is
    // refused as a reused key, the others still get their stored replies.
    const altered = (await push([mutations[0]!, { ...mutations[1]!, order: sampleOrder({ title: '改过的内容' }) }, mutations[2]!])).json().results;
    expect(altered.map((r: { status: number }) => r.status)).toEqual([201, 422, 201]);
    expect(altered[1].error.code).toBe('idempotency_key_reused');
    expect([altered[0].order.orderNo, altered[2].order.orderNo]).toEqual([r1[0].order.orderNo, r1[2].order.orderNo]);
    expect(await countOrders()).toBe(before + 3);
    // A bad item gets its own error; the rest of the batch still goes through.
    const mixed = [
      { ...mutations[0]!, idempotencyKey: crypto.randomUUID(), clientOrderId: crypto.randomUUID() }, // seq already used
      { ...mutations[0]!, idempotencyKey: crypto.randomUUID(), clientSeq: base + 10, clientOrderId: crypto.randomUUID() },
    ];
    const r3 = (await push(mixed)).json().results;
    expect(r3.map((r: { status: number }) => r.status)).toEqual([409, 201]);
    expect(r3[0].error.code).toBe('sequence_replayed');
    expect(await countOrders()).toBe(before + 4);
  });

  it('takes a push of long complaints beyond the default body limit, up to its own (2 MiB and 500 creations); beyond that 413 or 400, nothing created', async () => {
    const before = await countOrders();
    const clientId = `push-${crypto.randomBytes(4).toString('hex')}`;
    const mutations = (n: number, chars: number) => {
      const base = nextSeq() + 1_000;
      return Array.from({ length: n }, (_, i) => ({
        idempotencyKey: crypto.randomUUID(),
        clientSeq: base + i,
        clientOrderId: crypto.randomUUID(),
        submit: true,
        order: sampleOrder({ title: `长篇投诉 ${i}`, content: '很'.repeat(chars) }),
      }));
    };
    const push = (ms: unknown[]) => t.request({ method: 'POST', url: '/v1/orders/push', token: t.agent.accessToken, body: { clientId, mutations: ms } });
    // 40 orders of 4,000 characters: about 490 KB, far above the 64 KiB of a single request.
    const long = await push(mutations(40, 4_000));
    expect(long.statusCode).toBe(200);
    expect(long.json().results.every((r: { status: number }) => r.status === 201)).toBe(true);
    expect(await countOrders()).toBe(before + 40);
    // Over 2 MiB: refused as too large; over 500 creations: refused as invalid.
    const huge = await push(mutations(200, 4_000));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const many = await push(mutations(PUSH_MAX_MUTATIONS + 1, 4));
    expect(many.statusCode).toBe(400);
    expect(await countOrders()).toBe(before + 40);
    // Other routes keep the default limit.
    const single = await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, headers: { 'idempotency-key': crypto.randomUUID() }, body: createBody(sampleOrder({ content: '很'.repeat(30_000) })) });
    expect(single.statusCode).toBe(413);
  });

  it('rejects a reused key with different content, and a replayed sequence number', async () => {
    const key = crypto.randomUUID();
    const body = createBody();
    expect((await create(body, t.agent.accessToken, key)).statusCode).toBe(201);
    const other = await create({ ...body, order: sampleOrder({ title: '另一件事' }) }, t.agent.accessToken, key);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    const replayedSeq = await create({ ...createBody(), clientSeq: body.clientSeq });
    expect(replayedSeq.statusCode).toBe(409);
    expect(replayedSeq.json().error.code).toBe('sequence_replayed');
  });

  it('replays an update or an action sent again with the same key, refusing a different body, a used sequence and a stale version', async () => {
    const db = t.platform.services.db;
    const state = async (id: string) => {
      const o = (await db.query<{ version: number; status: string; title: string }>('select version, status, title from orders where id = $1', [id])).rows[0]!;
      const changes = (await db.query<{ n: string }>('select count(*)::text as n from order_changes where order_id = $1', [id])).rows[0]!.n;
      const audits = (await db.query<{ n: string }>('select count(*)::text as n from audit_log where subject_id = $1', [id])).rows[0]!.n;
      return { ...o, changes, audits };
    };
    const clientId = `idem-${crypto.randomBytes(4).toString('hex')}`;
    const draft = (await create({ ...createBody(sampleOrder(), false), clientId })).json();
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    const put = (key: string, body: Record<string, unknown>) => t.request({ method: 'PUT', url: `/v1/orders/${draft.id}`, token: t.agent.accessToken, headers: { 'idempotency-key': key }, body });
    const act = (key: string, body: Record<string, unknown>, token = t.lead.accessToken) =>
      t.request({ method: 'POST', url: `/v1/orders/${draft.id}/actions`, token, headers: { 'idempotency-key': key }, body });

    // Update: the same key and body again replays the stored reply and changes nothing more.
    const updateKey = crypto.randomUUID();
    const update = { clientId, clientSeq: nextSeq(), baseVersion: 1, order: sampleOrder({ title: '改过的标题' }) };
    const u1 = await put(updateKey, update);
    expect(u1.statusCode).toBe(200);
    expect(u1.json()).toMatchObject({ version: 2, title: '改过的标题' });
    const afterUpdate = await state(draft.id);
    const u2 = await put(updateKey, update);
    expect(u2.statusCode).toBe(200);
    expect(u2.json()).toEqual(u1.json());
    expect(await state(draft.id)).toEqual(afterUpdate);
    // The same key with another body is refused, and changes nothing.
    const u3 = await put(updateKey, { ...update, order: sampleOrder({ title: '第三个标题' }) });
    expect(u3.statusCode).toBe(422);
    expect(u3.json().error.code).toBe('idempotency_key_reused');
    // A new key with a sequence number this client already used is refused, though the version is current.
    const u4 = await put(crypto.randomUUID(), { ...update, baseVersion: 2, order: sampleOrder({ title: '第四个标题' }) });
    expect(u4.statusCode).toBe(409);
    expect(u4.json().error.code).toBe('sequence_replayed');
    // A new key and sequence on a stale version is refused.
    const u5 = await put(crypto.randomUUID(), { ...update, clientSeq: nextSeq(), baseVersion: 1, order: sampleOrder({ title: '第五个标题' }) });
    expect(u5.statusCode).toBe(409);
    expect(u5.json().error.code).toBe('conflict');
    expect(await state(draft.id)).toEqual(afterUpdate);

    // Action: the same for a submit.
    const actKey = crypto.randomUUID();
    const submit = { clientId, clientSeq: nextSeq(), baseVersion: 2, action: 'submit' };
    const a1 = await act(actKey, submit);
    expect(a1.statusCode).toBe(200);
    expect(a1.json()).toMatchObject({ status: 'dispatched', version: 3 });
    const afterSubmit = await state(draft.id);
    const a2 = await act(actKey, submit);
    expect(a2.statusCode).toBe(200);
    expect(a2.json()).toEqual(a1.json());
    expect(await state(draft.id)).toEqual(afterSubmit);
    const a3 = await act(actKey, { ...submit, action: 'reply' });
    expect(a3.statusCode).toBe(422);
    expect(a3.json().error.code).toBe('idempotency_key_reused');
    // Another client cannot replay (and so read) this client's reply with its key.
    const a4 = await act(actKey, { ...submit, clientId: `${clientId}-b` });
    expect(a4.statusCode).toBe(422);
    const a5 = await act(crypto.randomUUID(), { ...submit, baseVersion: 3, action: 'reply' });
    expect(a5.statusCode).toBe(409);
    expect(a5.json().error.code).toBe('sequence_replayed');
    const a6 = await act(crypto.randomUUID(), { ...submit, clientSeq: nextSeq(), baseVersion: 2, action: 'reply' });
    expect(a6.statusCode).toBe(409);
    expect(a6.json().error.code).toBe('conflict');
    expect(await state(draft.id)).toEqual(afterSubmit);
    // The current version with a fresh key and sequence goes through.
    const a7 = await act(crypto.randomUUID(), { ...submit, clientSeq: nextSeq(), baseVersion: 3, action: 'reply' });
    expect(a7.json()).toMatchObject({ status: 'replied', version: 4 });
  });

  it('keeps organisations apart: agents, and sub-centers that see only their transfers', async () => {
    const own = (await create()).json();
    const transfer = (
      await create(createBody(sampleOrder({ disposition: 'transferred', handlingUnit: undefined, transferTarget: 'QY-12366', requestType: 'consult', title: '个税汇算咨询' })))
    ).json();
    expect(transfer.status).toBe('transferred');
    const get = (id: string, token: string) => t.request({ method: 'GET', url: `/v1/orders/${id}`, token });
    expect((await get(own.id, t.agent.accessToken)).statusCode).toBe(200);
    expect((await get(own.id, t.agentOther.accessToken)).statusCode).toBe(404);
    expect((await get(transfer.id, t.agentOther.accessToken)).statusCode).toBe(404);
    expect((await get(own.id, t.subcenterTax.accessToken)).statusCode).toBe(404);
    expect((await get(transfer.id, t.subcenterTax.accessToken)).statusCode).toBe(200);
    expect((await get(transfer.id, t.subcenterCustoms.accessToken)).statusCode).toBe(404);
    const feed = await t.request({ method: 'GET', url: '/v1/orders/changes?after=0&limit=500', token: t.subcenterTax.accessToken });
    const ids = new Set((feed.json().changes as { orderId: string }[]).map((c) => c.orderId));
    expect(ids.has(transfer.id)).toBe(true);
    expect(ids.has(own.id)).toBe(false);
  });

  it("finds a caller's history by phone through the blind index, within the organisation", async () => {
    const phone = '139' + String(crypto.randomInt(10_000_000, 99_999_999));
    const a = (await create(createBody(sampleOrder({ caller: { phone, name: '李四' } })))).json();
    const b = (await create(createBody(sampleOrder({ caller: { phone: `+86 ${phone}` }, title: '第二次来电' })))).json();
    const hist = await t.request({ method: 'POST', url: '/v1/callers/history', token: t.agent.accessToken, body: { phone, limit: 10 } });
    expect(hist.statusCode).toBe(200);
    expect(hist.json().total).toBe(2);
    expect(hist.json().orders.map((o: { id: string }) => o.id).sort()).toEqual([a.id, b.id].sort());
    const other = await t.request({ method: 'POST', url: '/v1/callers/history', token: t.agentOther.accessToken, body: { phone, limit: 10 } });
    expect(other.json().total).toBe(0);
  });

  it('reveals personal data on purpose only, and audits every reveal and look-up', async () => {
    const o = (await create()).json();
    const r = await t.request({ method: 'POST', url: `/v1/orders/${o.id}/reveal`, token: t.agent.accessToken, body: { purpose: '回访核实' } });
    expect(r.json()).toEqual({ phone: '13812345678', name: '张三丰' });
    const audit = await t.platform.services.db.query<{ action: string; actor_account: string }>(
      `select action, actor_account from audit_log where subject_id = $1 order by seq`,
      [o.id],
    );
    expect(audit.rows.map((a) => a.action)).toEqual(['order.create', 'personalData.reveal']);
    expect(audit.rows[1]!.actor_account).toBe('agent01');

    // The caller-history look-up is a view of the caller's data too: one audit row per look-up,
    // attributable, naming the caller by blind index (never by number).
    const phone = '137' + String(crypto.randomInt(10_000_000, 99_999_999));
    await create(createBody(sampleOrder({ caller: { phone } })));
    const subject = t.platform.services.cipher.phoneIndex(phone).slice(0, 16);
    const lookups = () =>
      t.platform.services.db.query<{ action: string; actor_account: string; subject_type: string; detail: unknown }>(
        `select action, actor_account, subject_type, detail from audit_log where subject_id = $1 order by seq`,
        [subject],
      );
    expect((await lookups()).rows).toEqual([]);
    const hist = await t.request({ method: 'POST', url: '/v1/callers/history', token: t.lead.accessToken, body: { phone, limit: 10 } });
    expect(hist.json().total).toBe(1);
    expect((await lookups()).rows).toEqual([{ action: 'personalData.history', actor_account: 'lead01', subject_type: 'caller', detail: { results: 1 } }]);
    const none = await t.request({ method: 'POST', url: '/v1/callers/history', token: t.agentOther.accessToken, body: { phone, limit: 10 } });
    expect(none.json().total).toBe(0);
    expect((await lookups()).rows.map((a) => [a.actor_account, a.detail])).toEqual([
      ['lead01', { results: 1 }],
      ['agent-sz', { results: 0 }],
    ]);
    const rows = await t.platform.services.db.query(`select * from audit_log where subject_id = $1`, [subject]);
    expect(JSON.stringify(rows.rows)).not.toContain(phone.slice(3));
  });

  it('stores caller data encrypted and indexes phones with a keyed hash (read from the database)', async () => {
    const phone = '136' + String(crypto.randomInt(10_000_000, 99_999_999));
    const o = (await create(createBody(sampleOrder({ caller: { phone, name: '赵钱孙' }, content: `来电人手机${phone}，反映噪音`, address: { district: '清城区', detail: '凤翔小区8栋' } })))).json();
    const row = (
      await t.platform.services.db.query<{ caller_enc: string; content_enc: string; address_enc: string; caller_phone_bidx: string }>(
        'select caller_enc, content_enc, address_enc, caller_phone_bidx from orders where id = $1',
        [o.id],
      )
    ).rows[0]!;
    const secrets = [phone, phone.slice(3), '赵钱孙', '凤翔小区'];
    for (const [column, stored] of Object.entries(row).filter(([c]) => c.endsWith('_enc'))) {
      const payload = stored.replace(/^v1\./, '');
      // Neither the stored text nor any plain decoding of it reveals the value.
      const readings = [stored, Buffer.from(payload, 'base64').toString('utf8'), Buffer.from(payload, 'base64').toString('latin1'), Buffer.from(payload, 'base64url').toString('utf8')];
      for (const reading of readings) for (const s of secrets) expect(reading.includes(s), `${column} reveals ${s}`).toBe(false);
    }
    // Same value twice → different ciphertexts (random IV), both opening to the value.
    const cipher = t.platform.services.cipher;
    const again = cipher.encryptJson({ phone });
    expect(again).not.toBe(cipher.encryptJson({ phone }));
    expect(cipher.decryptJson(again)).toEqual({ phone });
    // The blind index: what the platform's key gives, not a plain hash of the number.
    const { PersonalDataCipher } = await import('../src/security/personal-data');
    const { deriveKeys } = await import('../src/security/keys');
    const keys = deriveKeys(t.masterKey);
    const other = deriveKeys(crypto.randomBytes(32));
    expect(row.caller_phone_bidx).toBe(new PersonalDataCipher(keys.dataKey, keys.indexKey).phoneIndex(phone));
    expect(row.caller_phone_bidx).toBe(new PersonalDataCipher(other.dataKey, keys.indexKey).phoneIndex(`+86 ${phone}`));
    expect(new PersonalDataCipher(keys.dataKey, other.indexKey).phoneIndex(phone)).not.toBe(row.caller_phone_bidx);
    for (const f of ['sha256', 'sha1', 'md5']) {
      for (const v of [phone, `+86${phone}`, `86${phone}`]) expect(row.caller_phone_bidx).not.toBe(crypto.createHash(f).update(v).digest('hex'));
    }
  });

  it('runs the life cycle and publishes changes in a deterministic order', async () => {
    const o = (await create()).json();
    const act = (token: string, baseVersion: number, action: string, extra: Record<string, unknown> = {}) =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${o.id}/actions`,
        token,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: { clientId: 'test-lead01', clientSeq: nextSeq(), baseVersion, action, ...extra },
      });
    expect((await act(t.agent.accessToken, 1, 'return', { reason: '非本单位职责' })).statusCode).toBe(403);
    let v = (await act(t.lead.accessToken, 1, 'return', { reason: '非本单位职责' })).json();
    expect(v).toMatchObject({ status: 'returned', returnCount: 1, version: 2 });
    expect((await act(t.lead.accessToken, 1, 'redispatch', { handlingUnit: 'QY-ZJJ' })).statusCode).toBe(409);
    v = (await act(t.lead.accessToken, 2, 'redispatch', { handlingUnit: 'QY-ZJJ' })).json();
    v = (await act(t.lead.accessToken, v.version, 'extend', { extensionDays: 5, reason: '需现场核查' })).json();
    expect(v).toMatchObject({ status: 'extended', extensionDays: 5 });
    v = (await act(t.lead.accessToken, v.version, 'reply')).json();
    v = (await act(t.lead.accessToken, v.version, 'close')).json();
    v = (await act(t.agent.accessToken, v.version, 'callback', { solved: true, satisfied: true })).json();
    expect(v).toMatchObject({ status: 'calledBack', callback: { solved: true, satisfied: true } });
    expect((await act(t.lead.accessToken, v.version, 'reply')).statusCode).toBe(409);

    const all: { seq: string; orderId: string; action: string }[] = [];
    let after = '0';
    for (;;) {
      const page = (await t.request({ method: 'GET', url: `/v1/orders/changes?after=${after}&limit=7`, token: t.lead.accessToken })).json();
      all.push(...page.changes);
      after = page.checkpoint;
      if (!page.hasMore) break;
    }
    const keys = all.map((c) => c.seq.split(':').map(BigInt) as [bigint, bigint]);
    expect(keys.every(([x, s], i) => i === 0 || x > keys[i - 1]![0] || (x === keys[i - 1]![0] && s > keys[i - 1]![1]))).toBe(true);
    expect(all.filter((c) => c.orderId === o.id).map((c) => c.action)).toEqual(['create', 'submit', 'return', 'redispatch', 'extend', 'reply', 'close', 'callback']);
  });

  it('says in the feed what each action said (return and extension reasons, 督办 notes, call-back results), kept encrypted', async () => {
    const o = (await create()).json();
    const act = (token: string, baseVersion: number, action: string, extra: Record<string, unknown> = {}) =>
      t.request({
        method: 'POST',
        url: `/v1/orders/${o.id}/actions`,
        token,
        headers: { 'idempotency-key': crypto.randomUUID() },
        body: { clientId: 'test-lead01', clientSeq: nextSeq(), baseVersion, action, ...extra },
      });
    // 督办: leads only, with a note; the status stays.
    expect((await act(t.agent.accessToken, 1, 'supervise', { reason: '请加快办理' })).statusCode).toBe(403);
    expect((await act(t.lead.accessToken, 1, 'supervise')).statusCode).toBe(400);
    let v = (await act(t.lead.accessToken, 1, 'supervise', { reason: '来电人13812345678多次催办，请加快办理' })).json();
    expect(v).toMatchObject({ status: 'dispatched', version: 2 });
    v = (await act(t.lead.accessToken, v.version, 'return', { reason: '非本单位职责' })).json();
    v = (await act(t.lead.accessToken, v.version, 'redispatch', { handlingUnit: 'QY-ZJJ' })).json();
    v = (await act(t.lead.accessToken, v.version, 'extend', { extensionDays: 3, reason: '需现场核查' })).json();
    v = (await act(t.lead.accessToken, v.version, 'reply')).json();
    v = (await act(t.lead.accessToken, v.version, 'close')).json();
    expect((await act(t.lead.accessToken, v.version, 'supervise', { reason: '已办结' })).statusCode).toBe(409);
    // A new reader may start at the head: nothing before it, everything after it.
    const head = (await t.request({ method: 'GET', url: '/v1/orders/changes?after=now', token: t.agent.accessToken })).json();
    expect(head).toMatchObject({ changes: [], hasMore: false, checkpoint: expect.stringMatching(/^\d+:\d+$/) });
    v = (await act(t.agent.accessToken, v.version, 'callback', { solved: false, satisfied: false })).json();
    const fromHead = (await t.request({ method: 'GET', url: `/v1/orders/changes?after=${head.checkpoint}`, token: t.agent.accessToken })).json();
    expect(fromHead.changes.map((c: { orderId: string; action: string }) => [c.orderId, c.action])).toEqual([[o.id, 'callback']]);

    const mine: { action: string; status: string; detail?: unknown }[] = [];
    let after = '0';
    for (;;) {
      const page = (await t.request({ method: 'GET', url: `/v1/orders/changes?after=${after}&limit=100`, token: t.agent.accessToken })).json();
      mine.push(...page.changes.filter((c: { orderId: string }) => c.orderId === o.id));
      after = page.checkpoint;
      if (!page.hasMore) break;
    }
    expect(mine.map(({ action, status, detail }) => ({ action, status, detail }))).toEqual([
      { action: 'create', status: 'dispatched', detail: undefined },
      { action: 'submit', status: 'dispatched', detail: undefined },
      { action: 'supervise', status: 'dispatched', detail: { reason: '来电人138****5678多次催办，请加快办理' } },
      { action: 'return', status: 'returned', detail: { reason: '非本单位职责' } },
      { action: 'redispatch', status: 'dispatched', detail: { handlingUnit: 'QY-ZJJ' } },
      { action: 'extend', status: 'extended', detail: { reason: '需现场核查', extensionDays: 3 } },
      { action: 'reply', status: 'replied', detail: undefined },
      { action: 'close', status: 'closed', detail: undefined },
      { action: 'callback', status: 'calledBack', detail: { solved: false, satisfied: false } },
    ]);
    const stored = await t.platform.services.db.query<{ detail_enc: string | null }>('select detail_enc from order_changes where order_id = $1', [o.id]);
    expect(JSON.stringify(stored.rows)).not.toContain('催办');
    expect(stored.rows.filter((r) => r.detail_enc !== null)).toHaveLength(5);
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    const before = await countOrders();
    const post = (opts: { body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> }) =>
      t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, headers: { 'idempotency-key': crypto.randomUUID(), ...opts.headers }, ...opts });
    const cases: [string, Awaited<ReturnType<typeof post>>, number][] = [
      ['oversized', await post({ body: createBody(sampleOrder({ content: '很'.repeat(40_000) })) }), 413],
      ['wrong types', await post({ body: { ...createBody(), submit: 'yes', clientSeq: 'one' } }), 400],
      ['unknown field', await post({ body: { ...createBody(), isAdmin: true } }), 400],
      ['unknown nested field', await post({ body: createBody({ ...sampleOrder(), extra: 1 } as never) }), 400],
      ['invalid UTF-8', await post({ rawBody: Buffer.concat([Buffer.from('{"clientId":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]) }), 400],
      ['not JSON', await post({ rawBody: '{"clientId": ' }), 400],
      ['wrong media type', await post({ rawBody: 'x', headers: { 'content-type': 'text/plain' } }), 415],
      ['bad phone', await post({ body: createBody(sampleOrder({ caller: { phone: "1' or '1'='1" } })) }), 400],
      ['no idempotency key', await post({ body: createBody(), headers: { 'idempotency-key': '' } }), 400],
      ['dispatch without unit', await post({ body: createBody(sampleOrder({ handlingUnit: undefined })) }), 400],
    ];
    for (const [name, r, status] of cases) {
      expect(r.statusCode, name).toBe(status);
      const body = apiErrorSchema.safeParse(r.json());
      expect(body.success, name).toBe(true);
      expect(body.data!.error.message.length, name).toBeGreaterThan(3);
    }
    expect(cases[1]![1].json().error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['body.submit', 'body.clientSeq']));
    expect(await countOrders()).toBe(before);

    // SQL-looking text is data: stored and returned verbatim, nothing else happens.
    const sqlish = "'); drop table orders; -- 清远";
    const r = await create(createBody(sampleOrder({ title: sqlish, content: sqlish })));
    expect(r.statusCode).toBe(201);
    expect(r.json().title).toBe(sqlish);
    expect(await countOrders()).toBe(before + 1);
  });

  it('keeps the audit log append-only and hash-chained', async () => {
    const db = t.platform.services.db;
    const key = t.platform.services.keys.auditKey;
    await sealAudit(db, key);
    await expect(db.query(`update audit_log set actor_account = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(db.query('delete from audit_log where seq = 1')).rejects.toThrow(/append-only/);
    await expect(db.query(`update audit_seals set hash = 'x' where pos = 1`)).rejects.toThrow(/append-only/);
    const ok = await verifyAudit(db, key);
    expect(ok.intact).toBe(true);
    expect(ok.entries).toBeGreaterThan(10);
    // Tampering by someone who can bypass the trigger (e.g. a DBA) is detected.
    await db.query('alter table audit_log disable trigger audit_log_no_update');
    await db.query(`update audit_log set detail = '{"purpose":"改过"}' where seq = (select min(seq) from audit_log where action = 'personalData.reveal')`);
    await db.query('alter table audit_log enable trigger audit_log_no_update');
    const broken = await verifyAudit(db, key);
    expect(broken.intact).toBe(false);
  });

  it('never writes personal data to the server log', () => {
    const log = t.logLines.join('\n');
    expect(log).toContain('"msg":"request"');
    for (const pii of ['13812345678', '张三丰', '李四', PASSWORD]) expect(log).not.toContain(pii);
  });
});

describe('personal data at rest (PGlite on disk)', () => {
  it('the database files contain no plaintext phone number or name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-disk-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true })); // also when the test fails
    const p = await createPlatform({ database: { kind: 'pglite', dataDir: dir }, masterKey: crypto.randomBytes(32), log: () => undefined });
    try {
      const db = p.services.db;
      await db.query(`insert into organisations values ('QY-12345', 'c', 'center')`);
      await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, 'a', 'a', 'agent', 'QY-12345', 'x')`, [crypto.randomUUID()]);
      const user = (await db.query<{ id: string }>('select id from users')).rows[0]!;
      const { createOrder, ensureDaySequence } = await import('../src/orders/repository');
      await ensureDaySequence(db, 'QY');
      const claims = { sub: user.id, role: 'agent' as const, org: 'QY-12345', acct: 'a', iat: 0, exp: 0 };
      for (let i = 0; i < 20; i++) {
        await createOrder(db, {
          user: claims,
          clientId: 'disk-test-client',
          clientSeq: i + 1,
          idempotencyKey: crypto.randomUUID(),
          requestHash: 'x',
          clientOrderId: crypto.randomUUID(),
          input: sampleOrder({ caller: { phone: '13912340000', name: '王五六' } }),
          submit: true,
          cityPrefix: 'QY',
          cipher: p.services.cipher,
        });
      }
      await db.query('checkpoint');
    } finally {
      await p.close();
    }
    const needles = [Buffer.from('13912340000'), Buffer.from('13812345678'), Buffer.from('王五六')];
    const walk = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    const files = walk(dir);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const n of needles) expect(bytes.includes(n), `${path.relative(dir, f)} contains ${n.toString()}`).toBe(false);
    }
  }, 60_000);
});
