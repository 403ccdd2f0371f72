/**
 * The outbox's delivery, against the real platform and its database (counts checked with SQL):
 * every order arrives exactly once, each order's changes in the order they were made — through a
 * proxy that loses requests and answers, resets connections and delays; across crashes of the
 * workstation in the middle of a sync; and when the platform was down while the agent typed.
 *
 * Orders are queued in the page with the app's own submit (e2e/support/outbox-page.ts) where
 * typing a thousand of them would only test Playwright; the 200 of the platform-down case are typed.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { browserBundle } from '../support/browser-bundle';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { killWorkstation } from '../support/crash';
import { closeWithEscape } from '../support/panels';
import { mulberry32 } from '../../shared/base/prng';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { choose, fillRequest, pick } from '../support/order-form';
import type { EnqueueOptions, FollowUpOptions } from '../support/outbox-page';

const UNIT = 'QY-ZWZX';

function seat(workDir: string, baseUrl: string, key: Buffer, signIn = true): Promise<LaunchedWorkstation> {
  return launchWorkstation({ dir: workDir, encryptionKey: key, ...(signIn ? { signIn: { baseUrl, account: 'agent01', password: E2E_PASSWORD } } : {}) });
}

/** The page-side harness, once per page load. */
async function harness(page: Page): Promise<void> {
  await page.evaluate(browserBundle('e2e/support/outbox-page.ts'));
}

const enqueue = (page: Page, o: Omit<EnqueueOptions, 'owner' | 'handlingUnit'>) =>
  page.evaluate((x) => window.outboxHarness.enqueue(x), { ...o, owner: 'agent01', handlingUnit: UNIT });
const followUps = (page: Page, items: FollowUpOptions['items']) => page.evaluate((x) => window.outboxHarness.followUps(x), { owner: 'agent01', items });
const localCounts = (page: Page) => page.evaluate(() => window.outboxHarness.counts());

/** 立即同步 from the status bar (it opens the sync panel; closed again). */
async function syncNow(page: Page): Promise<void> {
  await page.getByTestId('status-outbox').click();
  await expect(page.getByTestId('outbox-panel')).toBeVisible();
  await closeWithEscape(page, 'outbox-panel');
}

/** How many platform orders each client order id has (all of them, in one query). */
async function platformCopies(server: RunningPlatform, ids: readonly string[]): Promise<Map<string, number>> {
  const r = await server.platform.services.db.query<{ id: string; n: number }>(
    'select client_order_id::text as id, count(*)::int as n from orders where client_order_id = any($1::uuid[]) group by 1',
    [ids],
  );
  return new Map(r.rows.map((x) => [x.id, x.n]));
}

async function expectExactlyOnce(server: RunningPlatform, ids: readonly string[]): Promise<void> {
  const copies = await platformCopies(server, ids);
  expect(copies.size).toBe(ids.length);
  expect([...copies.values()].filter((n) => n !== 1)).toEqual([]);
  const all = await server.platform.services.db.query<{ n: number }>('select count(*)::int as n from orders');
  expect(all.rows[0]!.n).toBe(ids.length);
}

