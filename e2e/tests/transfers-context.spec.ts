/**
 * Transfers with context (双向一键转接, 三方通话) between two real workstations — a 12345 seat
 * (agent01, line 8001) and a 12366 sub-center seat (tax01, line 12366) — through a real Kamailio
 * with real WebRTC media, on the demo city's platform (PGlite). The transfer directory is the
 * platform's: an admin points it at this Kamailio, and the seats follow without a restart. A citizen
 * calls from a mobile number (a SIP.js party with its own tone); who hears whom is asserted on the
 * parties' audio.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { test as base, expect, SIP_USERS } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { startSipPeer, type SipPeer } from '../support/sip-peer';
import { writeToneWav, mediaArgs } from '../support/wav';
import { defaultSettings, type Settings } from '../../shared/settings/schema';
import { expectHears, lineLevel, setReady, TONES } from '../support/call-parties';
import { fillRequest } from '../support/order-form';
import type { DirectoryEntry } from '../../shared/directory/routes';
import { signInToPlatform } from '../support/platform-api';

const CITIZEN = '13900139000';

interface Env {
  demo: RunningPlatform;
}

const test = base.extend<object, Env>({
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

/** The admin's change of a directory entry, through the platform's API (as an admin tool would). */
async function putDirectory(demo: RunningPlatform, entry: DirectoryEntry): Promise<void> {
  const admin = await signInToPlatform(demo.url, 'admin', DEMO_PASSWORD);
  const r = await admin.request('PUT', `/v1/admin/directory/${entry.number}`, entry);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

const ENTRY_12366: DirectoryEntry = {
  number: '12366',
  name: '纳税缴费服务热线',
  mergeMode: 'subcenter',
  status: 'active',
  unitCode: 'QY-12366',
  transferUri: 'sip:12366@127.0.0.1',
  threeWay: true,
  serviceHours: '7x24',
  note: '设分中心：专业涉税问题三方转接',
  categoryCode: '13',
};
/** The sub-center's way back: the 12345 centre (here its seat 8001 directly; a deployment points it at its queue). */
const ENTRY_12345: DirectoryEntry = {
  number: '12345',
  name: '清远市12345政务服务便民热线',
  mergeMode: 'local',
  status: 'active',
  unitCode: null,
  transferUri: 'sip:8001@127.0.0.1',
  threeWay: true,
  serviceHours: '7x24',
  note: null,
  categoryCode: null,
};

async function startSeat(dir: string, demo: RunningPlatform, kamailio: { wsUrl: string }, who: { account: string; sipUser: string; tone: number }, calls: Partial<Settings['calls']> = {}): Promise<LaunchedWorkstation> {
  const sip = SIP_USERS.find((u) => u.user === who.sipUser)!;
  const ws = await launchWorkstation({
    dir,
    signIn: { baseUrl: demo.url, account: who.account, password: DEMO_PASSWORD },
    extraArgs: mediaArgs(writeToneWav(path.join(dir, 'seat.wav'), who.tone)),
    prepare: (core) => {
      const d = defaultSettings();
      core.settings.set({ section: 'sip', value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: '127.0.0.1', extension: sip.user, authUser: sip.user, iceGatheringTimeoutMs: 200, audioProcessing: false } });
      core.settings.set({ section: 'calls', value: { ...d.calls, ...calls } });
      core.secrets.set('sipPassword', sip.password);
    },
  });
  await expect(ws.page.getByTestId('registration')).toContainText('已注册');
  await setReady(ws);
  return ws;
}

function startCitizen(dir: string, kamailio: { wsUrl: string }): Promise<SipPeer> {
  const user = SIP_USERS.find((u) => u.user === CITIZEN)!;
  return startSipPeer({ wsUrl: kamailio.wsUrl, domain: '127.0.0.1', user: user.user, password: user.password, wav: writeToneWav(path.join(dir, 'citizen.wav'), TONES.caller1) });
}

/** The citizen calls 12345 and the agent answers and types the order while talking. */
async function answerAndType(ws: LaunchedWorkstation, caller: SipPeer, summary: string): Promise<string> {
  const { page } = ws;
  await caller.call('8001', ['X-Dialled-Number: 12345']);
  await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
  await page.getByTestId('answer').click();
  await expect(page.getByTestId('call-state')).toHaveText('通话中');
  await expectHears(caller, [TONES.agent]);
  const draftId = (await page.getByTestId('order-form').getAttribute('data-draft-id'))!;
  await fillRequest(page, { requestType: 'consult', title: '个税汇算退税进度咨询', content: '来电人咨询2025年度个人所得税汇算清缴退税进度，已提交申请20天未到账。' });
  await page.getByTestId('field-summary').fill(summary);
  return draftId;
}

