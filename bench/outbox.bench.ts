/**
 * outbox.*: the outbox's delivery with the renderer in Debian Chromium behind the real main-process
 * core (the e2e bridge), to the reference platform on PostgreSQL over loopback.
 *
 *   enqueue_p95_ms                   submit → order and outbox entry durable: the app's submitRecord
 *                                    (e2e/support/outbox-page.ts), one after another, the first
 *                                    1,000 of the backlog (the rest are queued 8 at a time, untimed)
 *   drain_10k_s                      10,000 queued orders: 立即同步 → all 10,000 on the platform
 *                                    (SQL) and every entry done on the seat
 *   drain_10k_faulty_s               the same through the fault proxy of the delivery e2e (30 % of
 *                                    requests lost, 30 % of the answers after commit, 5 % resets,
 *                                    0–30 ms delay); 0 lost and 0 doubled is checked, not assumed
 *   renderer_heap_during_drain_mb    peak JS heap of the page during the 10,000 drain (CDP, sampled
 *                                    every 100 ms)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { createPlatform, type Platform } from '../platform/src/app';
import { hashPassword } from '../platform/src/session/passwords';
import { launchWorkstation, type LaunchedWorkstation } from '../e2e/support/bridge';
import { browserBundle } from '../e2e/support/browser-bundle';
import { startFaultProxy } from '../e2e/support/fault-proxy';
import { E2E_PASSWORD } from '../e2e/support/platform-server';
import type { EnqueueOptions } from '../e2e/support/outbox-page';
import { startTempPostgres } from './support/postgres';
import { percentile, type BenchGroup, type BenchResult } from './types';

const BACKLOG = 10_000;
const TIMED_SUBMITS = 1_000;
const SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

async function bootPlatform(url: string): Promise<{ platform: Platform; url: string }> {
  const platform = await createPlatform({ database: { kind: 'postgres', url, poolSize: 8 }, masterKey: crypto.randomBytes(32), config: { scrypt: SCRYPT }, log: () => undefined });
  const db = platform.services.db;
  await db.query(`insert into organisations (code, name, kind) values ('QY-12345', '清远市12345热线', 'center')`);
  await db.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
    crypto.randomUUID(), 'agent01', '坐席一', 'agent', 'QY-12345', await hashPassword(E2E_PASSWORD, SCRYPT),
  ]);
  await platform.app.listen({ host: '127.0.0.1', port: 0 });
  return { platform, url: `http://127.0.0.1:${(platform.app.server.address() as { port: number }).port}` };
}

async function seat(baseUrl: string): Promise<{ ws: LaunchedWorkstation; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-outbox-'));
  const ws = await launchWorkstation({ dir, encryptionKey: crypto.randomBytes(32), signIn: { baseUrl, account: 'agent01', password: E2E_PASSWORD } });
  await ws.page.evaluate(browserBundle('e2e/support/outbox-page.ts'));
  return { ws, dir };
}

const enqueue = (page: Page, o: Omit<EnqueueOptions, 'owner' | 'handlingUnit'>) =>
  page.evaluate((x) => window.outboxHarness.enqueue(x), { ...o, owner: 'agent01', handlingUnit: 'QY-ZWZX' });

/** The backlog: the first TIMED_SUBMITS one by one (timed), the rest 8 at a time. */
async function backlog(page: Page, prefix: string): Promise<{ ids: string[]; ms: number[] }> {
  const timed = await enqueue(page, { count: TIMED_SUBMITS, prefix: `${prefix}-a` });
  const rest = await enqueue(page, { count: BACKLOG - TIMED_SUBMITS, prefix: `${prefix}-b`, concurrency: 8 });
  return { ids: [...timed.ids, ...rest.ids], ms: timed.ms };
}

