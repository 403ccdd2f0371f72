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
 *
 * Databases sealed before the chain was keyed keep their plain SHA-256 seals: migration 4 records
 * in `audit_chain_mark` the first position sealed with the key, and the platform authenticates that
 * mark with the audit key at start (`authenticateAuditMark`). `verifyAudit` checks seals below the
 * mark unkeyed and the rest keyed; the first keyed seal chains onto the legacy tip, so the keyed
 * chain covers the legacy one. Moving the mark up (to pass off a rewritten tail as legacy) needs a
 * new mark MAC, i.e. the key.
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../db/database';

const SEAL_LOCK = 12345_0002;

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

/** The hash of seals made before the chain was keyed (below `audit_chain_mark.keyed_from_pos`). */
export function legacyChainHash(prevHash: string, seq: string, at: string, e: AuditEntry): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson([prevHash, seq, at, e.actorId ?? null, e.actorAccount, e.action, e.subjectType, e.subjectId, e.detail ?? {}]))
    .digest('hex');
}

/** The MAC that authenticates the position where keyed sealing starts. */
export function auditMarkMac(key: Buffer, keyedFromPos: string): string {
  return crypto.createHmac('sha256', key).update(`audit-chain keyed from ${keyedFromPos}`).digest('hex');
}

export const GENESIS = '0'.repeat(64);

export interface AuditMarkResult {
  keyedFromPos: string;
  /** This call set the MAC (the first start after the upgrade). */
  authenticated: boolean;
  /** The mark has no MAC and could not be given one (keyed-position seals exist already). */
  refused?: boolean;
}

/**
 * Authenticate the mark of where keyed sealing starts, once, before the first keyed seal: run at
 * platform start before the sealer. A mark without MAC while seals at or beyond it exist is left
 * as it is (verification then reports it) rather than blessed.
 */
export async function authenticateAuditMark(db: Database, key: Buffer): Promise<AuditMarkResult> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [SEAL_LOCK]); // no sealing meanwhile
    const mark = (await tx.query<{ pos: string; mac: string | null }>('select keyed_from_pos::text as pos, mac from audit_chain_mark')).rows[0];
    if (!mark) return { keyedFromPos: '0', authenticated: false, refused: true };
    if (mark.mac !== null) return { keyedFromPos: mark.pos, authenticated: false };
    const keyed = await tx.query('select 1 from audit_seals where pos >= $1::bigint limit 1', [mark.pos]);
    if (keyed.rows.length > 0) return { keyedFromPos: mark.pos, authenticated: false, refused: true };
    await tx.query('update audit_chain_mark set mac = $1 where mac is null', [auditMarkMac(key, mark.pos)]);
    return { keyedFromPos: mark.pos, authenticated: true };
  });
}

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

export interface AuditVerification {
  entries: number;
  intact: boolean;
  firstBrokenSeq?: string;
  /** Why not intact: the keyed-from mark is missing or not authentic; a seal does not chain; an entry was left unsealed behind the sealer. */
  reason?: 'mark' | 'chain' | 'unsealed';
}

const sameHex = (a: string, b: string) => a.length === b.length && crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Recompute the chain over all seals (unkeyed below the authenticated mark, keyed from it on);
 * also report entries left unsealed below the watermark.
 */
export async function verifyAudit(db: Queryable, key: Buffer): Promise<AuditVerification> {
  const mark = (await db.query<{ pos: string; mac: string | null }>('select keyed_from_pos::text as pos, mac from audit_chain_mark')).rows;
  if (mark.length !== 1 || mark[0]!.mac === null || !sameHex(mark[0]!.mac, auditMarkMac(key, mark[0]!.pos))) {
    return { entries: 0, intact: false, reason: 'mark' };
  }
  const keyedFrom = BigInt(mark[0]!.pos);
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
      const at = new Date(e.at).toISOString();
      const hash = expectedPos < keyedFrom ? legacyChainHash(prev, e.seq, at, entryOf(e)) : chainHash(key, prev, e.seq, at, entryOf(e));
      if (BigInt(e.pos) !== expectedPos || e.prev_hash !== prev || e.hash !== hash) return { entries: count, intact: false, firstBrokenSeq: e.seq, reason: 'chain' };
      prev = e.hash;
      expectedPos++;
    }
    if (r.rows.length < 2000) break;
    afterPos = r.rows.at(-1)!.pos;
  }
  // Every legacy seal the mark counts must still be there.
  if (expectedPos < keyedFrom) return { entries: count, intact: false, reason: 'chain' };
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
    if (stray.rows[0]) return { entries: count, intact: false, firstBrokenSeq: stray.rows[0].seq, reason: 'unsealed' };
  }
  return { entries: count, intact: true };
}
