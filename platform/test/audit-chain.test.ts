/**
 * The audit chain against someone who can bypass the append-only triggers (a DBA, a restored
 * backup) and rewrites the chain consistently afterwards: only the audit key, which is not in the
 * database, stands in the way. Each attack is first done with the real key (it must verify, so the
 * rewrite itself is consistent) and then with a key the attacker could have (it must not).
 *
 * Also the upgrade of a database sealed before the chain was keyed: its plain SHA-256 seals still
 * verify, and the mark of where keyed sealing starts cannot be moved to pass off a rewrite as legacy.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, FAST_SCRYPT, createBody, resetPostgres, startTestPlatform, type TestPlatform } from './harness';
import { GENESIS, appendAudit, auditMarkMac, chainHash, legacyChainHash, sealAudit, verifyAudit, type AuditEntry } from '../src/audit/audit-chain';
import { createPlatform, openDatabase, randomMasterKey, type DatabaseConfig, type Platform } from '../src/app';
import { MIGRATIONS, migrate } from '../src/db/migrations';
import type { Database, Queryable } from '../src/db/database';

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

const entryOf = (r: SealedRow): AuditEntry => ({
  actorId: r.actor_id ?? undefined,
  actorAccount: r.actor_account,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  detail: r.detail,
});

/**
 * Re-seal the chain from `fromPos` on, numbering the seals without gaps, with `key` (or unkeyed,
 * the way seals were made before the chain was keyed); optionally deleting one entry (and its
 * seal) first. Everything in one transaction, with triggers off.
 */
