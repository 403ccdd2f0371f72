/**
 * Loads the demo city (platform/seed/data: handling units, category tree, hotline directory,
 * knowledge articles) and one demo account per role. Every record is validated against the
 * contract schemas first; loading is idempotent (upserts), so it can be re-run after editing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { articleInputSchema } from '../../../shared/knowledge/routes';
import { categoryNodeSchema, directoryEntrySchema, unitSchema, type CategoryNode } from '../../../shared/directory/routes';
import type { Database } from '../db/database';
import { hashPassword, type ScryptParams } from '../session/passwords';
import { bumpVersion } from '../directory/reference';
import { nextKnowledgeSeq } from '../knowledge/handlers';

export const seedArticleSchema = articleInputSchema.and(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }));

export interface DemoData {
  units: z.infer<typeof unitSchema>[];
  categories: CategoryNode[];
  directory: z.infer<typeof directoryEntrySchema>[];
  articles: z.infer<typeof seedArticleSchema>[];
}

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
  users: string[];
}

export async function loadDemoCity(db: Database, data: DemoData, opts: { password: string; scrypt: ScryptParams }): Promise<SeedReport> {
  const unitCodes = new Set(data.units.map((u) => u.code));
  for (const a of data.articles) if (a.unitCode && !unitCodes.has(a.unitCode)) throw new Error(`article ${a.id}: unknown unit ${a.unitCode}`);
  const flat: { code: string; name: string; parent: string | null; position: number }[] = [];
  const walk = (nodes: CategoryNode[], parent: string | null) =>
    nodes.forEach((n) => {
      flat.push({ code: n.code, name: n.name, parent, position: flat.length });
      walk(n.children, n.code);
    });
  walk(data.categories, null);

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
    for (const e of data.directory) {
      await tx.query(
        `insert into hotline_directory (number, name, merge_mode, status, unit_code, transfer_uri, three_way, service_hours, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (number) do update set name = excluded.name, merge_mode = excluded.merge_mode, status = excluded.status,
           unit_code = excluded.unit_code, transfer_uri = excluded.transfer_uri, three_way = excluded.three_way,
           service_hours = excluded.service_hours, note = excluded.note`,
        [e.number, e.name, e.mergeMode, e.status, e.unitCode, e.transferUri, e.threeWay, e.serviceHours, e.note],
      );
    }
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
    for (const kind of ['units', 'categories', 'directory', 'knowledge'] as const) await bumpVersion(tx, kind);
  });
  return { units: data.units.length, categories: flat.length, directory: data.directory.length, articles: data.articles.length, users };
}
