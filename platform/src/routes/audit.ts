import type { auditRoutes } from '../../../shared/platform/audit';
import { chainHash } from '../domain/audit';
import type { HandlerTable } from './types';

interface AuditRow {
  seq: string;
  at: Date | string;
  actor_id: string | null;
  actor_account: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq::text as seq, at, actor_id, actor_account, action, subject_type, subject_id, detail, prev_hash, hash';

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
    const r = await ctx.db.query<AuditRow>(`select ${COLUMNS} from audit_log a where ${where.join(' and ')} order by a.seq limit $${params.length}`, params);
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
          hash: e.hash,
        })),
        checkpoint: rows.at(-1)?.seq ?? q.after,
        hasMore: r.rows.length > q.limit,
      },
    };
  },

  verify: async (ctx) => {
    let prev = '0'.repeat(64);
    let count = 0;
    let after = '0';
    for (;;) {
      const r = await ctx.db.query<AuditRow>(`select ${COLUMNS} from audit_log a where a.seq > $1::bigint order by a.seq limit 1000`, [after]);
      for (const e of r.rows) {
        count++;
        const expected = chainHash(prev, e.seq, new Date(e.at).toISOString(), {
          actorId: e.actor_id ?? undefined,
          actorAccount: e.actor_account,
          action: e.action,
          subjectType: e.subject_type,
          subjectId: e.subject_id,
          detail: e.detail,
        });
        if (e.prev_hash !== prev || e.hash !== expected) return { body: { entries: count, intact: false, firstBrokenSeq: e.seq } };
        prev = e.hash;
      }
      if (r.rows.length < 1000) break;
      after = r.rows.at(-1)!.seq;
    }
    return { body: { entries: count, intact: true } };
  },
};
