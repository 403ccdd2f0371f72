/**
 * Loads the demo city (platform/seed/data: handling units, category tree, hotline directory,
 * knowledge articles and the search's synonym table, area tree, phrase templates, out-of-scope
 * reasons) and one demo account per role, and — given the platform's cipher — about 400
 * historical work orders of the last 90 days (seed/history.ts). Every record is validated against
 * the contract schemas first; loading is idempotent (upserts; the history is added once), so it can
 * be re-run after editing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { articleInputSchema } from '../../../shared/knowledge/routes';
import { synonymRowsSchema, type SynonymRows } from '../../../shared/knowledge/search/synonyms';
import {
  areaNodeSchema,
  categoryNodeSchema,
  directoryEntrySchema,
  outOfScopeReasonSchema,
  phraseSchema,
  unitSchema,
  type AreaNode,
  type CategoryNode,
} from '../../../shared/directory/routes';
import type { PersonalDataCipher } from '../security/personal-data';
import { articlesByCategory, generateDemoHistory, insertHistory } from './history';
import type { Database } from '../db/database';
import { hashPassword, type ScryptParams } from '../session/passwords';
import { bumpVersion } from '../directory/reference';
import { upsertDirectoryEntry } from '../directory/entries';
import { nextKnowledgeSeq, storeSynonyms } from '../knowledge/handlers';

export const seedArticleSchema = articleInputSchema.and(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }));

export interface DemoData {
  units: z.infer<typeof unitSchema>[];
  categories: CategoryNode[];
  directory: z.infer<typeof directoryEntrySchema>[];
  articles: z.infer<typeof seedArticleSchema>[];
  synonyms: SynonymRows;
  areas: AreaNode[];
  phrases: z.infer<typeof phraseSchema>[];
  outOfScope: z.infer<typeof outOfScopeReasonSchema>[];
}

const unique = <T>(schema: z.ZodType<T[]>, key: (t: T) => string, what: string) =>
  schema.refine((list) => new Set(list.map(key)).size === list.length, `duplicate ${what}`);

function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`${path.basename(file)}: ${i.path.join('.')}: ${i.message} (${parsed.error.issues.length} problem(s))`);
  }
  return parsed.data;
}

export function readDemoData(dir: string): DemoData {
  // Seed files use `unitCode`/`categoryCode` like the API; extra authoring fields are not allowed.
  return {
    units: readJson(path.join(dir, 'units.json'), z.array(unitSchema)),
    categories: readJson(path.join(dir, 'categories.json'), z.array(categoryNodeSchema)),
    directory: readJson(path.join(dir, 'hotline-directory.json'), z.array(directoryEntrySchema)),
    articles: readJson(path.join(dir, 'knowledge-articles.json'), z.array(seedArticleSchema)),
    synonyms: readJson(path.join(dir, 'knowledge-synonyms.json'), synonymRowsSchema),
    areas: readJson(path.join(dir, 'areas.json'), z.array(areaNodeSchema)),
    phrases: readJson(path.join(dir, 'phrases.json'), unique(z.array(phraseSchema), (p) => p.id, 'phrase id')),
    outOfScope: readJson(path.join(dir, 'out-of-scope.json'), unique(z.array(outOfScopeReasonSchema), (r) => r.code, 'reason code')),
  };
}

/** The demo accounts' password wherever the demo city is loaded by the project's start paths (`npm start`, `npm run dev:chromium`). */
export const DEMO_PASSWORD = 'Demo-12345-pass';

export const DEMO_CENTER = { code: 'QY-12345', name: '清远市12345政务服务便民热线' };

export const DEMO_USERS = [
  { account: 'agent01', displayName: '坐席01', role: 'agent', org: DEMO_CENTER.code },
  { account: 'agent02', displayName: '坐席02', role: 'agent', org: DEMO_CENTER.code },
  { account: 'lead01', displayName: '值班长', role: 'lead', org: DEMO_CENTER.code },
  { account: 'admin', displayName: '系统管理员', role: 'admin', org: DEMO_CENTER.code },
  { account: 'tax01', displayName: '12366坐席', role: 'subcenter', hotline: '12366' },
  { account: 'customs01', displayName: '12360坐席', role: 'subcenter', hotline: '12360' },
] as const;

export interface SeedReport {
  units: number;
  categories: number;
  directory: number;
  articles: number;
  synonymRows: number;
  users: string[];
  areas: number;
  phrases: number;
  outOfScopeReasons: number;
  /** Historical orders added on this load (0 when already there or without a cipher). */
  historicalOrders: number;
}

export interface LoadOptions {
  password: string;
  scrypt: ScryptParams;
  /** The platform's personal-data cipher: needed for the historical orders (skipped without it). */
  cipher?: PersonalDataCipher;
  /** Load the historical orders (default true when a cipher is given). */
  history?: boolean;
  /** The history's base time (default now). */
  now?: number;
}

