/**
 * The audit log: append-only (a trigger refuses updates and deletes) and hash-chained — each entry
 * carries the hash of the previous one, so removing or altering an entry breaks the chain.
 * Records who viewed or revealed which caller's personal data and who changed which order.
 */
import crypto from 'node:crypto';
import type { Tx } from '../context';

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

export function chainHash(prevHash: string, seq: string, at: string, e: AuditEntry): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson([prevHash, seq, at, e.actorId ?? null, e.actorAccount, e.action, e.subjectType, e.subjectId, e.detail ?? {}]))
    .digest('hex');
}

export async function appendAudit(tx: Tx, entry: AuditEntry, now = new Date()): Promise<void> {
  // The head row is the chain's lock: one writer at a time appends, in commit order.
  const head = await tx.query<{ seq: string; hash: string }>('update audit_head set seq = seq + 1 where id = 1 returning seq::text as seq, hash');
  const { seq, hash: prev } = head.rows[0]!;
  const at = now.toISOString();
  const hash = chainHash(prev, seq, at, entry);
  await tx.query(
    `insert into audit_log (seq, at, actor_id, actor_account, action, subject_type, subject_id, detail, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [seq, at, entry.actorId ?? null, entry.actorAccount, entry.action, entry.subjectType, entry.subjectId, JSON.stringify(entry.detail ?? {}), prev, hash],
  );
  await tx.query('update audit_head set hash = $1 where id = 1', [hash]);
}