/** 立即同步, then wait until the platform has every order and the seat has every entry done. */
async function drain(page: Page, platform: Platform, ids: readonly string[], onTick?: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await page.getByTestId('status-outbox').click();
  for (;;) {
    await onTick?.();
    if ((await platformCount(platform, ids)) === ids.length) {
      const local = await page.evaluate(() => window.outboxHarness.counts());
      if (local.pending === 0 && local.sending === 0) {
        if (local.failed !== 0) throw new Error(`${local.failed} entries refused during the drain`);
        break;
      }
    }
    if (performance.now() - t0 > 600_000) throw new Error('the backlog did not drain in 10 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
  return (performance.now() - t0) / 1000;
}

async function platformCount(platform: Platform, ids: readonly string[]): Promise<number> {
  return (await platform.services.db.query<{ n: number }>('select count(*)::int as n from orders where client_order_id = any($1::uuid[])', [ids])).rows[0]!.n;
}

async function exactlyOnce(platform: Platform, ids: readonly string[]): Promise<void> {
  const r = await platform.services.db.query<{ n: number; distinct_ids: number }>(
    'select count(*)::int as n, count(distinct client_order_id)::int as distinct_ids from orders where client_order_id = any($1::uuid[])',
    [ids],
  );
  if (r.rows[0]!.n !== ids.length || r.rows[0]!.distinct_ids !== ids.length) throw new Error(`expected ${ids.length} orders once each, found ${JSON.stringify(r.rows[0])}`);
}

export const outboxBench: BenchGroup = {
  prefix: 'outbox',
  async run() {
    const pg = startTempPostgres(55434);
    const dirs: string[] = [];
    const results: BenchResult[] = [];
    let server: { platform: Platform; url: string } | undefined;
    try {
      server = await bootPlatform(pg.url);
      const { platform } = server;

      // Loopback, no faults.
      {
        const { ws, dir } = await seat(server.url);
        dirs.push(dir);
        try {
          const { ids, ms } = await backlog(ws.page, 'drain');
          const early = await platformCount(platform, ids);
          if (early !== 0) throw new Error(`${early} orders left before the drain started`);
          const cdp = await ws.context.newCDPSession(ws.page);
          await cdp.send('HeapProfiler.collectGarbage');
          const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;
          let peak = before;
          const seconds = await drain(ws.page, platform, ids, async () => {
            peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
          });
          await exactlyOnce(platform, ids);
          results.push(
            {
              name: 'outbox.enqueue_p95_ms',
              value: Math.round(percentile(ms, 95) * 10) / 10,
              unit: 'ms',
              goal: '<= 10',
              note: `p50 ${percentile(ms, 50).toFixed(1)} ms over ${ms.length} submits into a growing queue`,
            },
            { name: 'outbox.drain_10k_s', value: Math.round(seconds * 100) / 100, unit: 's', goal: '<= 10', note: `${Math.round(BACKLOG / seconds)} orders/s, PostgreSQL` },
            {
              name: 'outbox.renderer_heap_during_drain_mb',
              value: Math.round((peak / 1024 ** 2) * 10) / 10,
              unit: 'MB',
              goal: '<= 100',
              note: `JS heap before the drain (after GC) ${(before / 1024 ** 2).toFixed(1)} MB`,
            },
          );
        } finally {
          await ws.close();
        }
      }

      // Through the fault proxy. While the backlog is queued every request is lost (the session
      // going offline and back makes the sender try, and nothing may leave before the clock starts).
      {
        const proxy = await startFaultProxy({ target: server.url, seed: 4242, dropRequest: 1 });
        const { ws, dir } = await seat(proxy.url);
        dirs.push(dir);
        try {
          const { ids } = await backlog(ws.page, 'faulty');
          const early = await platformCount(platform, ids);
          if (early !== 0) throw new Error(`${early} orders left before the drain started`);
          proxy.set({ dropRequest: 0.3, dropResponse: 0.21, reset: 0.05, delayMs: [0, 30] });
          const seconds = await drain(ws.page, platform, ids);
          await exactlyOnce(platform, ids);
          const s = proxy.stats();
          results.push({
            name: 'outbox.drain_10k_faulty_s',
            value: Math.round(seconds * 100) / 100,
            unit: 's',
            goal: '<= 30',
            note: `0 lost, 0 doubled; ${s.requests} requests: ${s.droppedRequests} lost, ${s.droppedResponses} answers lost, ${s.resets} resets`,
          });
        } finally {
          await ws.close();
          await proxy.close();
        }
      }
    } finally {
      await server?.platform.close();
      pg.stop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
    return results;
  },
};
