/**
 * The screen-pop and work-order routes through the HTTP API on a real database: caller history
 * with flags, confidential titles, 并单 candidates (similar) and follow-ups, the live-caller reveal
 * audit, configured not-accepted reasons, and the new reference sets (areas, phrases, out-of-scope).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createBody, nextSeq, sampleOrder, startTestPlatform, type TestPlatform } from './harness';
import { orderSchema, orderRoutes } from '../../shared/orders/routes';
import { directoryRoutes } from '../../shared/directory/routes';
import type { OrderInput } from '../../shared/orders/work-order';
import { NOT_ACCEPTED_REASONS, OPEN_STATUSES } from '../../shared/orders/work-order';
import { backfillAddressIndex } from '../src/orders/repository';
import { callerHistoryOrders, seedCallerHistory } from '../src/seed/history';
import { PersonalDataCipher, normalizeAddressPart } from '../src/security/personal-data';
import { deriveKeys } from '../src/security/keys';

const randomMobile = (prefix = '139') => prefix + String(crypto.randomInt(10_000_000, 99_999_999));

describe('address blind index', () => {
  const keys = deriveKeys(crypto.randomBytes(32));
  const cipher = new PersonalDataCipher(keys.dataKey, keys.indexKey);
  it('matches the same address however it is typed, needs district and street or a detail, and is keyed', () => {
    const index = cipher.addressIndex({ district: '清城区', street: '凤城街道', detail: '凤翔花园3栋2单元' })!;
    expect(index).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.addressIndex({ district: ' 清城区', street: '凤城街道 ', detail: '凤翔花园３栋－2单元。' })).toBe(index);
    expect(cipher.addressIndex({ district: '清城区', street: '凤城街道', detail: '凤翔花园3栋3单元' })).not.toBe(index);
    expect(cipher.addressIndex({ district: '清城区', street: '东城街道', detail: '凤翔花园3栋2单元' })).not.toBe(index);
    // Parts do not slide into each other.
    expect(cipher.addressIndex({ district: '清城区凤城街道', street: '', detail: '凤翔花园3栋2单元' })).not.toBe(index);
    expect(cipher.addressIndex({ district: '清城区', street: '凤城街道' })).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.addressIndex({ detail: '凤翔花园3栋2单元' })).toMatch(/^[0-9a-f]{64}$/);
    for (const vague of [undefined, {}, { district: '清城区' }, { street: '凤城街道' }, { district: '清城区', street: ' ' }, { detail: '——' }]) {
      expect(cipher.addressIndex(vague)).toBeUndefined();
    }
    const other = deriveKeys(crypto.randomBytes(32));
    expect(new PersonalDataCipher(keys.dataKey, other.indexKey).addressIndex({ district: '清城区', street: '凤城街道', detail: '凤翔花园3栋2单元' })).not.toBe(index);
    expect(new PersonalDataCipher(other.dataKey, keys.indexKey).addressIndex({ district: '清城区', street: '凤城街道', detail: '凤翔花园3栋2单元' })).toBe(index);
    expect(cipher.addressIndex({ detail: '13812345678' })).not.toBe(cipher.phoneIndex('13812345678'));
    expect(normalizeAddressPart('  Ａ座 ３-２室， ')).toBe('a座32室');
  });
});

describe.each(ENGINES)('screen-pop and work orders on %s', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(engine);
  }, 60_000);
  afterAll(async () => t?.close());

  const db = () => t.platform.services.db;
  const create = async (order: OrderInput, token = t.agent.accessToken, submit = true) => {
    const r = await t.request({ method: 'POST', url: '/v1/orders', token, body: { ...createBody(order, submit), clientId: 'test-agent01' }, headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(r.statusCode, r.body).toBe(201);
    return orderSchema.parse(r.json());
  };
  const act = (id: string, baseVersion: number, action: string, extra: Record<string, unknown> = {}, token = t.lead.accessToken) =>
    t.request({
      method: 'POST',
      url: `/v1/orders/${id}/actions`,
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { clientId: 'test-lead01', clientSeq: nextSeq(), baseVersion, action, ...extra },
    });
  const history = (phone: string, token = t.agent.accessToken, limit = 10) => t.request({ method: 'POST', url: '/v1/callers/history', token, body: { phone, limit } });
  const similar = (body: Record<string, unknown>, token = t.agent.accessToken) => t.request({ method: 'POST', url: '/v1/orders/similar', token, body });
  const followUp = (id: string, body: Record<string, unknown>, key: string, token = t.agent.accessToken) =>
    t.request({ method: 'POST', url: `/v1/orders/${id}/follow-ups`, token, body, headers: { 'idempotency-key': key } });

  it('serves areas, phrases and out-of-scope reasons, versioned, to every role', async () => {
    for (const s of [t.agent, t.subcenterTax, t.lead, t.admin]) {
      const areas = await t.request({ method: 'GET', url: '/v1/reference/areas', token: s.accessToken });
      expect(areas.statusCode).toBe(200);
      expect(directoryRoutes.areas.response.parse(areas.json())).toEqual({ version: 0, areas: [] });
      const phrases = await t.request({ method: 'GET', url: '/v1/reference/phrases', token: s.accessToken });
      expect(phrases.json()).toEqual({ version: 0, phrases: [] });
    }
    // The national out-of-scope reasons come with the schema, one per code the contract names.
    const reasons = directoryRoutes.outOfScope.response.parse((await t.request({ method: 'GET', url: '/v1/reference/out-of-scope', token: t.agent.accessToken })).json());
    expect(reasons.version).toBe(1);
    expect(reasons.reasons.map((r) => r.code)).toEqual([...NOT_ACCEPTED_REASONS]);
    expect(reasons.reasons.find((r) => r.code === 'litigation')!.wording).toContain('人民法院');
    const versions = (await t.request({ method: 'GET', url: '/v1/reference/versions', token: t.agent.accessToken })).json();
    expect(versions).toMatchObject({ areas: 0, phrases: 0, outOfScope: 1 });
    // The directory carries the pre-selected category (null when none).
    await db().query(`insert into hotline_directory (number, name, merge_mode, status, three_way, service_hours, category_code) values ('12333', '人社服务热线', 'dual', 'active', false, '7x24', '01')`);
    const dir = (await t.request({ method: 'GET', url: '/v1/reference/directory', token: t.agent.accessToken })).json();
    expect(dir.entries).toContainEqual(expect.objectContaining({ number: '12333', categoryCode: '01' }));
  });

  it('accepts only configured not-accepted reasons, on create, push and update', async () => {
    const notAccepted = (reason: string) => sampleOrder({ disposition: 'notAccepted', handlingUnit: undefined, notAcceptedReason: reason, requestType: 'complaint' });
    const ok = await create(notAccepted('litigation'));
    expect(ok).toMatchObject({ status: 'closed', notAcceptedReason: 'litigation' });
    const bad = await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(notAccepted('noSuchReason')), headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'order.notAcceptedReason' }] });
    // A push gives the bad item its own error and applies the rest.
    const clientId = `push-${crypto.randomBytes(4).toString('hex')}`;
    const base = nextSeq();
    const push = await t.request({
      method: 'POST',
      url: '/v1/orders/push',
      token: t.agent.accessToken,
      body: {
        clientId,
        mutations: [
          { idempotencyKey: crypto.randomUUID(), clientSeq: base, clientOrderId: crypto.randomUUID(), submit: true, order: notAccepted('noSuchReason') },
          { idempotencyKey: crypto.randomUUID(), clientSeq: base + 1, clientOrderId: crypto.randomUUID(), submit: true, order: notAccepted('petition') },
        ],
      },
    });
    expect(push.json().results.map((r: { status: number }) => r.status)).toEqual([400, 201]);
    // With the issue: the workstation marks the field for the agent to correct.
    expect(push.json().results[0].error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'order.notAcceptedReason' }] });
    // A draft cannot be updated to an unknown reason either.
    const draft = await create(sampleOrder(), t.agent.accessToken, false);
    const put = await t.request({
      method: 'PUT',
      url: `/v1/orders/${draft.id}`,
      token: t.agent.accessToken,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { clientId: 'test-agent01', clientSeq: nextSeq(), baseVersion: 1, order: notAccepted('noSuchReason') },
    });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.issues[0].path).toBe('order.notAcceptedReason');
    // A reason removed from the list later: a replay of the earlier creation still gets its reply.
    await db().query(`insert into out_of_scope_reasons (code, name, wording, position) values ('retired', '已停用', '已停用的理由', 99)`);
    const body = createBody(notAccepted('retired'));
    const key = crypto.randomUUID();
    const post = () => t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body, headers: { 'idempotency-key': key } });
    const before = await post();
    expect(before.statusCode).toBe(201);
    await db().query(`delete from out_of_scope_reasons where code = 'retired'`);
    const replay = await post();
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual(before.json());
    const fresh = await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(notAccepted('retired')), headers: { 'idempotency-key': crypto.randomUUID() } });
    expect(fresh.statusCode).toBe(400);
  });

  it('stores the summary encrypted and returns it and the caller company', async () => {
    const phone = randomMobile();
    const o = await create(sampleOrder({ summary: `来电人要求回电${phone}`, caller: { phone, name: '周大福', company: '清远市某物流有限公司', callerType: 'company' } }));
    expect(o.summary).toBe(`来电人要求回电${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(o.caller).toMatchObject({ company: '清远市某物流有限公司', callerType: 'company' });
    expect(o.followUpCount).toBe(0);
    const row = (await db().query<{ summary_enc: string; caller_enc: string }>('select summary_enc, caller_enc from orders where id = $1', [o.id])).rows[0]!;
    expect(row.summary_enc).toMatch(/^v1\./);
    expect(row.summary_enc).not.toContain(phone);
    expect(t.platform.services.cipher.decrypt(row.summary_enc)).toBe(`来电人要求回电${phone}`);
    const got = (await t.request({ method: 'GET', url: `/v1/orders/${o.id}`, token: t.agent.accessToken })).json();
    expect(got).toEqual(o);
  });

  it("flags a caller over all their orders, lists summaries with deadlines, and withholds others' confidential titles from agents", async () => {
    const phone = randomMobile('137');
    const open = await create(sampleOrder({ caller: { phone }, title: '第一次反映噪音' }));
    const secret = await create(sampleOrder({ caller: { phone }, title: '举报某单位负责人', confidential: true, requestType: 'report' }), t.lead.accessToken);
    const closed = await create(sampleOrder({ caller: { phone }, title: '咨询公积金', disposition: 'answered', handlingUnit: undefined, knowledgeArticleId: 'kb-1', requestType: 'consult' }));
    // An old order: 40 days ago (not counted in last30Days), closed.
    const old = await create(sampleOrder({ caller: { phone }, title: '很久以前的工单' }));
    await db().query(`update orders set created_at = now() - interval '40 days', status = 'closed' where id = $1`, [old.id]);
    await create(sampleOrder({ caller: { phone }, title: '正在录入的草稿' }), t.agent.accessToken, false);

    const r = await history(phone, t.agent.accessToken, 2);
    expect(r.statusCode).toBe(200);
    const body = orderRoutes.history.response.parse(r.json());
    expect(body.total).toBe(5);
    expect(body.orders).toHaveLength(2);
    // Flags count every order (not only the two listed); the draft is not counted.
    expect(body.flags).toEqual({ openOrders: 2, last30Days: 3, confidentialBefore: true });
    const all = orderRoutes.history.response.parse((await history(phone)).json()).orders;
    const byId = new Map(all.map((o) => [o.id, o]));
    expect(byId.get(open.id)).toMatchObject({ title: '第一次反映噪音', status: 'dispatched', deadline: open.deadline });
    expect(byId.get(open.id)!.deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(byId.get(closed.id)!.deadline).toBeUndefined();
    // Created by the lead: withheld from an agent, shown to the lead (its creator) and an admin.
    expect(byId.get(secret.id)).toMatchObject({ title: '（保密）', confidential: true });
    const forLead = orderRoutes.history.response.parse((await history(phone, t.lead.accessToken)).json());
    expect(forLead.orders.find((o) => o.id === secret.id)!.title).toBe('举报某单位负责人');
    expect(forLead.flags).toEqual(body.flags);
    const forAdmin = orderRoutes.history.response.parse((await history(phone, t.admin.accessToken)).json());
    expect(forAdmin.orders.find((o) => o.id === secret.id)!.title).toBe('举报某单位负责人');
    // An agent's own confidential order keeps its title for that agent.
    const mine = await create(sampleOrder({ caller: { phone }, title: '我受理的保密件', confidential: true }));
    const again = orderRoutes.history.response.parse((await history(phone)).json());
    expect(again.orders.find((o) => o.id === mine.id)!.title).toBe('我受理的保密件');
    // Another organisation sees nothing, flags included.
    expect((await history(phone, t.agentOther.accessToken)).json()).toEqual({ orders: [], total: 0, flags: { openOrders: 0, last30Days: 0, confidentialBefore: false } });
  });

  it('finds open orders of the same caller or address (并单 candidates), optionally in the same top-level category', async () => {
    const phone = randomMobile('135');
    const detail = `清远大道${crypto.randomInt(1000, 9999)}号`;
    const address = { district: '清城区', street: '凤城街道', detail };
    const byCaller = await create(sampleOrder({ caller: { phone }, categoryCode: '05.05.01', address: { district: '清新区', street: '太和镇', detail: '别处1号' } }));
    const byBoth = await create(sampleOrder({ caller: { phone }, categoryCode: '06.03.01', address }));
    const byAddress = await create(sampleOrder({ caller: { phone: randomMobile('136') }, categoryCode: '05.03.02', address: { ...address, detail: ` ${detail.replace('号', '－号')} ` } }));
    const closed = await create(sampleOrder({ caller: { phone }, categoryCode: '05.01', disposition: 'answered', handlingUnit: undefined, knowledgeArticleId: 'kb-1', address }));
    expect(closed.status).toBe('closed');

    const r = await similar({ phone, address, limit: 10 });
    expect(r.statusCode).toBe(200);
    const found = orderRoutes.similar.response.parse(r.json()).orders;
    // Newest first; closed orders are not candidates; the address matches after normalisation.
    expect(found.map((o) => o.id)).toEqual([byAddress.id, byBoth.id, byCaller.id]);
    expect(found.map((o) => o.matchedBy)).toEqual([['address'], ['caller', 'address'], ['caller']]);
    expect(found[0]).toMatchObject({ deadline: byAddress.deadline, status: 'dispatched' });

    const onlyCaller = orderRoutes.similar.response.parse((await similar({ phone })).json()).orders;
    expect(onlyCaller.map((o) => o.id)).toEqual([byBoth.id, byCaller.id]);
    const onlyAddress = orderRoutes.similar.response.parse((await similar({ address: { district: '清城区', street: '凤城街道', detail } })).json()).orders;
    expect(onlyAddress.map((o) => o.id)).toEqual([byAddress.id, byBoth.id]);
    // Same top-level category (05 城乡建设与管理) only.
    const narrowed = orderRoutes.similar.response.parse((await similar({ phone, address, categoryCode: '05.03.01' })).json()).orders;
    expect(narrowed.map((o) => o.id)).toEqual([byAddress.id, byCaller.id]);
    // A vague address (district only) matches nothing; nothing to match on → empty.
    expect((await similar({ address: { district: '清城区' } })).json()).toEqual({ orders: [] });
    expect((await similar({})).json()).toEqual({ orders: [] });
    expect((await similar({ phone: 'not-a-phone' })).statusCode).toBe(400);
    // Another organisation does not see them; the look-up is audited by blind index only.
    expect((await similar({ phone, address }, t.agentOther.accessToken)).json()).toEqual({ orders: [] });
    const subject = t.platform.services.cipher.phoneIndex(phone).slice(0, 16);
    const audit = await db().query<{ action: string; actor_account: string; detail: { results: number; by: string[] } }>(
      `select action, actor_account, detail from audit_log where subject_id = $1 and action = 'personalData.similar' order by seq`,
      [subject],
    );
    expect(audit.rows.map((a) => [a.actor_account, a.detail])).toEqual([
      ['agent01', { results: 3, by: ['caller', 'address'] }],
      ['agent01', { results: 2, by: ['caller'] }],
      ['agent01', { results: 2, by: ['caller', 'address'] }],
      ['agent-sz', { results: 0, by: ['caller', 'address'] }],
    ]);
    const rows = await db().query('select * from audit_log where action = $1', ['personalData.similar']);
    expect(JSON.stringify(rows.rows)).not.toContain(phone.slice(3));
    expect(JSON.stringify(rows.rows)).not.toContain(detail);
  });

  it('adds a follow-up (并单) once per key, counts it, feeds and audits it, and refuses closed or unseen orders', async () => {
    const o = await create(sampleOrder());
    const phone = randomMobile('138');
    const body = { clientId: 'test-agent01', clientSeq: nextSeq(), followUp: { content: `又有市民来电反映同一问题，联系电话${phone}`, caller: { phone, name: '吴六' }, call: { callId: 'call-follow-1', dialled: '12345' } } };
    const key = crypto.randomUUID();
    const first = await followUp(o.id, body, key);
    expect(first.statusCode).toBe(200);
    const order = orderSchema.parse(first.json());
    expect(order).toMatchObject({ id: o.id, followUpCount: 1, version: o.version + 1, status: 'dispatched' });
    // The same key again: the same reply, no second follow-up.
    const again = await followUp(o.id, body, key);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const stored = await db().query<{ content_enc: string; caller_enc: string; caller_phone_bidx: string; call_info: unknown }>('select * from order_follow_ups where order_id = $1', [o.id]);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.content_enc).not.toContain(phone);
    expect(stored.rows[0]!.caller_enc).not.toContain(phone);
    expect(stored.rows[0]!.caller_phone_bidx).toBe(t.platform.services.cipher.phoneIndex(phone));
    expect(t.platform.services.cipher.decrypt(stored.rows[0]!.content_enc)).toContain(phone);
    // The same key with another body is refused; a used sequence number too.
    expect((await followUp(o.id, { ...body, followUp: { content: '别的内容' } }, key)).json().error.code).toBe('idempotency_key_reused');
    expect((await followUp(o.id, body, crypto.randomUUID())).json().error.code).toBe('sequence_replayed');
    const second = await followUp(o.id, { ...body, clientSeq: nextSeq() }, crypto.randomUUID());
    expect(second.json()).toMatchObject({ followUpCount: 2, version: o.version + 2 });

    const feed = await db().query<{ action: string }>('select action from order_changes where order_id = $1 order by xid, seq', [o.id]);
    expect(feed.rows.map((f) => f.action)).toEqual(['create', 'submit', 'followUp', 'followUp']);
    const changes = (await t.request({ method: 'GET', url: '/v1/orders/changes?after=0&limit=500', token: t.agent.accessToken })).json();
    expect(changes.changes.filter((c: { orderId: string }) => c.orderId === o.id).map((c: { action: string }) => c.action)).toContain('followUp');
    const audit = await db().query<{ action: string }>('select action from audit_log where subject_id = $1 order by seq', [o.id]);
    expect(audit.rows.map((a) => a.action)).toEqual(['order.create', 'order.followUp', 'order.followUp']);

    // Closed: 409 conflict, nothing written, the key stays free for a retry.
    const done = await create(sampleOrder({ disposition: 'answered', handlingUnit: undefined, knowledgeArticleId: 'kb-1', requestType: 'consult' }));
    const refusedKey = crypto.randomUUID();
    const refused = await followUp(done.id, { ...body, clientSeq: nextSeq() }, refusedKey);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('conflict');
    expect((await db().query('select 1 from order_follow_ups where order_id = $1', [done.id])).rows).toEqual([]);
    expect((await db().query('select 1 from idempotency_keys where key = $1', [refusedKey])).rows).toEqual([]);
    // Replied is still open; closed after that is not.
    expect((await act(o.id, second.json().version, 'reply')).statusCode).toBe(200);
    expect((await followUp(o.id, { ...body, clientSeq: nextSeq() }, crypto.randomUUID())).json()).toMatchObject({ followUpCount: 3, status: 'replied' });
    const v = (await t.request({ method: 'GET', url: `/v1/orders/${o.id}`, token: t.lead.accessToken })).json();
    expect((await act(o.id, v.version, 'close')).statusCode).toBe(200);
    expect((await followUp(o.id, { ...body, clientSeq: nextSeq() }, crypto.randomUUID())).statusCode).toBe(409);
    // Another organisation's order: not found; an admin may not add follow-ups.
    const other = await followUp(o.id, { ...body, clientId: 'test-agent-sz', clientSeq: nextSeq() }, crypto.randomUUID(), t.agentOther.accessToken);
    expect(other.statusCode).toBe(404);
    expect((await followUp(o.id, body, crypto.randomUUID(), t.admin.accessToken)).statusCode).toBe(403);
    expect((await followUp(o.id, { ...body, clientSeq: nextSeq(), followUp: { content: '' } }, crypto.randomUUID())).statusCode).toBe(400);
  });

  it("records a live caller's reveal once per key, by blind index, without the number", async () => {
    const phone = randomMobile('186');
    const subject = t.platform.services.cipher.phoneIndex(phone).slice(0, 16);
    const body = { clientId: 'test-agent01', clientSeq: nextSeq(), phone, purpose: '核实来电人身份', callId: 'call-reveal-1' };
    const key = crypto.randomUUID();
    const reveal = (b: Record<string, unknown>, k: string) => t.request({ method: 'POST', url: '/v1/callers/reveals', token: t.agent.accessToken, body: b, headers: { 'idempotency-key': k } });
    const r1 = await reveal(body, key);
    expect(r1.statusCode).toBe(200);
    expect(r1.json()).toEqual({ recorded: true });
    expect((await reveal(body, key)).json()).toEqual({ recorded: true });
    const audit = await db().query<{ action: string; actor_account: string; subject_type: string; subject_id: string; detail: unknown }>(
      `select action, actor_account, subject_type, subject_id, detail from audit_log where subject_id = $1`,
      [subject],
    );
    expect(audit.rows).toEqual([{ action: 'personalData.reveal', actor_account: 'agent01', subject_type: 'caller', subject_id: subject, detail: { purpose: '核实来电人身份', callId: 'call-reveal-1' } }]);
    const everything = await db().query(`select * from audit_log where action = 'personalData.reveal'`);
    expect(JSON.stringify(everything.rows)).not.toContain(phone.slice(3));
    const keys = await db().query('select * from idempotency_keys where key = $1', [key]);
    expect(JSON.stringify(keys.rows)).not.toContain(phone.slice(3));
    // A second reveal (new key and sequence) is a second entry; a bad number is refused.
    await reveal({ ...body, clientSeq: nextSeq(), callId: undefined }, crypto.randomUUID());
    const two = await db().query<{ detail: unknown }>(`select detail from audit_log where subject_id = $1 order by seq`, [subject]);
    expect(two.rows.map((a) => a.detail)).toEqual([{ purpose: '核实来电人身份', callId: 'call-reveal-1' }, { purpose: '核实来电人身份' }]);
    expect((await reveal({ ...body, clientSeq: nextSeq(), phone: 'abc' }, crypto.randomUUID())).statusCode).toBe(400);
    expect((await reveal({ ...body, clientSeq: nextSeq(), purpose: 'x' }, crypto.randomUUID())).statusCode).toBe(400);
    expect((await t.request({ method: 'POST', url: '/v1/callers/reveals', token: t.agent.accessToken, body: { ...body, clientSeq: nextSeq() } })).statusCode).toBe(400);
  });

  it('fills in the address index of orders from before it existed, once, at start', async () => {
    const address = { district: '英德市', street: '英城街道', detail: `和平中路${crypto.randomInt(100, 999)}号` };
    const o = await create(sampleOrder({ caller: { phone: randomMobile('150') }, address }));
    const index = t.platform.services.cipher.addressIndex(address)!;
    expect((await db().query<{ address_bidx: string }>('select address_bidx from orders where id = $1', [o.id])).rows[0]!.address_bidx).toBe(index);
    // As if written before migration 5.
    await db().query('update orders set address_bidx = null');
    await db().query(`insert into settings (key, value) values ('pending.addressIndex', 'true'::jsonb)`);
    const filled = await backfillAddressIndex(db(), t.platform.services.cipher, 2);
    expect(filled).toBeGreaterThan(1);
    expect((await db().query<{ address_bidx: string }>('select address_bidx from orders where id = $1', [o.id])).rows[0]!.address_bidx).toBe(index);
    expect((await db().query(`select 1 from settings where key = 'pending.addressIndex'`)).rows).toEqual([]);
    expect(await backfillAddressIndex(db(), t.platform.services.cipher)).toBe(0);
    expect(orderRoutes.similar.response.parse((await similar({ address })).json()).orders.map((x) => x.id)).toEqual([o.id]);
  });

  it("seeds a caller's history for tests (seedCallerHistory), once", async () => {
    const a = randomMobile('188');
    const b = randomMobile('189');
    const written = await seedCallerHistory(db(), t.platform.services.cipher, [a, { phone: b, orders: 5, open: 2, confidential: true, name: '欧阳娜娜' }]);
    expect(written).toHaveLength(8);
    expect(await seedCallerHistory(db(), t.platform.services.cipher, [a])).toEqual([]);
    const ha = orderRoutes.history.response.parse((await history(a)).json());
    expect(ha.total).toBe(3);
    expect(ha.flags).toMatchObject({ openOrders: 1, confidentialBefore: false });
    expect(ha.flags.last30Days).toBeGreaterThanOrEqual(2);
    expect(OPEN_STATUSES).toContain(ha.orders[0]!.status);
    expect(ha.orders.slice(1).map((o) => o.status).every((s) => s === 'closed' || s === 'calledBack')).toBe(true);
    expect(ha.orders[0]!.orderNo).toMatch(/^QY\d{8}9\d{5}$/);
    const hb = orderRoutes.history.response.parse((await history(b)).json());
    expect(hb.flags).toMatchObject({ openOrders: 2, confidentialBefore: true });
    // Seeded by agent01: its own confidential order keeps the title; the lead sees it too.
    expect(hb.orders.every((o) => o.title !== '（保密）')).toBe(true);
    const full = orderSchema.parse((await t.request({ method: 'GET', url: `/v1/orders/${hb.orders[0]!.id}`, token: t.agent.accessToken })).json());
    expect(full.caller).toMatchObject({ name: '欧***', phone: `${b.slice(0, 3)}****${b.slice(-4)}` });
    expect(full.address?.district).toBeTruthy();
    // Deterministic per phone.
    expect(callerHistoryOrders([a], { now: 0, account: 'x' })).toEqual(callerHistoryOrders([a], { now: 0, account: 'x' }));
  });
});
