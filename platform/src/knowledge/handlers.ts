import crypto from 'node:crypto';
import type { knowledgeRoutes, Article, ArticleProblem } from '../../../shared/knowledge/routes';
import { idempotent } from '../idempotency';
import type { SynonymRows } from '../../../shared/knowledge/search/synonyms';
import { ApiProblem } from '../errors';
import { appendAudit } from '../audit/audit-chain';
import { bumpVersion } from '../directory/reference';
import type { Queryable } from '../db/database';
import type { HandlerTable } from '../handler';

interface ArticleRow {
  id: string;
  title: string;
  body: string;
  unit_code: string | null;
  hotlines: string[];
  keywords: string[];
  category_code: string | null;
  valid_from: string;
  valid_to: string | null;
  version: number;
  deleted: boolean;
  change_seq: string;
  updated_at: Date | string;
}

const COLUMNS = `id, title, body, unit_code, hotlines, keywords, category_code, to_char(valid_from, 'YYYY-MM-DD') as valid_from,
  to_char(valid_to, 'YYYY-MM-DD') as valid_to, version, deleted, change_seq::text as change_seq, updated_at`;

export function toArticle(r: ArticleRow): Article {
  const a: Article = {
    id: r.id,
    title: r.title,
    body: r.body,
    hotlines: r.hotlines,
    keywords: r.keywords,
    validFrom: r.valid_from,
    version: r.version,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
  if (r.unit_code) a.unitCode = r.unit_code;
  if (r.category_code) a.categoryCode = r.category_code;
  if (r.valid_to) a.validTo = r.valid_to;
  return a;
}

/** The next knowledge change number; the counter row serialises writers (commit order = seq order). */
export async function nextKnowledgeSeq(tx: Queryable): Promise<string> {
  const r = await tx.query<{ last: string }>('update knowledge_counter set last = last + 1 where id = 1 returning last::text as last');
  return r.rows[0]!.last;
}

/**
 * Replaces the synonym table (one row, migration 7), its version up by one; with `ifChanged`, the
 * same rows again leave it as it is (re-seeding). Returns the version now current.
 */
export async function storeSynonyms(tx: Queryable, rows: SynonymRows, opts: { ifChanged?: boolean } = {}): Promise<number> {
  const r = await tx.query<{ version: number }>(
    `update knowledge_synonyms set rows = $1::jsonb, version = version + 1, updated_at = now()
     where id = 1 and (not $2::boolean or rows is distinct from $1::jsonb) returning version`,
    [JSON.stringify(rows), opts.ifChanged === true],
  );
  if (r.rows[0]) return r.rows[0].version;
  return (await tx.query<{ version: number }>('select version from knowledge_synonyms where id = 1')).rows[0]!.version;
}

export const knowledgeHandlers: HandlerTable<typeof knowledgeRoutes> = {
  changes: async (ctx) => {
    const r = await ctx.db.query<ArticleRow>(`select ${COLUMNS} from knowledge_articles where change_seq > $1::bigint order by change_seq limit $2`, [
      ctx.query.after,
      ctx.query.limit + 1,
    ]);
    const rows = r.rows.slice(0, ctx.query.limit);
    return {
      body: {
        articles: rows.filter((a) => !a.deleted).map(toArticle),
        tombstones: rows.filter((a) => a.deleted).map((a) => ({ id: a.id, version: a.version })),
        checkpoint: rows.at(-1)?.change_seq ?? ctx.query.after,
        hasMore: r.rows.length > ctx.query.limit,
      },
    };
  },

  synonyms: async (ctx) => {
    // The rows are read only when the client does not have this version already.
    const r = await ctx.db.query<{ version: number; rows: SynonymRows | null }>(
      'select version, case when version = $1::bigint then null else rows end as rows from knowledge_synonyms where id = 1',
      [ctx.query.known ?? null],
    );
    const { version, rows } = r.rows[0]!;
    return { body: rows === null ? { version } : { version, rows } };
  },

  feedback: async (ctx) => {
    const r = await idempotent('knowledge.feedback', ctx, async (tx) => {
      // A report on an article withdrawn since is kept too: the report was written while it was in force.
      const a = await tx.query('select 1 from knowledge_articles where id = $1', [ctx.params.id]);
      if (!a.rows[0]) throw new ApiProblem('not_found', 'No such article');
      const id = crypto.randomUUID();
      await tx.query('insert into knowledge_feedback (id, article_id, article_version, kind, comment, actor_id) values ($1, $2, $3, $4, $5, $6)', [
        id,
        ctx.params.id,
        ctx.body.articleVersion,
        ctx.body.kind,
        ctx.body.comment ?? '',
        ctx.user.sub,
      ]);
      return { status: 201, body: { id } };
    });
    return { status: 201, body: r.body as { id: string } };
  },

  feedbackList: async (ctx) => {
    const r = await ctx.db.query<{ id: string; article_id: string; article_version: number; kind: ArticleProblem; comment: string; account: string; at: Date | string }>(
      `select f.id, f.article_id, f.article_version, f.kind, f.comment, u.account, f.at from knowledge_feedback f join users u on u.id = f.actor_id
       where $1::text is null or f.article_id = $1 order by f.at desc, f.id limit $2`,
      [ctx.query.articleId ?? null, ctx.query.limit],
    );
    return {
      body: {
        items: r.rows.map((f) => ({
          id: f.id,
          articleId: f.article_id,
          articleVersion: f.article_version,
          kind: f.kind,
          ...(f.comment ? { comment: f.comment } : {}),
          reportedBy: f.account,
          reportedAt: new Date(f.at).toISOString(),
        })),
      },
    };
  },

  upsert: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const a = ctx.body;
      const seq = await nextKnowledgeSeq(tx);
      const r = await tx.query<ArticleRow>(
        `insert into knowledge_articles (id, title, body, unit_code, hotlines, keywords, category_code, valid_from, valid_to, version, deleted, change_seq, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, false, $10, now())
         on conflict (id) do update set title = excluded.title, body = excluded.body, unit_code = excluded.unit_code,
           hotlines = excluded.hotlines, keywords = excluded.keywords, category_code = excluded.category_code,
           valid_from = excluded.valid_from, valid_to = excluded.valid_to, version = knowledge_articles.version + 1,
           deleted = false, change_seq = excluded.change_seq, updated_at = now()
         returning ${COLUMNS}`,
        [ctx.params.id, a.title, a.body, a.unitCode ?? null, a.hotlines, a.keywords, a.categoryCode ?? null, a.validFrom, a.validTo ?? null, seq],
      );
      await bumpVersion(tx, 'knowledge');
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'knowledge.upsert', subjectType: 'article', subjectId: ctx.params.id });
      return { body: toArticle(r.rows[0]!) };
    }),

  remove: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const seq = await nextKnowledgeSeq(tx);
      const r = await tx.query('update knowledge_articles set deleted = true, version = version + 1, change_seq = $2, updated_at = now() where id = $1 and not deleted', [
        ctx.params.id,
        seq,
      ]);
      if (r.rowCount === 0) throw new ApiProblem('not_found', 'No such article');
      await bumpVersion(tx, 'knowledge');
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'knowledge.remove', subjectType: 'article', subjectId: ctx.params.id });
      return { status: 204, body: null };
    }),

  setSynonyms: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const version = await storeSynonyms(tx, ctx.body.rows);
      // Clients following reference versions learn of it with the articles' own changes.
      await bumpVersion(tx, 'knowledge');
      await appendAudit(tx, {
        actorId: ctx.user.sub,
        actorAccount: ctx.user.acct,
        action: 'knowledge.synonyms',
        subjectType: 'knowledge',
        subjectId: 'synonyms',
        detail: { version, rows: ctx.body.rows.length },
      });
      return { body: { version } };
    }),
};
