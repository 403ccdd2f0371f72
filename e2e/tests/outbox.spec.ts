/**
 * The outbox and what comes back from the platform, with the real reference platform and its
 * database: a shift lead's 督办 and 退单 on an agent's order reach that order on the seat and tell
 * the agent — also when they happened while the workstation was not running.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test as base, expect } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { signInToPlatform } from '../support/platform-api';
import { choose, fillRequest, pick } from '../support/order-form';
import { closeWithEscape } from '../support/panels';

const test = base.extend<object, { demo: RunningPlatform }>({
  demo: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const demo = await startPlatformServer({ accounts: 'demo-city' });
      await use(demo);
      await demo.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

function seat(workDir: string, demo: RunningPlatform, key: Buffer): Promise<LaunchedWorkstation> {
  return launchWorkstation({ dir: workDir, encryptionKey: key, signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD } });
}

/** A dispatched order typed in the form (a call-back's: no call), submitted; its platform number. */
async function dispatchedOrder(page: Page, title: string): Promise<string> {
  await page.getByTestId('order-new').click();
  await page.getByTestId('field-callerPhone').fill('13700137001');
  await fillRequest(page, { requestType: 'complaint', title, content: '来电人反映小区路灯损坏，要求维修。' });
  await choose(page, 'disposition-dispatched');
  await pick(page, 'handlingUnit', '住房');
  await page.getByTestId('order-submit').click();
  const number = page.getByTestId('order-number');
  await expect(number).toHaveText(/^QY\d+/, { timeout: 15_000 });
  return (await number.textContent())!;
}

test('a 督办 and a 退单 made on the platform reach the agent’s order and tell the agent, also when the workstation was not running', async ({ workDir, demo }) => {
  test.setTimeout(90_000);
  const key = crypto.randomBytes(32);
  const lead = await signInToPlatform(demo.url, 'lead01', DEMO_PASSWORD);
  let ws = await seat(workDir, demo, key);
  let orderNo: string;
  let orderId: string;
  try {
    orderNo = await dispatchedOrder(ws.page, '路灯损坏报修');
    orderId = (await demo.platform.services.db.query<{ id: string }>('select id from orders where order_no = $1', [orderNo])).rows[0]!.id;

    // 督办 while the seat runs: it pulls on "sync now" (and every minute by itself).
    expect((await lead.act(orderId, 'supervise', { reason: '来电人多次催办，请加快办理' })).status).toBe(200);
    await ws.page.getByTestId('status-outbox').click();
    const supervised = ws.page.locator('[data-testid="order-notice"][data-action="supervise"]');
    await expect(supervised).toContainText(orderNo, { timeout: 15_000 });
    await expect(supervised).toContainText('请加快办理');
    await expect.poll(() => ws.ports.record.notifications.map((n) => n.title)).toContain(`工单 ${orderNo} 收到督办`);
  } finally {
    await ws.close();
  }

  // 退单 while the workstation is closed; at the next start it is there, with its reason.
  expect((await lead.act(orderId!, 'return', { reason: '地址不在本单位辖区，请核实后重新派单' })).status).toBe(200);
  ws = await seat(workDir, demo, key);
  try {
    const returned = ws.page.locator('[data-testid="order-notice"][data-action="return"]');
    await expect(returned).toContainText(orderNo!, { timeout: 15_000 });
    await expect(returned).toContainText('地址不在本单位辖区');
    // The 督办 already shown before is not announced again.
    await expect(ws.page.locator('[data-testid="order-notice"][data-action="supervise"]')).toHaveCount(0);
    expect(ws.ports.record.notifications.map((n) => n.title)).toEqual([`工单 ${orderNo!} 被退回`]);

    // My orders: the order is 已退单, its progress lists what the platform did.
    await returned.locator('.ant-alert-close-icon').click();
    await expect(returned).toHaveCount(0);
    await ws.page.getByTestId('open-my-orders').click();
    await ws.page.locator('[data-testid="my-order"]', { hasText: '路灯损坏报修' }).click();
    await expect(ws.page.getByTestId('my-order-detail')).toContainText('已退单');
    const progress = ws.page.getByTestId('my-order-progress');
    await expect(progress.locator('[data-testid="my-order-event"][data-action="supervise"]')).toContainText('请加快办理');
    await expect(progress.locator('[data-testid="my-order-event"][data-action="return"]')).toHaveCount(1);
    await expect(progress).toContainText('退回');
    await expect(progress).toContainText('请核实后重新派单');
  } finally {
    await ws.close();
  }
});