export async function loadDemoCity(db: Database, data: DemoData, opts: LoadOptions): Promise<SeedReport> {
  const unitCodes = new Set(data.units.map((u) => u.code));
  for (const a of data.articles) if (a.unitCode && !unitCodes.has(a.unitCode)) throw new Error(`article ${a.id}: unknown unit ${a.unitCode}`);
  const flat: { code: string; name: string; parent: string | null; position: number }[] = [];
  const walk = (nodes: CategoryNode[], parent: string | null) =>
    nodes.forEach((n) => {
      flat.push({ code: n.code, name: n.name, parent, position: flat.length });
      walk(n.children, n.code);
    });
  walk(data.categories, null);
  const areas: { code: string; name: string; kind: string; parent: string | null; position: number }[] = [];
  const walkAreas = (nodes: AreaNode[], parent: string | null) =>
    nodes.forEach((n) => {
      areas.push({ code: n.code, name: n.name, kind: n.kind, parent, position: areas.length });
      walkAreas(n.children, n.code);
    });
  walkAreas(data.areas, null);
  const categoryCodes = new Set(flat.map((c) => c.code));
  for (const e of data.directory) if (e.categoryCode && !categoryCodes.has(e.categoryCode)) throw new Error(`directory ${e.number}: unknown category ${e.categoryCode}`);

  const users: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query(`insert into organisations (code, name, kind) values ($1, $2, 'center') on conflict (code) do update set name = excluded.name`, [DEMO_CENTER.code, DEMO_CENTER.name]);
    for (const u of data.units.filter((x) => x.kind === 'subcenter' || x.kind === 'dualLine')) {
      await tx.query(`insert into organisations (code, name, kind) values ($1, $2, $3) on conflict (code) do update set name = excluded.name, kind = excluded.kind`, [u.code, u.name, u.kind]);
    }
    for (const u of data.units) {
      await tx.query(
        `insert into units (code, name, kind, parent, hotline) values ($1, $2, $3, $4, $5)
         on conflict (code) do update set name = excluded.name, kind = excluded.kind, parent = excluded.parent, hotline = excluded.hotline`,
        [u.code, u.name, u.kind, u.parent, u.hotline],
      );
    }
    await tx.query('delete from categories');
    for (const c of flat) await tx.query('insert into categories (code, name, parent_code, position) values ($1, $2, $3, $4)', [c.code, c.name, c.parent, c.position]);
    for (const e of data.directory) await upsertDirectoryEntry(tx, e);
    for (const a of data.articles) {
      const seq = await nextKnowledgeSeq(tx);
      await tx.query(
        `insert into knowledge_articles (id, title, body, unit_code, hotlines, keywords, category_code, valid_from, valid_to, version, deleted, change_seq, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, false, $10, now())
         on conflict (id) do update set title = excluded.title, body = excluded.body, unit_code = excluded.unit_code, hotlines = excluded.hotlines,
           keywords = excluded.keywords, category_code = excluded.category_code, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
           version = knowledge_articles.version + 1, deleted = false, change_seq = excluded.change_seq, updated_at = now()
         where (knowledge_articles.title, knowledge_articles.body, knowledge_articles.keywords) is distinct from (excluded.title, excluded.body, excluded.keywords)`,
        [a.id, a.title, a.body, a.unitCode ?? null, a.hotlines, a.keywords, a.categoryCode ?? null, a.validFrom, a.validTo ?? null, seq],
      );
    }
    // The same rows again keep the table's version, so seats do not fetch it for nothing.
    await storeSynonyms(tx, data.synonyms, { ifChanged: true });
    await tx.query('delete from areas');
    await tx.query('insert into areas (code, name, kind, parent_code, position) select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])', [
      areas.map((a) => a.code),
      areas.map((a) => a.name),
      areas.map((a) => a.kind),
      areas.map((a) => a.parent),
      areas.map((a) => a.position),
    ]);
    await tx.query('delete from phrases');
    await tx.query('insert into phrases (id, group_name, text, position) select * from unnest($1::text[], $2::text[], $3::text[], $4::int[])', [
      data.phrases.map((p) => p.id),
      data.phrases.map((p) => p.group),
      data.phrases.map((p) => p.text),
      data.phrases.map((_, i) => i),
    ]);
    await tx.query('delete from out_of_scope_reasons');
    await tx.query('insert into out_of_scope_reasons (code, name, wording, position) select * from unnest($1::text[], $2::text[], $3::text[], $4::int[])', [
      data.outOfScope.map((r) => r.code),
      data.outOfScope.map((r) => r.name),
      data.outOfScope.map((r) => r.wording),
      data.outOfScope.map((_, i) => i),
    ]);
    const hash = await hashPassword(opts.password, opts.scrypt);
    for (const u of DEMO_USERS) {
      // Sub-center seats belong to the sub-center's organisation, found by its hotline number.
      const orgCode = 'org' in u ? u.org : data.units.find((x) => x.kind === 'subcenter' && x.hotline === u.hotline)?.code;
      if (!orgCode) continue; // the data set has no such sub-center
      const r = await tx.query(
        `insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)
         on conflict (account) do nothing returning account`,
        [crypto.randomUUID(), u.account, u.displayName, u.role, orgCode, hash],
      );
      if (r.rows.length > 0) users.push(u.account);
    }
    for (const kind of ['units', 'categories', 'directory', 'knowledge', 'areas', 'phrases', 'outOfScope'] as const) await bumpVersion(tx, kind);
  });
  let historicalOrders = 0;
  if (opts.cipher && opts.history !== false) {
    const orders = generateDemoHistory({ now: opts.now ?? Date.now(), areas: data.areas, articles: articlesByCategory(data.articles) });
    historicalOrders = (await db.transaction((tx) => insertHistory(tx, opts.cipher!, orders))).length;
  }
  return {
    units: data.units.length,
    categories: flat.length,
    directory: data.directory.length,
    articles: data.articles.length,
    synonymRows: data.synonyms.length,
    users,
    areas: areas.length,
    phrases: data.phrases.length,
    outOfScopeReasons: data.outOfScope.length,
    historicalOrders,
  };
}
