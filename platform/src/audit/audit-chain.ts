/**
 * The audit log: who viewed or revealed which caller's data, who changed which order.
 *
 * Entries are appended inside the request's own transaction (so an entry exists exactly when the
 * action committed) without touching any shared row. A sealer then chains them: in (xid, seq)
 * order, below the oldest running transaction — so no entry can still appear before a sealed one —
 * each entry gets a seal carrying the hash of the previous seal. Both tables are append-only
 * (a trigger refuses UPDATE and DELETE); altering, removing or inserting an entry later breaks
 * the chain, which `verifyAudit` reports.
 *
 * The chain is keyed (HMAC-SHA256 with the audit key derived from the master key, which lives in
 * configuration, not in the database): someone who can bypass the triggers — a DBA, a stolen
 * backup — and edits, deletes or renumbers rows cannot recompute a chain that verifies.
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../db/database';

export interface AuditEntry {
  actorId?: string;
  actorAccount: string;
  action: string;
  subjectType: string;
  subjectId: string;
  detail?: Record<string, unknown>;
}

/** JSON with object keys sorted at every level (jsonb does not keep key order). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function chainHash(key: Buffer, prevHash: string, seq: string, at: string, e: AuditEntry): string {
  return crypto
    .createHmac('sha256', key)
    .update(canonicalJson([prevHash, seq, at, e.actorId ?? null, e.actorAccount, e.action, e.subjectType, e.subjectId, e.detail ?? {}]))
    .digest('hex');
}

export const GENESIS = '0'.repeat(64);

export async function appendAudit(tx: Queryable, entry: AuditEntry, now = new Date()): Promise<void> {
  await tx.query(
    `insert into audit_log (at, actor_id, actor_account, action, subject_type, subject_id, detail) values ($1, $2, $3, $4, $5, $6, $7)`,
    [now.toISOString(), entry.actorId ?? null, entry.actorAccount, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.detail ?? {})],
  );
}

interface AuditRow {
  seq: string;
  xid: string;
  at: Date | string;
  actor_id: string | null;
  actor_account: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: Record<string, unknown>;
}

const ROW = `a.seq::text as seq, a.xid::text as xid, a.at, a.actor_id, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail`;

const entryOf = (r: AuditRow): AuditEntry => ({
  actorId: r.actor_id ?? undefined,
  actorAccount: r.actor_account,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  detail: r.detail,
});

const SEAL_LOCK = 12345_0002;

/** Seal every entry that can no longer be preceded by a late commit. Returns how many were sealed. */
export async function sealAudit(db: Database, key: Buffer, batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await db.transaction(async (tx) => {
      const lock = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [SEAL_LOCK]);
      if (!lock.rows[0]!.ok) return 0; // another instance is sealing
      const last = await tx.query<{ pos: string; hash: string; xid: string; seq: string }>(
        `select s.pos::text as pos, s.hash, a.xid::text as xid, a.seq::text as seq
         from audit_seals s join audit_log a on a.seq = s.audit_seq order by s.pos desc limit 1`,
      );
      const head = last.rows[0] ?? { pos: '0', hash: GENESIS, xid: '0', seq: '0' };
      const rows = await tx.query<AuditRow>(
        `select ${ROW} from audit_log a
         where (a.xid, a.seq) > ($1::xid8, $2::bigint) and a.xid < pg_snapshot_xmin(pg_current_snapshot())
         order by a.xid, a.seq limit $3`,
        [head.xid, head.seq, batch],
      );
      let prev = head.hash;
      let pos = BigInt(head.pos);
      const seals: [string, string, string, string][] = [];
      for (const r of rows.rows) {
        pos += 1n;
        const hash = chainHash(key, prev, r.seq, new Date(r.at).toISOString(), entryOf(r));
        seals.push([pos.toString(), r.seq, prev, hash]);
        prev = hash;
      }
      if (seals.length > 0) {
        await tx.query(
          `insert into audit_seals (pos, audit_seq, prev_hash, hash)
           select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])`,
          [seals.map((x) => x[0]), seals.map((x) => x[1]), seals.map((x) => x[2]), seals.map((x) => x[3])],
        );
      }
      return seals.length;
    });
    total += sealed;
    if (sealed < batch) return total;
  }
}

/** Recompute the chain over all seals; also report entries left unsealed below the watermark. */
export async function verifyAudit(db: Queryable, key: Buffer): Promise<{ entries: number; intact: boolean; firstBrokenSeq?: string }> {
  let prev = GENESIS;
  let expectedPos = 1n;
  let count = 0;
  let afterPos = '0';
  for (;;) {
    const r = await db.query<AuditRow & { pos: string; prev_hash: string; hash: string }>(
      `select s.pos::text as pos, s.prev_hash, s.hash, ${ROW} from audit_seals s join audit_log a on a.seq = s.audit_seq
       where s.pos > $1::bigint order by s.pos limit 2000`,
      [afterPos],
    );
    for (const e of r.rows) {
      count++;
      const hash = chainHash(key, prev, e.seq, new Date(e.at).toISOString(), entryOf(e));
      if (BigInt(e.pos) !== expectedPos || e.prev_hash !== prev || e.hash !== hash) return { entries: count, intact: false, firstBrokenSeq: e.seq };
      prev = e.hash;
      expectedPos++;
    }
    if (r.rows.length < 2000) break;
    afterPos = r.rows.at(-1)!.pos;
  }
  // An entry that sorts before the last seal but has none was slipped in behind the sealer.
  const last = await db.query<{ xid: string; seq: string }>(
    `select a.xid::text as xid, a.seq::text as seq from audit_seals s join audit_log a on a.seq = s.audit_seq order by s.pos desc limit 1`,
  );
  if (last.rows[0]) {
    const stray = await db.query<{ seq: string }>(
      `select a.seq::text as seq from audit_log a left join audit_seals s on s.audit_seq = a.seq
       where s.pos is null and (a.xid, a.seq) < ($1::xid8, $2::bigint) order by a.xid, a.seq limit 1`,
      [last.rows[0].xid, last.rows[0].seq],
    );
    if (stray.rows[0]) return { entries: count, intact: false, firstBrokenSeq: stray.rows[0].seq };
  }
  return { entries: count, intact: true };
}