test('through a proxy that loses requests and answers, resets and delays: 1,000 orders arrive exactly once, each order’s follow-ups in order', async ({ workDir }) => {
  test.setTimeout(300_000);
  const server = await startPlatformServer();
  // 30 % of requests lost; of those that reach the platform, 30 % of the answers lost after it
  // committed (0.7 × 0.3 = 0.21 of all); 5 % reset; every request delayed by up to 30 ms.
  const proxy: FaultProxy = await startFaultProxy({ target: server.url, seed: 20261206, dropRequest: 0.3, dropResponse: 0.21, reset: 0.05, delayMs: [0, 30] });
  const ws = await seat(workDir, proxy.url, crypto.randomBytes(32));
  try {
    await harness(ws.page);
    // Sending starts, and goes on while the orders are being queued.
    await syncNow(ws.page);
    const { ids } = await enqueue(ws.page, { count: 1_000, prefix: '故障代理' });
    await syncNow(ws.page);
    await expect.poll(async () => (await platformCopies(server, ids)).size, { timeout: 180_000, intervals: [500] }).toBe(1_000);
    await expect(ws.page.locator('[data-testid="status-outbox"][data-pending="0"][data-failed="0"]')).toBeVisible({ timeout: 60_000 });
    await expectExactlyOnce(server, ids);

    // Each order's changes in order: 10 orders get 5 follow-ups each, queued interleaved.
    const db = server.platform.services.db;
    const targets = (await db.query<{ id: string; order_no: string }>('select id::text, order_no from orders where client_order_id = any($1::uuid[]) order by order_no limit 10', [ids])).rows;
    const items = [1, 2, 3, 4, 5].flatMap((k) => targets.map((t) => ({ orderId: t.id, orderNo: t.order_no, content: `${t.order_no} 第${k}次来电催办` })));
    await followUps(ws.page, items);
    await syncNow(ws.page);
    await expect
      .poll(async () => (await db.query<{ n: number }>('select count(*)::int as n from order_follow_ups where order_id = any($1::uuid[])', [targets.map((t) => t.id)])).rows[0]!.n, {
        timeout: 120_000,
        intervals: [500],
      })
      .toBe(50);
    for (const t of targets) {
      const rows = await db.query<{ content_enc: string }>('select content_enc from order_follow_ups where order_id = $1 order by created_at, id', [t.id]);
      expect(rows.rows.map((r) => server.platform.services.cipher.decrypt(r.content_enc))).toEqual([1, 2, 3, 4, 5].map((k) => `${t.order_no} 第${k}次来电催办`));
      const count = await db.query<{ follow_up_count: number }>('select follow_up_count from orders where id = $1', [t.id]);
      expect(count.rows[0]!.follow_up_count).toBe(5);
    }
    await expect(ws.page.locator('[data-testid="status-outbox"][data-pending="0"][data-failed="0"]')).toBeVisible({ timeout: 60_000 });
    expect(await localCounts(ws.page)).toEqual({ pending: 0, sending: 0, done: 1_050, failed: 0 });

    // The faults did happen, of every kind.
    const stats = proxy.stats();
    expect(stats.droppedRequests).toBeGreaterThan(0);
    expect(stats.droppedResponses).toBeGreaterThan(0);
    expect(stats.resets).toBeGreaterThan(0);
    console.log('fault proxy', JSON.stringify(stats));
  } catch (error) {
    console.log('unfinished', JSON.stringify(await ws.page.evaluate(() => window.outboxHarness.unfinished()).catch(() => 'n/a')));
    throw error;
  } finally {
    await ws.close();
    await proxy.close();
    await server.close();
  }
});

test('SIGKILL of the browser at 20 moments during a sync of 500 orders, relaunched each time: exactly 500 on the platform, none left pending', async ({ workDir }) => {
  test.setTimeout(300_000);
  const server = await startPlatformServer();
  const key = crypto.randomBytes(32);
  const random = mulberry32(7); // the crash moments are reproducible
  /**
   * Where each crash falls, drawn per crash: a push on its way, not yet at the platform (lost); a push
   * the platform committed, its answer not back (the workstation never learns); an answer passed on
   * and being stored (0–40 ms later); or the sender starting up after the relaunch (0–300 ms).
   */
  type Moment = 'lost' | 'committed' | 'storing' | 'starting';
  let armed: { moment: Moment; crash: () => void } | undefined;
  // Until the backlog is queued no push gets through (the sender may start at any moment of the
  // page's start-up): the sync under test starts with all 500 owed.
  let holding = true;
  const proxy = await startFaultProxy({
    target: server.url,
    observe: ({ path: p, phase }) => {
      if (p === '/v1/orders/push' && holding) return 'drop';
      if (p !== '/v1/orders/push' || !armed) return;
      const { moment, crash } = armed;
      if (moment === 'lost' && phase === 'received') {
        armed = undefined;
        crash();
        return 'drop';
      }
      if (moment === 'committed' && phase === 'answered') {
        armed = undefined;
        crash();
        return 'drop';
      }
      if (moment === 'storing' && phase === 'answered') {
        armed = undefined;
        setTimeout(crash, Math.floor(random() * 40));
      }
      return undefined;
    },
  });
  let ws = await seat(workDir, proxy.url, key);
  const moments: string[] = [];
  try {
    await harness(ws.page);
    // Long complaints (4,000 characters, the form's most): about 80 go in a push (1 MiB), so the sync
    // of 500 takes several pushes to crash in, and the size limit of a push is part of the test.
    const { ids } = await enqueue(ws.page, { count: 500, prefix: '崩溃恢复', contentChars: 4_000 });
    expect((await platformCopies(server, ids)).size).toBe(0);
    holding = false;
    for (let i = 0; i < 20; i++) {
      const u = random();
      const moment: Moment = u < 0.3 ? 'lost' : u < 0.6 ? 'committed' : u < 0.8 ? 'storing' : 'starting';
      // The kill happens right there, in the proxy's callback or the timer: were it left to the
      // test's own await chain, the seat could go on sending in between (a lost push is resent
      // within 100 ms on a lossy path).
      let killed: Promise<void> | undefined;
      const crashed = new Promise<void>((resolve) => {
        const crash = () => {
          killed ??= killWorkstation(ws, workDir);
          resolve();
        };
        if (moment === 'starting') setTimeout(crash, Math.floor(random() * 300));
        else armed = { moment, crash };
      });
      // The first time the sync is started from the status bar (the crash may cut that short);
      // after a relaunch the sender starts by itself.
      if (i === 0) await syncNow(ws.page).catch((error: unknown) => {
        if (!killed) throw error;
      });
      // A sync with nothing left to crash in would be a test that no longer tests: it says so.
      try {
        await Promise.race([crashed, new Promise((_, reject) => setTimeout(() => reject(new Error(`no push to crash in at crash ${i + 1} (${moment})`)), 60_000))]);
      } catch (error) {
        // What the relaunched seat was doing: its session and the entries' backoff.
        await harness(ws.page).catch(() => undefined);
        console.log('platform status', await ws.page.getByTestId('status-platform').textContent().catch(() => 'n/a'));
        console.log('unfinished', JSON.stringify((await ws.page.evaluate(() => window.outboxHarness.unfinished()).catch(() => [])).slice(0, 5)));
        throw error;
      }
      armed = undefined;
      await killed;
      const arrived = (await platformCopies(server, ids)).size;
      moments.push(`${moment}:${arrived}`);
      expect(arrived, `crash ${i + 1}: the sync was still under way (${moments.join(' ')})`).toBeLessThan(500);
      ws = await seat(workDir, proxy.url, key, false);
    }
    await harness(ws.page);
    await expect.poll(() => localCounts(ws.page), { timeout: 60_000, intervals: [250] }).toEqual({ pending: 0, sending: 0, done: 500, failed: 0 });
    await expect(ws.page.locator('[data-testid="status-outbox"][data-pending="0"][data-failed="0"]')).toBeVisible();
    await expectExactlyOnce(server, ids);
    console.log('crash moments (orders on the platform after each)', moments.join(' '));
  } finally {
    await ws.close().catch(() => undefined);
    await proxy.close();
    await server.close();
  }
});

