/**
 * platform.*: work-order ingest through the real HTTP API (loopback, keep-alive, 32 seats each
 * with one request in flight)
 * on PGlite and on PostgreSQL, and caller-history look-up p95 with 1 M orders in PostgreSQL.
 */
import crypto from 'node:crypto';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type { IngestJob, IngestResult } from './support/ingest-load';
import { createPlatform, type Platform } from '../platform/src/app';
import { hashPassword } from '../platform/src/session/passwords';
import { percentile, type BenchGroup, type BenchResult } from './types';
import { startTempPostgres } from './support/postgres';

const SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const CONCURRENCY = 32;

export async function boot(database: Parameters<typeof createPlatform>[0]['database']): Promise<{ p: Platform; base: string; token: string }> {
  const p = await createPlatform({ database, masterKey: crypto.randomBytes(32), config: { scrypt: SCRYPT }, log: () => undefined });
  const db = p.services.db;
  await db.query(`insert into organisations (code, name, kind) values ('QY-12345', 'c', 'center')`);
  await db.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
    crypto.randomUUID(), 'bench', 'bench', 'agent', 'QY-12345', await hashPassword('bench-password-1', SCRYPT),
  ]);
  await p.app.listen({ host: '127.0.0.1', port: 0 });
  const addr = p.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${addr.port}`;
  const login = await request(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: 'bench', password: 'bench-password-1', clientId: 'bench-client' }),
  });
  const token = ((await login.body.json()) as { accessToken: string }).accessToken;
  return { p, base, token };
}

/** Run the load in a child process and wait for its figures. */
export function ingest(base: string, token: string, total: number, batch = 1): Promise<IngestResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./support/ingest-load.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
    child.once('message', (m: { ok: boolean; result?: IngestResult; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send({ base, token, total, concurrency: CONCURRENCY, batch } satisfies IngestJob);
  });
}

/** Bulk-load orders straight into the table (ciphertext reused), spreading them over many callers. */
async function bulkLoad(p: Platform, rows: number, callers: string[]): Promise<void> {
  const db = p.services.db;
  const c = p.services.cipher;
  const user = (await db.query<{ id: string }>('select id from users limit 1')).rows[0]!.id;
  const caller = c.encryptJson({ phone: '13900000000' });
  const content = c.encrypt('批量历史工单内容');
  await db.query('create table bench_callers (i integer primary key, bidx text not null)');
  await db.query('insert into bench_callers select * from unnest($1::int[], $2::text[])', [callers.map((_, i) => i), callers.map((ph) => c.phoneIndex(ph))]);
  // As a bulk import would: build the look-up index once after loading rather than row by row.
  await db.query('drop index orders_caller');
  const batch = 250_000;
  for (let start = 0; start < rows; start += batch) {
    await db.query(
      `insert into orders (id, order_no, client_order_id, org_code, created_by, status, version, channel, request_type, urgency, confidential,
         title, content_enc, caller_enc, caller_phone_bidx, disposition, created_at, updated_at)
       select gen_random_uuid(), 'BK' || lpad(g::text, 12, '0'), gen_random_uuid(), 'QY-12345', $1, 'closed', 1, 'phone', 'consult', 'normal', false,
         '历史工单 ' || g, $2, $3, b.bidx, 'answered', now() - g * interval '1 second', now()
       from generate_series($4::int, $5::int) g join bench_callers b on b.i = g % $6`,
      [user, content, caller, start + 1, Math.min(rows, start + batch), callers.length],
    );
  }
  await db.query('create index orders_caller on orders(caller_phone_bidx, created_at desc)');
  await db.query('drop table bench_callers');
  await db.query('analyze orders');
}

export const platformBench: BenchGroup = {
  prefix: 'platform',
  async run() {
    const results: BenchResult[] = [];

    const PUSH = 25;
    const lite = await boot({ kind: 'pglite' });
    await ingest(lite.base, lite.token, 200); // warm-up
    const ls = await ingest(lite.base, lite.token, 1000);
    const lp = await ingest(lite.base, lite.token, 2000, PUSH);
    results.push({ name: 'platform.ingest_per_s.pglite', value: Math.round(lp.perS), unit: 'orders/s', goal: null, note: `outbox pushes of ${PUSH}; single creates ${Math.round(ls.perS)}/s` });
    await lite.p.close();

    const pg = startTempPostgres();
    try {
      const server = await boot({ kind: 'postgres', url: pg.url, poolSize: 16 });
      await ingest(server.base, server.token, 500);
      const single = await ingest(server.base, server.token, 10_000);
      const pushed = await ingest(server.base, server.token, 20_000, PUSH);
      results.push({
        name: 'platform.ingest_per_s.postgres',
        value: Math.round(pushed.perS),
        unit: 'orders/s',
        goal: '>= 2000',
        note: `20,000 orders as outbox pushes of ${PUSH} from ${CONCURRENCY} seats (push p99 ${percentile(pushed.latencies, 99).toFixed(0)} ms)`,
      });
      results.push({ name: 'platform.ingest_per_s.postgres_single', value: Math.round(single.perS), unit: 'orders/s', goal: null, note: `10,000 single creates from ${CONCURRENCY} seats` });
      results.push({ name: 'platform.ingest_p99_ms.postgres', value: Number(percentile(single.latencies, 99).toFixed(1)), unit: 'ms', goal: null, note: `single create; p50 ${percentile(single.latencies, 50).toFixed(1)} ms` });

      const callers = Array.from({ length: 200_000 }, (_, i) => `137${String(10_000_000 + i)}`);
      const t0 = performance.now();
      await bulkLoad(server.p, 1_000_000, callers);
      const loadS = (performance.now() - t0) / 1000;
      const dispatcher = new Agent({ connections: 8 });
      const lat: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const phone = callers[crypto.randomInt(callers.length)]!;
        const s = performance.now();
        const res = await request(`${server.base}/v1/callers/history`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
          body: JSON.stringify({ phone, limit: 10 }),
        });
        const body = (await res.body.json()) as { total: number };
        if (res.statusCode !== 200 || body.total < 1) throw new Error(`history look-up failed: ${res.statusCode}`);
        lat.push(performance.now() - s);
      }
      await dispatcher.close();
      results.push({
        name: 'platform.history_p95_ms.postgres_1m',
        value: Number(percentile(lat.slice(200), 95).toFixed(2)),
        unit: 'ms',
        goal: '<= 5',
        note: `2,000 look-ups over HTTP, ~5 orders per caller; p50 ${percentile(lat.slice(200), 50).toFixed(2)} ms; bulk load ${loadS.toFixed(0)} s`,
      });
      await server.p.close();
    } finally {
      pg.stop();
    }
    return results;
  },
};
