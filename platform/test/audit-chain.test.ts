/**
 * The audit chain against someone who can bypass the append-only triggers (a DBA, a restored
 * backup) and rewrites the chain consistently afterwards: only the audit key, which is not in the
 * database, stands in the way. Each attack is first done with the real key (it must verify, so the
 * rewrite itself is consistent) and then with a key the attacker could have (it must not).
 */
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, createBody, startTestPlatform, type TestPlatform } from './harness';
import { GENESIS, chainHash, sealAudit, verifyAudit } from '../src/audit/audit-chain';
import type { Queryable } from '../src/db/database';

interface SealedRow {
  pos: string;
  hash: string;
  seq: string;
  at: Date | string;
  actor_id: string | null;
  actor_account: string;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: Record<string, unknown>;
}

const SEAL_LOCK = 12345_0002; // the sealer's advisory lock (audit-chain.ts): keep it out while we rewrite

/**
 * Re-seal the chain from `fromPos` on, numbering the seals without gaps, with `key`; optionally
 * deleting one entry (and its seal) first. Everything in one transaction, with triggers off.
 */
async function rewriteChain(tx: Queryable, key: Buffer, fromPos: number, dropSeq?: string): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [SEAL_LOCK]);
  await tx.query('alter table audit_log disable trigger audit_log_no_update');
  await tx.query('alter table audit_seals disable trigger audit_seals_no_update');
  const rows = (
    await tx.query<SealedRow>(
      `select s.pos::text as pos, s.hash, a.seq::text as seq, a.at, a.actor_id, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail
       from audit_seals s join audit_log a on a.seq = s.audit_seq order by s.pos`,
    )
  ).rows;
  let prev = fromPos > 1 ? rows.find((r) => Number(r.pos) === fromPos - 1)!.hash : GENESIS;
  await tx.query('delete from audit_seals where pos >= $1', [fromPos]);
  if (dropSeq) await tx.query('delete from audit_log where seq = $1', [dropSeq]);
  let pos = fromPos;
  for (const r of rows.filter((x) => Number(x.pos) >= fromPos && x.seq !== dropSeq)) {
    const entry = { actorId: r.actor_id ?? undefined, actorAccount: r.actor_account, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, detail: r.detail };
    const hash = chainHash(key, prev, r.seq, new Date(r.at).toISOString(), entry);
    await tx.query('insert into audit_seals (pos, audit_seq, prev_hash, hash) values ($1, $2, $3, $4)', [pos, r.seq, prev, hash]);
    prev = hash;
    pos++;
  }
  await tx.query('alter table audit_log enable trigger audit_log_no_update');
  await tx.query('alter table audit_seals enable trigger audit_seals_no_update');
}

describe.each(ENGINES)('audit chain against a consistent rewrite on %s', (engine) => {
  let t: TestPlatform;
  let key: Buffer;
  /** Any key but the platform's: what an attacker without the configuration could use. */
  const attackerKey = crypto.randomBytes(32);

  beforeEach(async () => {
    t = await startTestPlatform(engine);
    key = t.platform.services.keys.auditKey;
    for (let i = 0; i < 3; i++) {
      const r = await t.request({ method: 'POST', url: '/v1/orders', token: t.agent.accessToken, body: createBody(), headers: { 'idempotency-key': crypto.randomUUID() } });
      expect(r.statusCode).toBe(201);
    }
    await sealAudit(t.platform.services.db, key);
    const v = await verifyAudit(t.platform.services.db, key);
    expect(v).toMatchObject({ intact: true });
    expect(v.entries).toBeGreaterThanOrEqual(10);
  }, 60_000);
  afterEach(async () => t?.close());

  const posOf = async (action: string) =>
    (await t.platform.services.db.query<{ pos: string; seq: string }>(
      `select s.pos::text as pos, a.seq::text as seq from audit_seals s join audit_log a on a.seq = s.audit_seq where a.action = $1 order by s.pos limit 1`,
      [action],
    )).rows[0]!;

  it('detects an edited entry whose chain was recomputed (prev_hash and hash) after the edit', async () => {
    const db = t.platform.services.db;
    const target = await posOf('order.create');
    const edit = async (k: Buffer, account: string) =>
      db.transaction(async (tx) => {
        await tx.query('alter table audit_log disable trigger audit_log_no_update');
        await tx.query('update audit_log set actor_account = $2 where seq = $1', [target.seq, account]);
        await rewriteChain(tx, k, Number(target.pos));
      });
    // With the platform's key the rewrite verifies: the procedure is consistent...
    await edit(key, 'someone-else');
    expect(await verifyAudit(db, key)).toMatchObject({ intact: true });
    // ...so only the key can tell the attacker's version apart.
    await edit(attackerKey, 'agent01');
    const v = await verifyAudit(db, key);
    expect(v.intact).toBe(false);
    expect(v.firstBrokenSeq).toBe(target.seq);
    // The audit API reports it too.
    expect((await t.request({ method: 'GET', url: '/v1/admin/audit/verify', token: t.admin.accessToken })).json()).toMatchObject({ intact: false });
  });

  it('detects a deleted entry whose seals were renumbered and re-chained', async () => {
    const db = t.platform.services.db;
    const entries = (await verifyAudit(db, key)).entries;
    const first = await posOf('order.create');
    await db.transaction((tx) => rewriteChain(tx, key, Number(first.pos), first.seq));
    const control = await verifyAudit(db, key);
    expect(control).toMatchObject({ intact: true, entries: entries - 1 });

    const second = await posOf('order.create');
    await db.transaction((tx) => rewriteChain(tx, attackerKey, Number(second.pos), second.seq));
    const seals = await db.query<{ n: string; max: string }>('select count(*)::text as n, max(pos)::text as max from audit_seals');
    expect(seals.rows[0]).toEqual({ n: String(entries - 2), max: String(entries - 2) }); // no gap left to notice
    const v = await verifyAudit(db, key);
    expect(v.intact).toBe(false);
  });
});
