import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, createBody, sampleOrder, startTestPlatform, type TestPlatform } from './harness';
import { GUANGDONG_POLICY } from '../../shared/directory/deadline-policy';
import { shanghaiDate } from '../../shared/base/shanghai-time';
import { WorkCalendar, type DayKind } from '../../shared/directory/working-days';

describe.each(ENGINES)('knowledge, reference data and audit on %s', (engine) => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await startTestPlatform(engine);
  }, 60_000);
  afterAll(async () => t?.close());

  const article = (title: string) => ({
    title,
    body: '## 办理条件\n1. 连续缴存满3个月；\n2. 无未还清的公积金贷款。\n\n可在“粤省事”办理。',
    unitCode: 'QY-GJJ',
    hotlines: ['12329'],
    keywords: ['公积金', '提取'],
    categoryCode: '02.01',
    validFrom: '2025-01-01',
  });
  const put = (id: string, body: unknown, token = t.admin.accessToken) => t.request({ method: 'PUT', url: `/v1/admin/knowledge/${id}`, token, body });
  const changes = (after: string, limit = 500) =>
    t.request({ method: 'GET', url: `/v1/knowledge/changes?after=${after}&limit=${limit}`, token: t.agent.accessToken }).then((r) => r.json());

  it('syncs articles incrementally with checkpoints and tombstones', async () => {
    const start = (await changes('0')).checkpoint as string;
    expect((await put('kb-a', article('住房公积金提取需要哪些材料？'))).statusCode).toBe(200);
    expect((await put('kb-b', article('公积金贷款额度怎么算？'))).statusCode).toBe(200);
    let page = await changes(start);
    expect(page.articles.map((a: { id: string }) => a.id)).toEqual(['kb-a', 'kb-b']);
    const cp = page.checkpoint;

    const v2 = await put('kb-a', { ...article('提取住房公积金需要哪些材料？'), validTo: '2026-12-31' });
    expect(v2.json()).toMatchObject({ version: 2, validTo: '2026-12-31' });
    expect((await t.request({ method: 'DELETE', url: '/v1/admin/knowledge/kb-b', token: t.admin.accessToken })).statusCode).toBe(204);
    page = await changes(cp);
    expect(page.articles.map((a: { id: string; version: number }) => [a.id, a.version])).toEqual([['kb-a', 2]]);
    expect(page.tombstones).toEqual([{ id: 'kb-b', version: 2 }]);
    expect((await changes(page.checkpoint)).articles).toEqual([]);

    // Paging: one at a time reaches the same end state.
    const seen: string[] = [];
    let after = start;
    for (;;) {
      const p = await changes(after, 1);
      seen.push(...p.articles.map((a: { id: string }) => `+${a.id}`), ...p.tombstones.map((x: { id: string }) => `-${x.id}`));
      after = p.checkpoint;
      if (!p.hasMore) break;
    }
    expect(seen).toEqual(['+kb-a', '-kb-b']);
  });

  it('accepts only Markdown from admins, and feedback from agents', async () => {
    expect((await put('kb-x', article('x'), t.agent.accessToken)).statusCode).toBe(403);
    const html = await put('kb-x', { ...article('x'), body: '<img src=x onerror=alert(1)>' });
    expect(html.statusCode).toBe(400);
    expect(html.json().error.issues[0].message).toMatch(/HTML/);
    expect((await put('kb-x', { ...article('x'), body: '[点我](javascript:alert(1))' })).statusCode).toBe(400);
    expect((await put('kb-x', { ...article('x'), validTo: '2024-01-01' })).statusCode).toBe(400);
    // An id that names another admin route is not an article's.
    expect((await put('feedback', article('x'))).statusCode).toBe(400);

  });

  it('takes agents\' reports on articles once per key (the outbox may send one twice) and lists them to admins', async () => {
    await put('kb-f', article('医保异地就医备案'));
    await put('kb-g', article('已撤回的口径'));
    const client = 'feedback-client-1';
    const report = (id: string, key: string, body: Record<string, unknown>, token = t.agent.accessToken) =>
      t.request({ method: 'POST', url: `/v1/knowledge/${id}/feedback`, token, headers: { 'idempotency-key': key }, body: { clientId: client, ...body } });
    const list = async (query = '') => (await t.request({ method: 'GET', url: `/v1/admin/knowledge/feedback${query}`, token: t.admin.accessToken })).json().items as Record<string, unknown>[];

    const noKey = await t.request({ method: 'POST', url: '/v1/knowledge/kb-f/feedback', token: t.agent.accessToken, body: { clientId: client, clientSeq: 1, kind: 'wrong', articleVersion: 1 } });
    expect(noKey.statusCode).toBe(400);
    const first = await report('kb-f', 'fb-key-0001', { clientSeq: 1, kind: 'outdated', comment: '2026年已调整', articleVersion: 1 });
    expect(first.statusCode).toBe(201);
    const again = await report('kb-f', 'fb-key-0001', { clientSeq: 1, kind: 'outdated', comment: '2026年已调整', articleVersion: 1 });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    // No comment is needed; a withdrawn article's report is kept; an unknown article is refused.
    await t.request({ method: 'DELETE', url: '/v1/admin/knowledge/kb-g', token: t.admin.accessToken });
    expect((await report('kb-g', 'fb-key-0002', { clientSeq: 2, kind: 'unclear', articleVersion: 1 })).statusCode).toBe(201);
    expect((await report('kb-none', 'fb-key-0003', { clientSeq: 3, kind: 'wrong', articleVersion: 1 })).statusCode).toBe(404);
    expect((await report('kb-f', 'fb-key-0004', { clientSeq: 4, kind: 'confusing', articleVersion: 1 })).statusCode).toBe(400);

    const f = await list('?articleId=kb-f');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ id: first.json().id, articleId: 'kb-f', articleVersion: 1, kind: 'outdated', comment: '2026年已调整', reportedBy: 'agent01' });
    const g = await list('?articleId=kb-g');
    expect(g).toHaveLength(1);
    expect(g[0]).not.toHaveProperty('comment');
    expect((await t.request({ method: 'GET', url: '/v1/admin/knowledge/feedback', token: t.agent.accessToken })).statusCode).toBe(403);
  });

  const synonyms = (query = '', token = t.agent.accessToken) => t.request({ method: 'GET', url: `/v1/knowledge/synonyms${query}`, token });
  const putSynonyms = (body: unknown, token = t.admin.accessToken) => t.request({ method: 'PUT', url: '/v1/admin/knowledge/synonyms', token, body });
  const knowledgeVersion = async () => (await t.request({ method: 'GET', url: '/v1/reference/versions', token: t.agent.accessToken })).json().knowledge as number;
  const synonymAudit = async () =>
    (await t.request({ method: 'GET', url: '/v1/admin/audit?action=knowledge.synonyms&limit=500', token: t.admin.accessToken })).json().entries as { actorAccount: string; subjectId: string; detail: unknown }[];

  it('serves the synonym table with its version, the rows only to a client without that version', async () => {
    const empty = await synonyms();
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ version: 0, rows: [] });
    expect((await synonyms('?known=0')).json()).toEqual({ version: 0 });

    const rows = [{ terms: ['个税', '个人所得税'], oneWay: true }, { terms: ['社保', '社会保险'] }];
    const kbBefore = await knowledgeVersion();
    const put = await putSynonyms({ rows });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ version: 1 });
    expect(await knowledgeVersion()).toBe(kbBefore + 1);
    for (const token of [t.agent.accessToken, t.subcenterTax.accessToken, t.lead.accessToken, t.admin.accessToken]) {
      expect((await synonyms('', token)).json()).toEqual({ version: 1, rows });
    }
    expect((await synonyms('?known=0')).json()).toEqual({ version: 1, rows });
    expect((await synonyms('?known=1')).json()).toEqual({ version: 1 });
    expect((await synonyms('?known=7')).json()).toEqual({ version: 1, rows });

    // The whole table is replaced (terms trimmed) and the version moves on.
    const again = await putSynonyms({ rows: [{ terms: [' 医保 ', '医疗保险'] }] });
    expect(again.json()).toEqual({ version: 2 });
    expect((await synonyms('?known=1')).json()).toEqual({ version: 2, rows: [{ terms: ['医保', '医疗保险'] }] });
    expect(await synonymAudit()).toEqual([
      expect.objectContaining({ actorAccount: 'admin01', subjectId: 'synonyms', detail: { version: 1, rows: 2 } }),
      expect.objectContaining({ actorAccount: 'admin01', subjectId: 'synonyms', detail: { version: 2, rows: 1 } }),
    ]);

    for (const q of ['?known=-1', '?known=1.5', '?known=abc', '?other=1']) expect((await synonyms(q)).statusCode, q).toBe(400);
    expect((await synonyms('', '')).statusCode).toBe(401);
  });

  it('lets only admins replace the synonym table, and names what is wrong with a row', async () => {
    const before = (await synonyms()).json();
    const audited = (await synonymAudit()).length;
    for (const token of [t.agent.accessToken, t.lead.accessToken, t.subcenterTax.accessToken]) expect((await putSynonyms({ rows: [] }, token)).statusCode).toBe(403);

    const repeated = await putSynonyms({ rows: [{ terms: ['社保', '社会保险'] }, { terms: ['公积金', '住房公积金', ' 公积金'] }] });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.json().error.issues).toEqual([{ path: 'body.rows.1.terms', message: 'term "公积金" appears more than once in the row' }]);
    // Repeated as the search reads terms: full-width and upper case are the same term.
    const width = await putSynonyms({ rows: [{ terms: ['ETC', 'ｅｔｃ', '电子不停车收费'] }] });
    expect(width.statusCode).toBe(400);
    expect(width.json().error.issues[0]).toEqual({ path: 'body.rows.0.terms', message: 'term "ｅｔｃ" appears more than once in the row' });
    for (const bad of [{ rows: [{ terms: ['社保'] }] }, { rows: [{ terms: ['社保', ' '] }] }, { rows: [{ terms: ['社保', '社会保险'], note: 'x' }] }, { rows: [], extra: true }, {}]) {
      expect((await putSynonyms(bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    expect((await synonyms()).json()).toEqual(before);
    expect(await synonymAudit()).toHaveLength(audited);

    // The largest table the schema allows fits in one body (well over the default body limit).
    const han = (i: number, j: number) => Array.from({ length: 12 }, (_, k) => String.fromCodePoint(0x4e00 + j * 1000 + ((i + k) % 1000))).join('');
    const largest = Array.from({ length: 5_000 }, (_, i) => ({ terms: Array.from({ length: 12 }, (_, j) => han(i, j)), oneWay: false }));
    const big = await putSynonyms({ rows: largest });
    expect(big.statusCode).toBe(200);
    expect(big.json()).toEqual({ version: before.version + 1 });
    expect((await synonyms()).json().rows).toHaveLength(5_000);
    expect((await putSynonyms({ rows: [...largest, { terms: ['社保', '社会保险'] }] })).statusCode).toBe(400);
  });

  it('serves the bundled working-day calendar and lets an admin revise it', async () => {
    const cal = (await t.request({ method: 'GET', url: '/v1/reference/calendar?from=2026&to=2026', token: t.agent.accessToken })).json();
    expect(cal.knownYears).toContain(2026);
    expect(cal.knownYears).not.toContain(2099);
    expect(cal.days).toContainEqual({ date: '2026-10-01', kind: 'holiday', name: '国庆节' });
    expect(cal.days).toContainEqual(expect.objectContaining({ date: '2026-10-10', kind: 'workday' }));

    const set = await t.request({ method: 'PUT', url: '/v1/admin/calendar/days/2026-12-24', token: t.admin.accessToken, body: { kind: 'holiday', name: '测试假日' } });
    expect(set.json().version).toBeGreaterThan(cal.version);
    const after = (await t.request({ method: 'GET', url: '/v1/reference/calendar?from=2026&to=2026', token: t.lead.accessToken })).json();
    expect(after.days).toContainEqual({ date: '2026-12-24', kind: 'holiday', name: '测试假日' });
    expect((await t.request({ method: 'PUT', url: '/v1/admin/calendar/days/2026-12-24', token: t.agent.accessToken, body: { kind: 'normal', name: '' } })).statusCode).toBe(403);
  });

  it('gives dispatched orders a working-day deadline, flagged when it runs past the known calendar', async () => {
    const policy = (await t.request({ method: 'GET', url: '/v1/reference/deadline-policy', token: t.agent.accessToken })).json();
    expect(policy.policy).toEqual(GUANGDONG_POLICY);
    const today = shanghaiDate(Date.now());
    const year = Number(today.slice(0, 4));
    // Make this year and next known so the 15-day complaint deadline is certain whenever the test runs.
    for (const y of [year, year + 1]) {
      await t.request({ method: 'PUT', url: `/v1/admin/calendar/years/${y}`, token: t.admin.accessToken, body: { known: true } });
    }
    const certain = (await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(), headers: { 'idempotency-key': crypto.randomUUID() } })).json();
    expect(certain.deadline > today).toBe(true);
    expect(certain.deadlineUncertain).toBeUndefined();
    // Not just "some later date": the served policy's days, counted on the served calendar
    // (including the admin's holiday above), by request type and urgency.
    const served = (await t.request({ method: 'GET', url: `/v1/reference/calendar?from=${year}&to=${year + 1}`, token: t.agent.accessToken })).json();
    const calendar = new WorkCalendar({
      overrides: new Map(served.days.map((d: { date: string; kind: DayKind }) => [d.date, d.kind])),
      knownYears: new Set(served.knownYears),
    });
    expect(certain.deadline).toBe(calendar.addWorkingDays(today, policy.policy.workingDays.complaint).date);
    const urgent = (
      await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(sampleOrder({ urgency: 'urgent' })), headers: { 'idempotency-key': crypto.randomUUID() } })
    ).json();
    expect(urgent.deadline).toBe(calendar.addWorkingDays(today, policy.policy.urgentWorkingDays).date);
    const consult = (
      await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(sampleOrder({ requestType: 'consult' })), headers: { 'idempotency-key': crypto.randomUUID() } })
    ).json();
    expect(consult.deadline).toBe(calendar.addWorkingDays(today, policy.policy.workingDays.consult).date);

    await t.request({
      method: 'PUT',
      url: '/v1/admin/deadline-policy',
      token: t.admin.accessToken,
      body: { ...GUANGDONG_POLICY, workingDays: { ...GUANGDONG_POLICY.workingDays, complaint: 60 } },
    });
    await t.request({ method: 'PUT', url: `/v1/admin/calendar/years/${year + 1}`, token: t.admin.accessToken, body: { known: false } });
    const far = (await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(), headers: { 'idempotency-key': crypto.randomUUID() } })).json();
    expect(far.deadlineUncertain).toBe(true);
    // Answered-on-the-call orders have no deadline.
    const answered = (
      await t.request({
        method: 'POST',
        url: '/v1/orders',
        token: t.agent.accessToken,
        body: createBody(sampleOrder({ disposition: 'answered', handlingUnit: undefined, knowledgeArticleId: 'kb-a', requestType: 'consult' })),
        headers: { 'idempotency-key': crypto.randomUUID() },
      })
    ).json();
    expect(answered.status).toBe('closed');
    expect(answered.deadline).toBeUndefined();
  });

  it('lists the audit log for admins only, filtered, with an intact chain', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/admin/audit', token: t.lead.accessToken })).statusCode).toBe(403);
    const r = (await t.request({ method: 'GET', url: '/v1/admin/audit?actor=admin01&limit=500', token: t.admin.accessToken })).json();
    expect(r.entries.length).toBeGreaterThan(3);
    expect(r.entries.every((e: { actorAccount: string }) => e.actorAccount === 'admin01')).toBe(true);
    expect(r.entries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['knowledge.upsert', 'calendar.setDay', 'deadlinePolicy.set']));
    const v = (await t.request({ method: 'GET', url: '/v1/admin/audit/verify', token: t.admin.accessToken })).json();
    expect(v).toMatchObject({ intact: true });
    expect(v.entries).toBeGreaterThan(10);
  });

  it('reports reference data versions', async () => {
    const v = (await t.request({ method: 'GET', url: '/v1/reference/versions', token: t.subcenterTax.accessToken })).json();
    expect(v.calendar).toBeGreaterThan(1);
    expect(v.knowledge).toBeGreaterThan(0);
    expect(Object.keys(v).sort()).toEqual(['areas', 'calendar', 'categories', 'deadlinePolicy', 'directory', 'knowledge', 'outOfScope', 'phrases', 'units']);
  });
});