async function openTransferPanel(ws: LaunchedWorkstation): Promise<void> {
  await ws.page.getByTestId('transfer').click();
  await expect(ws.page.getByTestId('transfer-panel')).toBeVisible();
}

interface OrderRow {
  id: string;
  order_no: string;
  disposition: string;
  status: string;
  transfer_target: string | null;
}

async function platformOrder(demo: RunningPlatform, ticket: string): Promise<OrderRow> {
  const db = demo.platform.services.db;
  let row: OrderRow | undefined;
  await expect
    .poll(async () => {
      row = (await db.query<OrderRow>('select id, order_no, disposition, status, transfer_target from orders where client_order_id = $1', [ticket])).rows[0];
      return row !== undefined;
    })
    .toBe(true);
  return row!;
}

test('12345 → 12366 three-way with the order, handling recorded by 12366 and seen by 12345, then back to 12345 with the context intact', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(240_000);
  await Promise.all([putDirectory(demo, ENTRY_12366), putDirectory(demo, ENTRY_12345)]);
  const [agent, tax, caller] = await Promise.all([
    startSeat(path.join(workDir, 'seat-12345'), demo, kamailio, { account: 'agent01', sipUser: '8001', tone: TONES.agent }),
    startSeat(path.join(workDir, 'seat-12366'), demo, kamailio, { account: 'tax01', sipUser: '12366', tone: TONES.subcenter }),
    startCitizen(workDir, kamailio),
  ]);
  try {
    // The sub-center seat's profile: its knowledge search starts on its own line's articles.
    await expect(tax.page.getByTestId('knowledge-filter-hotline')).toHaveValue('12366');
    await expect(agent.page.getByTestId('knowledge-filter-hotline')).toHaveValue('');
    const summary = '来电人个税退税20天未到账，需税务专业答复，转12366三方';
    const ticket = await answerAndType(agent, caller, summary);

    // The directory is the platform's: a target added by the admin shows in the open panel at once.
    await openTransferPanel(agent);
    await expect(agent.page.getByTestId('transfer-target-12366')).toBeVisible();
    await expect(agent.page.getByTestId('transfer-target-12399')).toHaveCount(0);
    await putDirectory(demo, { ...ENTRY_12366, number: '12399', name: '测试新增热线', unitCode: null, transferUri: 'sip:12399@127.0.0.1' });
    await expect(agent.page.getByTestId('transfer-target-12399')).toBeVisible();
    // ...and changed service hours follow too (closed all day now, then open again).
    await putDirectory(demo, { ...ENTRY_12366, serviceHours: '测试：全天不服务', hours: [{ days: 'daily', from: '00:00', to: '00:01' }] });
    await expect(agent.page.getByTestId('transfer-closed-12366')).toBeVisible();
    await putDirectory(demo, ENTRY_12366);
    await expect(agent.page.getByTestId('transfer-closed-12366')).toHaveCount(0);

    // A favourite comes first in the list, and is kept in the agent's settings.
    await agent.page.getByTestId('transfer-favourite-12366').click();
    await expect(agent.page.locator('[data-testid="transfer-list"] [role="option"]').first()).toHaveAttribute('data-testid', 'transfer-target-12366');
    expect(agent.core.settings.get('transfers').favourites).toEqual(['12366']);
    // Found by pinyin initials (纳税 → ns); one click: three-way introduction by default.
    await agent.page.getByTestId('transfer-number').fill('ns');
    await agent.page.getByTestId('transfer-target-12366').click();
    await expect(agent.page.getByTestId('transfer-go')).toHaveAttribute('data-kind', 'threeWay');
    await expect(agent.page.getByTestId('transfer-context')).toHaveAttribute('data-context', 'draft');
    await agent.page.getByTestId('transfer-go').click();

    // The 12366 seat rings with the order and the 12345 agent's summary on its pop.
    await expect(tax.page.getByTestId('call-state')).toHaveText('来电振铃');
    const card = tax.page.getByTestId('ticket-card');
    await expect(card).toHaveAttribute('data-state', 'ready');
    await expect(card.getByTestId('ticket-summary')).toHaveText(summary);
    const order = await platformOrder(demo, ticket);
    await expect(card.getByTestId('ticket-order-no')).toHaveText(order.order_no);
    expect(order).toMatchObject({ disposition: 'transferred', status: 'transferred', transfer_target: 'QY-12366' });
    await expect(card.getByTestId('ticket-caller')).toContainText('139****9000');
    await expect(agent.page.getByTestId('transfer-attempt')).toHaveAttribute('data-context', 'with');

    // 12366 answers: all three talk; the agent introduces, then leaves.
    await tax.page.getByTestId('answer').click();
    await expect(agent.page.getByTestId('transfer-attempt')).toHaveAttribute('data-phase', 'introducing');
    await expectHears(caller, [TONES.agent, TONES.subcenter]);
    await agent.page.getByTestId('transfer-complete').click();
    await expect(agent.page.getByTestId('transfer-attempt')).toHaveAttribute('data-phase', 'connected');
    await expectHears(caller, [TONES.subcenter]);
    await expect.poll(() => lineLevel(tax), { timeout: 15_000 }).toBeGreaterThan(0.1);
    // The caller replaced the consultation on the 12366 seat: the order stays on its pop.
    await expect(tax.page.getByTestId('ticket-card')).toHaveAttribute('data-state', 'ready');

    // The transfer is recorded on the order (who, to whom, when, kind, outcome).
    const db = demo.platform.services.db;
    await expect
      .poll(async () => (await db.query<{ outcome: string; kind: string; target_org: string }>('select outcome, kind, target_org from order_transfers where order_id = $1', [order.id])).rows)
      .toEqual([{ outcome: 'connected', kind: 'threeWay', target_org: 'QY-12366' }]);

    // 12366 records its handling on the same order; 12345 sees it in its order.
    const handling = '已核实：退税已于今日审核通过，3个工作日内到账，已告知来电人。';
    await tax.page.getByTestId('handling-text').fill(handling);
    await tax.page.getByTestId('handling-save').click();
    await expect(tax.page.getByTestId('ticket-handling-record')).toContainText(handling);
    await expect.poll(async () => Number((await db.query<{ n: string }>('select count(*)::text as n from order_handling where order_id = $1', [order.id])).rows[0]!.n)).toBe(1);
    await agent.page.getByTestId('open-my-orders').click();
    await agent.page.locator(`[data-testid="my-order"][data-order-id="${ticket}"] button`).click();
    await expect(agent.page.getByTestId('my-order-transfers').getByTestId('ticket-handling-record')).toContainText(handling);
    await agent.page.keyboard.press('Escape');

    // Back to 12345 with one click, the context intact (the 12345 seat is Ready again).
    await setReady(agent);
    await openTransferPanel(tax);
    await tax.page.getByTestId('transfer-number').fill('12345');
    await expect(tax.page.getByTestId('transfer-context')).toHaveAttribute('data-context', 'received');
    await tax.page.getByTestId('transfer-target-12345').click();
    await tax.page.getByTestId('transfer-go').click();
    await expect(agent.page.getByTestId('call-state')).toHaveText('来电振铃');
    const back = agent.page.getByTestId('ticket-card');
    await expect(back).toHaveAttribute('data-state', 'ready');
    await expect(back.getByTestId('ticket-order-no')).toHaveText(order.order_no);
    await expect(back.getByTestId('ticket-summary')).toHaveText(summary);
    await expect(back.getByTestId('ticket-handling-record')).toContainText(handling);
    await agent.page.getByTestId('answer').click();
    await expectHears(caller, [TONES.agent, TONES.subcenter]);
    await tax.page.getByTestId('transfer-complete').click();
    await expect(tax.page.getByTestId('transfer-attempt')).toHaveAttribute('data-phase', 'connected');
    await expectHears(caller, [TONES.agent]);
    await expect
      .poll(async () => (await db.query<{ by_org: string; outcome: string }>('select by_org, outcome from order_transfers where order_id = $1 order by started_at', [order.id])).rows)
      .toEqual([
        { by_org: 'QY-12345', outcome: 'connected' },
        { by_org: 'QY-12366', outcome: 'connected' },
      ]);
  } finally {
    await caller.close();
    await Promise.all([agent.close(), tax.close()]);
  }
});