test('the platform stopped: 200 orders typed while it is down wait on the seat; started again, all 200 arrive, once each', async ({ workDir }) => {
  test.setTimeout(420_000);
  const dataDir = path.join(workDir, 'platform-data');
  const masterKey = crypto.randomBytes(32);
  let server: RunningPlatform | undefined = await startPlatformServer({ dataDir, masterKey, accounts: 'demo-city' });
  const port = Number(new URL(server.url).port);
  const ws = await launchWorkstation({ dir: workDir, encryptionKey: crypto.randomBytes(32), signIn: { baseUrl: server.url, account: 'agent01', password: DEMO_PASSWORD } });
  const { page } = ws;
  const titles = Array.from({ length: 200 }, (_, i) => `停机受理 ${String(i + 1).padStart(3, '0')}`);
  try {
    await expect(page.getByTestId('order-new')).toBeVisible();
    await server.close();
    server = undefined;
    const typing = Date.now();
    for (const [i, title] of titles.entries()) {
      await page.getByTestId('order-new').click();
      await page.getByTestId('field-callerPhone').fill(`137${String(20_000_000 + i)}`);
      await fillRequest(page, { requestType: 'complaint', title, content: '来电人反映小区路灯损坏，要求维修。' });
      await choose(page, 'disposition-dispatched');
      await pick(page, 'handlingUnit', '住房');
      await page.getByTestId('order-submit').click();
      await expect(page.locator(`[data-testid="status-outbox"][data-pending="${i + 1}"]`)).toBeVisible();
    }
    console.log(`200 orders typed in ${Date.now() - typing} ms`);
    await expect(page.getByTestId('status-platform')).toContainText('离线');

    // Started again on the same address: the session comes back by itself, and the outbox drains.
    server = await startPlatformServer({ dataDir, masterKey, port });
    await expect(page.locator('[data-testid="status-outbox"][data-pending="0"][data-failed="0"]')).toBeVisible({ timeout: 120_000 });
    const stored = await server!.platform.services.db.query<{ title: string; n: number }>('select title, count(*)::int as n from orders where title like $1 group by title order by title', ['停机受理 %']);
    expect(stored.rows).toEqual(titles.map((title) => ({ title, n: 1 })));
  } finally {
    await ws.close();
    await server?.close();
  }
});
