import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, randomMasterKey, type Platform } from '../src/app';
import { loadDemoCity, readDemoData, DEMO_USERS } from '../src/seed/demo-city';
import { generateDemoHistory } from '../src/seed/history';
import { NOT_ACCEPTED_REASONS, OPEN_STATUSES } from '../../shared/orders/work-order';
import { isValidPhone } from '../../shared/base/phone-number';
import { FAST_SCRYPT } from './harness';

const DATA = path.join(__dirname, '../seed/data');

describe('demo city seed', () => {
  let p: Platform;
  beforeAll(async () => {
    p = await createPlatform({ database: { kind: 'pglite' }, masterKey: randomMasterKey(), config: { scrypt: FAST_SCRYPT }, log: () => undefined });
  }, 60_000);
  afterAll(async () => p?.close());

  it('validates and loads every data set, idempotently', async () => {
    const data = readDemoData(DATA);
    expect(data.articles.length).toBeGreaterThanOrEqual(300);
    expect(new Set(data.articles.map((a) => a.id)).size).toBe(data.articles.length);
    expect(data.outOfScope.map((r) => r.code).sort()).toEqual([...NOT_ACCEPTED_REASONS].sort());
    expect(data.phrases.length).toBeGreaterThanOrEqual(15);
    expect(new Set(data.phrases.map((x) => x.group)).size).toBeGreaterThanOrEqual(2);
    expect(data.areas.length).toBeGreaterThanOrEqual(8);
    expect(data.directory.find((e) => e.number === '12333')!.categoryCode).toBe('01');
    const started = Date.now();
    const first = await loadDemoCity(p.services.db, data, { password: 'demo-password-1', scrypt: FAST_SCRYPT, cipher: p.services.cipher });
    // PGlite: the whole city, 400 historical orders included, well within the dev start's budget.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(first.users.sort()).toEqual(DEMO_USERS.map((u) => u.account).sort());
    expect(first.historicalOrders).toBe(400);
    const again = await loadDemoCity(p.services.db, data, { password: 'demo-password-1', scrypt: FAST_SCRYPT, cipher: p.services.cipher });
    expect(again.users).toEqual([]);
    expect(again.historicalOrders).toBe(0);
    const orders = await p.services.db.query<{ n: number; open: number; confidential: number; repeat: number }>(
      `select count(*)::int as n, (count(*) filter (where status = any($1::text[])))::int as open, (count(*) filter (where confidential))::int as confidential,
              (select count(*)::int from (select caller_phone_bidx from orders group by 1 having count(*) between 2 and 5) r) as repeat
       from orders`,
      [[...OPEN_STATUSES]],
    );
    const o = orders.rows[0]!;
    expect(o.n).toBe(400);
    expect(o.open / o.n).toBeGreaterThan(0.1);
    expect(o.open / o.n).toBeLessThan(0.2);
    expect(o.confidential).toBeGreaterThan(5);
    expect(o.repeat).toBe(30);
    const n = await p.services.db.query<{ n: string }>('select count(*)::text as n from knowledge_articles where not deleted');
    expect(Number(n.rows[0]!.n)).toBe(data.articles.length);
  });

  it('serves the loaded city through the API to a demo agent', async () => {
    const login = await p.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { account: 'agent01', password: 'demo-password-1', clientId: 'seed-test-client' } });
    const token = login.json().accessToken as string;
    const get = (url: string) => p.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    const directory = await get('/v1/reference/directory');
    expect(directory.entries.map((e: { number: string }) => e.number)).toEqual(expect.arrayContaining(['12366', '12333', '110', '119', '120', '122']));
    const tax = directory.entries.find((e: { number: string }) => e.number === '12366');
    expect(tax).toMatchObject({ mergeMode: 'subcenter', threeWay: true });
    expect(tax.transferUri).toMatch(/^sip:/);
    expect((await get('/v1/reference/units')).units.length).toBeGreaterThan(40);
    expect((await get('/v1/reference/categories')).categories.length).toBeGreaterThan(10);
    const kb = await get('/v1/knowledge/changes?after=0&limit=1000');
    expect(kb.articles.length).toBeGreaterThanOrEqual(300);
    expect(kb.articles.some((a: { title: string }) => a.title.includes('公积金'))).toBe(true);
    const areas = await get('/v1/reference/areas');
    expect(areas.version).toBeGreaterThan(0);
    expect(areas.areas.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(['清城区', '清新区', '英德市', '连州市']));
    expect((await get('/v1/reference/phrases')).phrases.length).toBeGreaterThanOrEqual(15);
    const reasons = await get('/v1/reference/out-of-scope');
    expect(reasons.reasons.find((r: { code: string }) => r.code === 'litigation').wording).toContain('人民法院');
    // The history: a repeat caller's screen-pop has flags and earlier orders.
    const repeat = generateDemoHistory({ now: Date.now(), areas: readDemoData(DATA).areas })[0]!;
    const hist = await p.app.inject({ method: 'POST', url: '/v1/callers/history', headers: { authorization: `Bearer ${token}` }, payload: { phone: repeat.input.caller.phone, limit: 10 } });
    expect(hist.json().total).toBeGreaterThanOrEqual(2);
  });

  it('loads the synonym table once: the same rows again keep its version, other rows move it on', async () => {
    const data = readDemoData(DATA);
    expect(data.synonyms.length).toBeGreaterThanOrEqual(70);
    const login = await p.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { account: 'agent02', password: 'demo-password-1', clientId: 'seed-test-synonyms' } });
    const token = login.json().accessToken as string;
    const get = (query = '') => p.app.inject({ method: 'GET', url: `/v1/knowledge/synonyms${query}`, headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    // The first test loaded the city twice: version 0 (the migration's) → 1, and no further.
    const served = await get();
    expect(served).toEqual({ version: 1, rows: data.synonyms });
    expect(served.rows).toContainEqual({ terms: ['个税', '个人所得税'], oneWay: true });
    expect(await get('?known=1')).toEqual({ version: 1 });

    const load = (synonyms: typeof data.synonyms) => loadDemoCity(p.services.db, { ...data, synonyms }, { password: 'demo-password-1', scrypt: FAST_SCRYPT });
    const edited = [...data.synonyms, { terms: ['不动产证', '不动产权证书'], oneWay: true }];
    expect((await load(edited)).synonymRows).toBe(data.synonyms.length + 1);
    expect(await get('?known=1')).toEqual({ version: 2, rows: edited });
    await load(edited);
    expect(await get('?known=2')).toEqual({ version: 2 });
    await load(data.synonyms);
    expect(await get()).toEqual({ version: 3, rows: data.synonyms });
  });

  it('generates the history deterministically, with valid numbers, from the area tree', () => {
    const data = readDemoData(DATA);
    const now = Date.parse('2026-11-25T10:00:00+08:00');
    const a = generateDemoHistory({ now, areas: data.areas });
    expect(generateDemoHistory({ now, areas: data.areas })).toEqual(a);
    expect(a).toHaveLength(400);
    expect(a.every((o) => isValidPhone(o.input.caller.phone))).toBe(true);
    const districts = new Set(data.areas.map((d) => d.name));
    expect(a.every((o) => districts.has(o.input.address!.district!))).toBe(true);
    const units = new Set(data.units.map((u) => u.code));
    expect(a.filter((o) => o.input.handlingUnit).every((o) => units.has(o.input.handlingUnit!))).toBe(true);
    const days = a.map((o) => (now - o.createdAt.getTime()) / 86_400_000);
    expect(Math.min(...days)).toBeGreaterThan(0);
    expect(Math.max(...days)).toBeLessThan(91);
  });
});