test('a transfer the target does not answer gives the caller back to the agent, who is told why; the caller hears the agent again', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(120_000);
  // 12328 (transport) points at a seat that rings and never answers.
  await putDirectory(demo, { ...ENTRY_12366, number: '12328', name: '交通运输服务监督电话', mergeMode: 'dual', unitCode: 'QY-12328', transferUri: 'sip:8002@127.0.0.1' });
  const colleague = SIP_USERS.find((u) => u.user === '8002')!;
  const [agent, caller, silent] = await Promise.all([
    startSeat(path.join(workDir, 'seat-12345'), demo, kamailio, { account: 'agent01', sipUser: '8001', tone: TONES.agent }, { transferTimeoutS: 5 }),
    startCitizen(workDir, kamailio),
    startSipPeer({ wsUrl: kamailio.wsUrl, domain: '127.0.0.1', user: colleague.user, password: colleague.password, wav: writeToneWav(path.join(workDir, 'silent.wav'), TONES.colleague) }),
  ]);
  try {
    await answerAndType(agent, caller, '交通投诉，转12328');
    await openTransferPanel(agent);
    await agent.page.getByTestId('transfer-number').fill('12328');
    await agent.page.getByTestId('transfer-target-12328').click();
    await agent.page.getByTestId('transfer-go').click();
    await expect.poll(() => silent.hasIncoming()).toBe(true);
    // While the target rings the caller waits on hold, hearing nobody.
    await expectHears(caller, []);
    const attempt = agent.page.getByTestId('transfer-attempt');
    await expect(attempt).toHaveAttribute('data-phase', 'failed', { timeout: 15_000 });
    await expect(attempt).toHaveAttribute('data-reason', 'noAnswer');
    await expect(attempt).toContainText('无人接听');
    await expect(agent.page.getByTestId('call-state')).toHaveText('通话中');
    await expectHears(caller, [TONES.agent]);
    await expect.poll(() => silent.state()).toBe('Terminated');
  } finally {
    await Promise.all([caller.close(), silent.close()]);
    await agent.close();
  }
});

