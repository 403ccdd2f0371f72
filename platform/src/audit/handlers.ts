import type { auditRoutes } from '../../../shared/audit/routes';
import { sealAudit, verifyAudit } from './audit-chain';
import type { HandlerTable } from '../handler';

interface AuditRow {
  seq: string;
  at: Date | string;
  actor_account: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: Record<string, unknown>;
  hash: string | null;
}

const COLUMNS = 'a.seq::text as seq, a.at, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail, s.hash';

export const auditHandlers: HandlerTable<typeof auditRoutes> = {
  list: async (ctx) => {
    const q = ctx.query;
    const where = ['a.seq > $1::bigint'];
    const params: unknown[] = [q.after];
    const filter = (sql: string, v: unknown) => {
      params.push(v);
      where.push(`${sql} = $${params.length}`);
    };
    if (q.actor) filter('a.actor_account', q.actor);
    if (q.action) filter('a.action', q.action);
    if (q.subjectId) filter('a.subject_id', q.subjectId);
    params.push(q.limit + 1);
    const r = await ctx.db.query<AuditRow>(`select ${COLUMNS} from audit_log a left join audit_seals s on s.audit_seq = a.seq where ${where.join(' and ')} order by a.seq limit $${params.length}`, params);
    const rows = r.rows.slice(0, q.limit);
    return {
      body: {
        entries: rows.map((e) => ({
          seq: e.seq,
          at: new Date(e.at).toISOString(),
          actorAccount: e.actor_account,
          action: e.action,
          subjectType: e.subject_type,
          subjectId: e.subject_id,
          detail: e.detail,
          ...(e.hash ? { hash: e.hash } : {}),
        })),
        checkpoint: rows.at(-1)?.seq ?? q.after,
        hasMore: r.rows.length > q.limit,
      },
    };
  },

  verify: async (ctx) => {
    await sealAudit(ctx.db, ctx.keys.auditKey);
    // `reason` is for the platform's own callers; the published response has no such field.
    const { reason: _reason, ...body } = await verifyAudit(ctx.db, ctx.keys.auditKey);
    return { body };
  },
};
