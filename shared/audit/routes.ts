import { z } from 'zod';
import { defineRoute, timestampSchema } from '../http/route';

export const auditEntrySchema = z
  .object({
    seq: z.string(),
    at: timestampSchema,
    actorAccount: z.string(),
    action: z.string(),
    subjectType: z.string(),
    subjectId: z.string(),
    detail: z.record(z.string(), z.unknown()),
    /** Present once the entry is sealed into the hash chain (within about a second). */
    hash: z.string().optional(),
  })
  .strict();

export const auditRoutes = {
  list: defineRoute({
    id: 'admin.audit.list',
    method: 'GET',
    path: '/v1/admin/audit',
    summary: 'Audit log: who viewed or revealed which caller data, who changed which order (admin)',
    tag: 'admin',
    auth: ['admin'],
    query: z
      .object({
        after: z.string().regex(/^\d+$/).max(20).default('0'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        subjectId: z.string().max(64).optional(),
      })
      .strict(),
    successStatus: 200,
    response: z.object({ entries: z.array(auditEntrySchema), checkpoint: z.string(), hasMore: z.boolean() }).strict(),
  }),
  verify: defineRoute({
    id: 'admin.audit.verify',
    method: 'GET',
    path: '/v1/admin/audit/verify',
    summary: 'Recompute the hash chain of the audit log and report the first break, if any (admin)',
    tag: 'admin',
    auth: ['admin'],
    query: z.object({}).strict(),
    successStatus: 200,
    response: z.object({ entries: z.number().int(), intact: z.boolean(), firstBrokenSeq: z.string().optional() }).strict(),
  }),
} as const;
