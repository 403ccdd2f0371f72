import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, randomMasterKey, type Platform } from '../src/app';
import { loadDemoCity, readDemoData, DEMO_USERS } from '../src/seed/demo-city';
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
    const first = await loadDemoCity(p.services.db, data, { password: 'demo-password-1', scrypt: FAST_SCRYPT });
    expect(first.users.sort()).toEqual(DEMO_USERS.map((u) => u.account).sort());
    const again = await loadDemoCity(p.services.db, data, { password: 'demo-password-1', scrypt: FAST_SCRYPT });
    expect(again.users).toEqual([]);
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
  });
});