test('a forged, foreign or malformed X-Ticket-Id shows "context unavailable" and nothing of another order', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(120_000);
  // An order of the 12345 centre that was never transferred to 12366.
  const db = demo.platform.services.db;
  const login = await fetch(`${demo.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'agent02', password: DEMO_PASSWORD, clientId: 'e2e-agent02-tool' }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const foreign = crypto.randomUUID();
  const created = await fetch(`${demo.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({
      clientId: 'e2e-agent02-tool',
      clientSeq: 1,
      clientOrderId: foreign,
      submit: true,
      order: { channel: 'phone', requestType: 'complaint', urgency: 'normal', confidential: false, title: '不应被分中心看到的工单', content: '机密内容', caller: { phone: '13812345678' }, disposition: 'dispatched', handlingUnit: 'QY-ZJJ' },
    }),
  });
  expect(created.status, await created.text()).toBe(201);
  expect((await db.query('select 1 from orders where client_order_id = $1', [foreign])).rows).toHaveLength(1);

  const [tax, caller] = await Promise.all([startSeat(path.join(workDir, 'seat-12366'), demo, kamailio, { account: 'tax01', sipUser: '12366', tone: TONES.subcenter }), startCitizen(workDir, kamailio)]);
  try {
    for (const [header, reason] of [
      [`X-Ticket-Id: ${foreign}`, 'notFound'],
      [`X-Ticket-Id: ${crypto.randomUUID()}`, 'notFound'],
      ['X-Ticket-Id: 1 or 1=1; <b>x</b>', 'malformed'],
    ] as const) {
      await caller.call('12366', [header]);
      await expect(tax.page.getByTestId('call-state')).toHaveText('来电振铃');
      const card = tax.page.getByTestId('ticket-card');
      await expect(card).toHaveAttribute('data-state', 'unavailable');
      await expect(card).toHaveAttribute('data-reason', reason);
      await expect(card.getByTestId('ticket-unavailable')).toContainText('工单信息不可用');
      await expect(tax.page.getByText('不应被分中心看到的工单')).toHaveCount(0);
      await expect(tax.page.getByText('机密内容')).toHaveCount(0);
      await tax.page.getByTestId('hangup').click();
      await expect.poll(() => caller.state()).toBe('Terminated');
      await expect(tax.page.locator('[data-testid="call-line"]')).toHaveCount(0);
      await setReady(tax).catch(() => undefined);
    }
  } finally {
    await caller.close();
    await tax.close();
  }
});