async function rewriteChain(tx: Queryable, key: Buffer | 'legacy', fromPos: number, dropSeq?: string): Promise<void> {
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
    const at = new Date(r.at).toISOString();
    const hash = key === 'legacy' ? legacyChainHash(prev, r.seq, at, entryOf(r)) : chainHash(key, prev, r.seq, at, entryOf(r));
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

/** The sealer as it was before the chain was keyed (plain SHA-256 over the same canonical JSON). */
async function sealLegacy(db: Database): Promise<number> {
  const head = (
    await db.query<{ pos: string; hash: string; xid: string; seq: string }>(
      `select s.pos::text as pos, s.hash, a.xid::text as xid, a.seq::text as seq
       from audit_seals s join audit_log a on a.seq = s.audit_seq order by s.pos desc limit 1`,
    )
  ).rows[0] ?? { pos: '0', hash: GENESIS, xid: '0', seq: '0' };
  const rows = await db.query<SealedRow>(
    `select a.seq::text as seq, a.at, a.actor_id, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail
     from audit_log a where (a.xid, a.seq) > ($1::xid8, $2::bigint) order by a.xid, a.seq`,
    [head.xid, head.seq],
  );
  let prev = head.hash;
  let pos = Number(head.pos);
  for (const r of rows.rows) {
    const hash = legacyChainHash(prev, r.seq, new Date(r.at).toISOString(), entryOf(r));
    await db.query('insert into audit_seals (pos, audit_seq, prev_hash, hash) values ($1, $2, $3, $4)', [++pos, r.seq, prev, hash]);
    prev = hash;
  }
  return rows.rows.length;
}

const sampleEntry = (i: number): AuditEntry => ({ actorAccount: 'agent01', action: 'personalData.reveal', subjectType: 'order', subjectId: `o-${i}`, detail: { purpose: `回访 ${i}` } });

const markOf = async (db: Queryable) =>
  (await db.query<{ pos: string; mac: string | null }>('select keyed_from_pos::text as pos, mac from audit_chain_mark')).rows;

describe.each(ENGINES)('audit chain sealed before it was keyed, after the upgrade, on %s', (engine) => {
  const LEGACY = 5;
  let database: DatabaseConfig;
  let dir: string | undefined;
  let masterKey: Buffer;
  let key: Buffer;
  let platform: Platform | undefined;
  const attackerKey = crypto.randomBytes(32);
  const start = async () => {
    platform = await createPlatform({ database, masterKey, config: { scrypt: FAST_SCRYPT }, log: () => undefined, sealIntervalMs: 3_600_000 });
    key = platform.services.keys.auditKey;
    return platform.services.db;
  };

  beforeEach(async () => {
    if (engine === 'pglite') {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-legacy-audit-'));
      database = { kind: 'pglite', dataDir: dir };
    } else {
      database = { kind: 'postgres', url: await resetPostgres(process.env.PLATFORM_TEST_DATABASE_URL!), poolSize: 4 };
    }
    masterKey = randomMasterKey();
    // The schema and the sealer as they were before keyed sealing.
    const old = await openDatabase(database);
    try {
      await migrate(old, MIGRATIONS.filter((m) => m.version < 4));
      for (let i = 0; i < LEGACY; i++) await appendAudit(old, sampleEntry(i));
      expect(await sealLegacy(old)).toBe(LEGACY);
      // Written before the upgrade, sealed after it: these get keyed seals.
      for (let i = LEGACY; i < LEGACY + 2; i++) await appendAudit(old, sampleEntry(i));
    } finally {
      await old.close();
    }
  }, 60_000);
  afterEach(async () => {
    await platform?.close();
    platform = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('verifies intact after the upgrade, after keyed seals follow and after a restart', async () => {
    let db = await start();
    expect(await markOf(db)).toEqual([{ pos: String(LEGACY + 1), mac: auditMarkMac(key, String(LEGACY + 1)) }]);
    expect(await verifyAudit(db, key)).toEqual({ entries: LEGACY, intact: true });

    expect(await sealAudit(db, key)).toBe(2);
    for (let i = LEGACY + 2; i < LEGACY + 4; i++) await appendAudit(db, sampleEntry(i));
    expect(await sealAudit(db, key)).toBe(2);
    expect(await verifyAudit(db, key)).toEqual({ entries: LEGACY + 4, intact: true });

    // The first keyed seal chains onto the legacy tip, with the key.
    const seals = (await db.query<SealedRow & { prev_hash: string }>(
      `select s.pos::text as pos, s.prev_hash, s.hash, a.seq::text as seq, a.at, a.actor_id, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail
       from audit_seals s join audit_log a on a.seq = s.audit_seq where s.pos in ($1, $2) order by s.pos`,
      [LEGACY, LEGACY + 1],
    )).rows;
    const [tip, first] = seals as [SealedRow, SealedRow & { prev_hash: string }];
    expect(first.prev_hash).toBe(tip.hash);
    expect(first.hash).toBe(chainHash(key, tip.hash, first.seq, new Date(first.at).toISOString(), entryOf(first)));
    expect(first.hash).not.toBe(legacyChainHash(tip.hash, first.seq, new Date(first.at).toISOString(), entryOf(first)));

    // A restart keeps the mark as it is and the chain intact.
    await platform!.close();
    db = await start();
    expect(await markOf(db)).toEqual([{ pos: String(LEGACY + 1), mac: auditMarkMac(key, String(LEGACY + 1)) }]);
    expect(await verifyAudit(db, key)).toEqual({ entries: LEGACY + 4, intact: true });
    // A legacy seal edited is still caught (unkeyed, but chained into the keyed part).
    await db.transaction(async (tx) => {
      await tx.query('alter table audit_log disable trigger audit_log_no_update');
      await tx.query(`update audit_log set subject_id = 'o-x' where seq = (select audit_seq from audit_seals where pos = 2)`);
      await tx.query('alter table audit_log enable trigger audit_log_no_update');
    });
    expect(await verifyAudit(db, key)).toMatchObject({ intact: false, reason: 'chain' });
  });

  it('refuses a mark moved up to pass off a rewritten keyed tail as legacy', async () => {
    const db = await start();
    await sealAudit(db, key);
    for (let i = LEGACY + 2; i < LEGACY + 6; i++) await appendAudit(db, sampleEntry(i));
    await sealAudit(db, key);
    expect(await verifyAudit(db, key)).toEqual({ entries: LEGACY + 6, intact: true });
    const target = (await db.query<{ pos: string; seq: string }>(
      `select s.pos::text as pos, a.seq::text as seq from audit_seals s join audit_log a on a.seq = s.audit_seq where s.pos = $1`,
      [LEGACY + 3],
    )).rows[0]!;

    // Edit a keyed entry, re-seal the keyed part without the key, and move the mark past the end.
    const attack = async (markKey: Buffer, account: string) =>
      db.transaction(async (tx) => {
        await tx.query('alter table audit_log disable trigger audit_log_no_update');
        await tx.query('update audit_log set actor_account = $2 where seq = $1', [target.seq, account]);
        await tx.query('alter table audit_log enable trigger audit_log_no_update');
        await rewriteChain(tx, 'legacy', LEGACY + 1);
        const end = (await tx.query<{ next: string }>('select (max(pos) + 1)::text as next from audit_seals')).rows[0]!.next;
        await tx.query('alter table audit_chain_mark disable trigger audit_chain_mark_no_update');
        await tx.query('update audit_chain_mark set keyed_from_pos = $1, mac = $2', [end, auditMarkMac(markKey, end)]);
        await tx.query('alter table audit_chain_mark enable trigger audit_chain_mark_no_update');
      });
    // With the platform's key the moved mark verifies: the rewrite is consistent...
    await attack(key, 'someone-else');
    expect(await verifyAudit(db, key)).toEqual({ entries: LEGACY + 6, intact: true });
    // ...so only the mark's MAC tells the attacker's version apart.
    await attack(attackerKey, 'agent01');
    expect(await verifyAudit(db, key)).toEqual({ entries: 0, intact: false, reason: 'mark' });

    // Without a mark nothing verifies.
    await db.transaction(async (tx) => {
      await tx.query('alter table audit_chain_mark disable trigger audit_chain_mark_no_update');
      await tx.query('delete from audit_chain_mark');
      await tx.query('alter table audit_chain_mark enable trigger audit_chain_mark_no_update');
    });
    expect(await verifyAudit(db, key)).toEqual({ entries: 0, intact: false, reason: 'mark' });
  });

  it('reports legacy seals that were removed below the mark', async () => {
    const db = await start();
    await db.transaction(async (tx) => {
      await tx.query('alter table audit_seals disable trigger audit_seals_no_update');
      await tx.query('delete from audit_seals where pos >= 4');
      await tx.query('alter table audit_seals enable trigger audit_seals_no_update');
    });
    expect(await verifyAudit(db, key)).toMatchObject({ intact: false, reason: 'chain' });
  });
});

describe.each(ENGINES)('audit chain mark on a fresh database on %s', (engine) => {
  let t: TestPlatform;
  beforeEach(async () => {
    t = await startTestPlatform(engine);
  }, 60_000);
  afterEach(async () => t?.close());

  it('keys every seal from position 1 and keeps the mark write-once', async () => {
    const db = t.platform.services.db;
    const key = t.platform.services.keys.auditKey;
    expect(await markOf(db)).toEqual([{ pos: '1', mac: auditMarkMac(key, '1') }]);
    await sealAudit(db, key);
    const v = await verifyAudit(db, key);
    expect(v.intact).toBe(true);
    expect(v.entries).toBeGreaterThan(0);
    const first = (await db.query<SealedRow & { prev_hash: string }>(
      `select s.pos::text as pos, s.prev_hash, s.hash, a.seq::text as seq, a.at, a.actor_id, a.actor_account, a.action, a.subject_type, a.subject_id, a.detail
       from audit_seals s join audit_log a on a.seq = s.audit_seq where s.pos = 1`,
    )).rows[0]!;
    expect(first.prev_hash).toBe(GENESIS);
    expect(first.hash).toBe(chainHash(key, GENESIS, first.seq, new Date(first.at).toISOString(), entryOf(first)));

    await expect(db.query('update audit_chain_mark set keyed_from_pos = 2')).rejects.toThrow(/write-once/);
    await expect(db.query(`update audit_chain_mark set mac = 'x'`)).rejects.toThrow(/write-once/);
    await expect(db.query('update audit_chain_mark set mac = null')).rejects.toThrow(/write-once/);
    await expect(db.query('delete from audit_chain_mark')).rejects.toThrow(/write-once/);
    await expect(db.query('truncate audit_chain_mark')).rejects.toThrow(/write-once/);
    await expect(db.query('insert into audit_chain_mark (keyed_from_pos) values (7)')).rejects.toThrow();
    expect(await markOf(db)).toEqual([{ pos: '1', mac: auditMarkMac(key, '1') }]);
    // The published verify reply stays as declared (no `reason`).
    const reply = await t.request({ method: 'GET', url: '/v1/admin/audit/verify', token: t.admin.accessToken });
    expect(reply.statusCode).toBe(200);
    expect(Object.keys(reply.json() as object).sort()).toEqual(['entries', 'intact']);
  });
});
