/**
 * The outbox and what comes back from the platform, with the real reference platform and its
 * database: a shift lead's 督办 and 退单 on an agent's order reach that order on the seat and tell
 * the agent — also when they happened while the workstation was not running.
 */
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { test as base, expect } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { signInToPlatform } from '../support/platform-api';
import { choose, fillRequest, pick } from '../support/order-form';

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
