import { z } from 'zod';
import { dateSchema, defineRoute, noContentSchema, textSchema, timestampSchema } from '../http/route';
import { synonymRowsSchema } from './search/synonyms';
import { clientIdSchema } from '../session/routes';

const ALL = ['agent', 'subcenter', 'lead', 'admin'] as const;
/** Ids that name other admin routes under /v1/admin/knowledge/ and so cannot be articles'. */
const RESERVED_IDS = new Set(['synonyms', 'feedback']);
export const articleIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
  .refine((id) => !RESERVED_IDS.has(id), 'this id is reserved');
const articleId = articleIdSchema;
/** What an agent can report of an article. */
export const articleProblemSchema = z.enum(['wrong', 'outdated', 'unclear', 'other']);
export type ArticleProblem = z.infer<typeof articleProblemSchema>;

/** Markdown only: raw HTML, scripts and javascript: links are refused at the door. */
const markdownBody = textSchema(20_000)
  .min(1)
  .refine((v) => !/<\s*\/?\s*[a-zA-Z][^>]*>/.test(v), 'HTML tags are not allowed; use Markdown')
  .refine((v) => !/\]\(\s*(javascript|data|vbscript):/i.test(v), 'links must be http(s)');

export const articleInputSchema = z
  .object({
    title: textSchema(200).min(1),
    body: markdownBody,
    unitCode: z.string().max(32).optional(),
    hotlines: z.array(z.string().regex(/^\d{3,8}$/)).max(10),
    keywords: z.array(textSchema(30).min(1)).max(30),
    categoryCode: z.string().max(32).regex(/^[0-9.]+$/).optional(),
    validFrom: dateSchema,
    validTo: dateSchema.optional(),
  })
  .strict()
  .refine((a) => !a.validTo || a.validTo >= a.validFrom, { message: 'validTo is before validFrom', path: ['validTo'] });
export type ArticleInput = z.infer<typeof articleInputSchema>;

export const articleSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    body: z.string(),
    unitCode: z.string().optional(),
    hotlines: z.array(z.string()),
    keywords: z.array(z.string()),
    categoryCode: z.string().optional(),
    validFrom: dateSchema,
    validTo: dateSchema.optional(),
    version: z.number().int().positive(),
    updatedAt: timestampSchema,
  })
  .strict();
export type Article = z.infer<typeof articleSchema>;

export const knowledgeRoutes = {
  changes: defineRoute({
    id: 'knowledge.changes',
    method: 'GET',
    path: '/v1/knowledge/changes',
    summary: 'Articles changed or deleted after a checkpoint (incremental sync; tombstones for deletions)',
    tag: 'knowledge',
    auth: ALL,
    query: z
      .object({
        after: z.string().regex(/^\d+$/).max(20).default('0'),
        limit: z.coerce.number().int().min(1).max(1000).default(500),
      })
      .strict(),
    successStatus: 200,
    response: z
      .object({
        articles: z.array(articleSchema),
        tombstones: z.array(z.object({ id: z.string(), version: z.number().int() }).strict()),
        checkpoint: z.string(),
        hasMore: z.boolean(),
      })
      .strict(),
  }),
  synonyms: defineRoute({
    id: 'knowledge.synonyms',
    method: 'GET',
    path: '/v1/knowledge/synonyms',
    summary: "The search's synonym and abbreviation table and its version (rows left out when `known` is the current version)",
    tag: 'knowledge',
    auth: ALL,
    query: z.object({ known: z.coerce.number().int().nonnegative().optional() }).strict(),
    successStatus: 200,
    response: z.object({ version: z.number().int().nonnegative(), rows: synonymRowsSchema.optional() }).strict(),
  }),
  feedback: defineRoute({
    id: 'knowledge.feedback',
    method: 'POST',
    path: '/v1/knowledge/:id/feedback',
    summary: 'Report that an answer is wrong, outdated or unclear (sent through the outbox: idempotent, per-client sequence)',
    tag: 'knowledge',
    auth: ALL,
    idempotent: true,
    params: z.object({ id: articleId }).strict(),
    body: z
      .object({
        clientId: clientIdSchema,
        clientSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
        kind: articleProblemSchema,
        comment: textSchema(1000).optional(),
        articleVersion: z.number().int().positive(),
      })
      .strict(),
    successStatus: 201,
    response: z.object({ id: z.string().uuid() }).strict(),
  }),
  feedbackList: defineRoute({
    id: 'admin.knowledge.feedback',
    method: 'GET',
    path: '/v1/admin/knowledge/feedback',
    summary: "Agents' reports on articles, newest first (admin)",
    tag: 'admin',
    auth: ['admin'],
    query: z
      .object({
        articleId: articleId.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    successStatus: 200,
    response: z
      .object({
        items: z.array(
          z
            .object({
              id: z.string().uuid(),
              articleId: z.string(),
              articleVersion: z.number().int(),
              kind: articleProblemSchema,
              comment: z.string().optional(),
              reportedBy: z.string(),
              reportedAt: timestampSchema,
            })
            .strict(),
        ),
      })
      .strict(),
  }),
  upsert: defineRoute({
    id: 'admin.knowledge.upsert',
    method: 'PUT',
    path: '/v1/admin/knowledge/:id',
    summary: 'Create or replace a knowledge article (admin)',
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ id: articleId }).strict(),
    body: articleInputSchema,
    successStatus: 200,
    response: articleSchema,
  }),
  remove: defineRoute({
    id: 'admin.knowledge.remove',
    method: 'DELETE',
    path: '/v1/admin/knowledge/:id',
    summary: 'Withdraw a knowledge article (clients receive a tombstone)',
    tag: 'admin',
    auth: ['admin'],
    params: z.object({ id: articleId }).strict(),
    successStatus: 204,
    response: noContentSchema,
  }),
  setSynonyms: defineRoute({
    id: 'admin.knowledge.setSynonyms',
    method: 'PUT',
    path: '/v1/admin/knowledge/synonyms',
    summary: "Replace the search's synonym and abbreviation table (admin; its version goes up by one)",
    tag: 'admin',
    auth: ['admin'],
    body: z.object({ rows: synonymRowsSchema }).strict(),
    // The whole table in one body: the most the schema allows (5,000 rows of 12 Han terms) is about 2.5 MB.
    maxBodyBytes: 3 * 1024 * 1024,
    successStatus: 200,
    response: z.object({ version: z.number().int().positive() }).strict(),
  }),
} as const;