test('an order the platform refuses goes to 需处理 with the reason in Chinese, the others keep syncing, and after correction it syncs', async ({ workDir, demo }) => {
  test.setTimeout(90_000);
  const db = demo.platform.services.db;
  const ws = await seat(workDir, demo, crypto.randomBytes(32));
  const { page } = ws;
  // The seat cached the out-of-scope reasons; then the platform's list loses one (an administrator's edit).
  await expect(page.getByTestId('order-new')).toBeVisible();
  const removed = await db.query<Record<string, unknown>>(`delete from out_of_scope_reasons where code = 'petition' returning *`);
  try {
    await page.getByTestId('order-new').click();
    const form = page.getByTestId('order-form');
    const refusedId = (await form.getAttribute('data-draft-id'))!;
    await page.getByTestId('field-callerPhone').fill('13700137002');
    await fillRequest(page, { requestType: 'complaint', title: '信访事项咨询', content: '来电人反映的事项已进入信访程序。' });
    await choose(page, 'disposition-notAccepted');
    await pick(page, 'notAcceptedReason', '信访');
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('order-submitted')).toBeVisible();
    const other = await dispatchedOrder(page, '另一张正常的工单');

    // The other one went through; this one needs attention, with the reason in Chinese.
    expect(other).toMatch(/^QY/);
    await expect(page.locator('[data-testid="status-outbox"][data-failed="1"]')).toBeVisible({ timeout: 15_000 });
    // The sync panel lists it, needing attention, with the platform's code.
    await page.getByTestId('status-outbox').click();
    const entry = page.locator('[data-testid="outbox-entry"][data-state="failed"]');
    await expect(entry).toContainText('信访事项咨询');
    await expect(entry).toContainText('invalid_request');
    await expect(page.locator('[data-testid="outbox-entry"]')).toHaveCount(1);
    await closeWithEscape(page, 'outbox-panel');
    await page.getByTestId('open-my-orders').click();
    await page.locator(`[data-testid="my-order"][data-order-id="${refusedId}"]`).click();
    const error = page.getByTestId('my-order-error');
    await expect(error).toContainText('平台校验未通过');
    await expect(error).toContainText('不予受理原因');

    // Corrected and submitted again: it syncs, once.
    await page.getByTestId('my-order-fix').click();
    await expect(page.getByTestId('order-refused')).toContainText('不予受理原因');
    await expect(form).toHaveAttribute('data-draft-id', refusedId);
    await expect(page.getByTestId('field-error-notAcceptedReason')).toBeVisible();
    await pick(page, 'notAcceptedReason', '涉诉');
    await page.getByTestId('order-submit').click();
    await expect(page.locator('[data-testid="status-outbox"][data-failed="0"][data-pending="0"]')).toBeVisible({ timeout: 15_000 });
    const stored = await db.query<{ not_accepted_reason: string; status: string }>('select not_accepted_reason, status from orders where client_order_id = $1', [refusedId]);
    expect(stored.rows).toEqual([{ not_accepted_reason: 'litigation', status: 'closed' }]);
  } finally {
    for (const r of removed.rows) {
      await db.query('insert into out_of_scope_reasons (code, name, wording, position) values ($1, $2, $3, $4) on conflict do nothing', [r.code, r.name, r.wording, r.position]);
    }
    await ws.close();
  }
});

test('the local database wiped behind the app’s back is noticed at the next start, with how many unsent records it held', async ({ workDir }) => {
  test.setTimeout(90_000);
  // A platform of its own: this test stops it, so that the order stays unsent.
  const own = await startPlatformServer({ accounts: 'demo-city' });
  const key = crypto.randomBytes(32);
  let ws = await seat(workDir, own, key);
  try {
    await own.close();
    await ws.page.getByTestId('order-new').click();
    await ws.page.getByTestId('field-callerPhone').fill('13700137003');
    await fillRequest(ws.page, { requestType: 'help', title: '平台停机时受理', content: '来电人反映路灯不亮。' });
    await choose(ws.page, 'disposition-dispatched');
    await pick(ws.page, 'handlingUnit', '住房');
    await ws.page.getByTestId('order-submit').click();
    await expect(ws.page.locator('[data-testid="status-outbox"][data-pending="1"]')).toBeVisible({ timeout: 15_000 });
    await expect(ws.page.getByTestId('orders-data-loss')).toHaveCount(0);
    // The sync panel: the entry waits (platform unreachable), and where the seat keeps it.
    await ws.page.getByTestId('status-outbox').click();
    await expect(ws.page.locator('[data-testid="outbox-entry"][data-state="pending"]')).toContainText('平台停机时受理');
    await expect(ws.page.getByTestId('outbox-storage')).not.toHaveAttribute('data-persisted', 'unknown');
  } finally {
    await ws.close();
  }

  // Behind the app's back: the browser profile's IndexedDB is deleted.
  fs.rmSync(path.join(workDir, 'profile', 'Default', 'IndexedDB'), { recursive: true, force: true });
  ws = await launchWorkstation({ dir: workDir, encryptionKey: key });
  try {
    const loss = ws.page.getByTestId('orders-data-loss');
    await expect(loss).toHaveAttribute('data-lost', '1', { timeout: 15_000 });
    await expect(loss).toContainText('1 条记录尚未送达平台');
    await expect.poll(() => fs.readFileSync(ws.logFile, 'utf8')).toContain('wiped or replaced');
  } finally {
    await ws.close();
  }
});
