/**
 * Screen-pop and work orders with the real softphone, Kamailio and the reference platform (the
 * demo city: directory, units, categories, areas, deadline policy and calendar, out-of-scope
 * reasons), as an agent works them: a citizen calls from a mobile number, the pop shows who is
 * calling and why before the answer, the order is typed while talking and reaches the platform.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { test as base, expect, SIP_USERS } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { seedCallerHistory } from '../../platform/src/seed/history';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { startSipPeer, type SipPeer } from '../support/sip-peer';
import { writeToneWav, mediaArgs } from '../support/wav';
import { defaultSettings } from '../../shared/settings/schema';
import { ARTIFACTS_DIR, REPO_ROOT } from '../support/paths';
import { setReady } from '../support/call-parties';
import { signInToPlatform } from '../support/platform-api';
import { choose, fillRequest, pick } from '../support/order-form';
import { browserPids } from '../support/crash';

const CITIZEN = '13900139000';
const CITIZEN_MASKED = '139****9000';

interface Env {
  demo: RunningPlatform;
}

const test = base.extend<object, Env>({
  /** The demo city's platform, once per worker, with a history for the citizen. */
  demo: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const demo = await startPlatformServer({ accounts: 'demo-city' });
      await seedCallerHistory(demo.platform.services.db, demo.platform.services.cipher, [{ phone: CITIZEN, orders: 4, open: 1, confidential: true, name: '欧阳娜娜' }], { account: 'agent01' });
      await use(demo);
      await demo.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

async function startSeat(workDir: string, demo: RunningPlatform, kamailio: { wsUrl: string }, key = crypto.randomBytes(32)): Promise<LaunchedWorkstation> {
  const agent = SIP_USERS[0]!;
  const ws = await launchWorkstation({
    dir: workDir,
    encryptionKey: key,
    signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD },
    extraArgs: mediaArgs(writeToneWav(path.join(workDir, 'agent.wav'), 440)),
    prepare: (core) => {
      const d = defaultSettings();
      core.settings.set({ section: 'sip', value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: '127.0.0.1', extension: agent.user, authUser: agent.user, iceGatheringTimeoutMs: 200, audioProcessing: false } });
      core.secrets.set('sipPassword', agent.password);
    },
  });
  await expect(ws.page.getByTestId('registration')).toContainText('已注册');
  await setReady(ws);
  return ws;
}

function citizen(workDir: string, kamailio: { wsUrl: string }, user = CITIZEN): Promise<SipPeer> {
  const u = SIP_USERS.find((x) => x.user === user)!;
  return startSipPeer({ wsUrl: kamailio.wsUrl, domain: '127.0.0.1', user: u.user, password: u.password, wav: writeToneWav(path.join(workDir, `${user}.wav`), 1000) });
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  // The README's picture is refreshed on purpose only (UPDATE_DOCS_SCREENSHOTS=1).
  if (process.env.UPDATE_DOCS_SCREENSHOTS) fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', `${name}.png`));
}

test('a call rings: the pop shows the masked number, the dialled line and the caller history before the answer; the form is pre-filled', async ({ workDir, demo, kamailio }) => {
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio);
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12333']);
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
    const pop = page.getByTestId('pop');
    await expect(pop.getByTestId('pop-number')).toHaveText(CITIZEN_MASKED);
    await expect(pop).not.toContainText(CITIZEN);
    await expect(pop.getByTestId('pop-line')).toContainText('12333');
    await expect(pop.getByTestId('pop-line')).toContainText('人力资源和社会保障');
    await expect(pop.getByTestId('pop-number-info')).toHaveText('上海市 · 中国移动');
    await expect(pop.getByTestId('pop-history-order')).toHaveCount(4);
    await expect(pop.getByTestId('pop-flag-repeat')).toBeVisible();
    await expect(pop.getByTestId('pop-flag-open')).toBeVisible();
    await expect(pop.getByTestId('pop-flag-confidential')).toBeVisible();
    // The form belongs to this call and starts from the dialled line.
    await expect(page.getByTestId('order-form')).toBeVisible();
    await shot(page, 'orders-pop-zh-CN');

    // The full number only on purpose, and the platform's audit log says who, why — never the number.
    const auditBefore = await demo.platform.services.db.query<{ n: string }>(`select count(*)::text as n from audit_log where action = 'personalData.reveal'`);
    await pop.getByTestId('pop-reveal').click();
    await expect(page.getByTestId('reveal-form')).toBeVisible();
    await page.getByTestId('reveal-confirm').click();
    await expect(pop.getByTestId('pop-number')).toHaveText(CITIZEN);
    await expect(pop.getByTestId('pop-number')).toHaveAttribute('data-revealed', 'true');
    await expect
      .poll(async () => Number((await demo.platform.services.db.query<{ n: string }>(`select count(*)::text as n from audit_log where action = 'personalData.reveal'`)).rows[0]!.n), { timeout: 15_000 })
      .toBe(Number(auditBefore.rows[0]!.n) + 1);
    const entry = await demo.platform.services.db.query<{ actor_account: string; detail: unknown; subject_id: string }>(
      `select actor_account, detail, subject_id from audit_log where action = 'personalData.reveal' order by seq desc limit 1`,
    );
    expect(entry.rows[0]!.actor_account).toBe('agent01');
    expect(JSON.stringify(entry.rows[0])).not.toContain(CITIZEN);
  } finally {
    await caller.close();
    await ws.close();
  }
});

/** Click a choice button (its test id is on the radio input; the agent clicks its label). */

interface StoredOrder {
  order_no: string;
  status: string;
  disposition: string;
  request_type: string;
  category_code: string | null;
  handling_unit: string | null;
  co_units: string[];
  transfer_target: string | null;
  emergency_line: string | null;
  not_accepted_reason: string | null;
  knowledge_article_id: string | null;
  deadline: string | null;
  call_info: { callId?: string; dialled?: string; ringAt?: string } | null;
}

/** The order the platform stored for a draft (waits for the outbox to deliver it). */
async function platformOrder(demo: RunningPlatform, draftId: string): Promise<StoredOrder> {
  let row: StoredOrder | undefined;
  await expect
    .poll(
      async () => {
        const r = await demo.platform.services.db.query<StoredOrder>(
          `select order_no, status, disposition, request_type, category_code, handling_unit, co_units, transfer_target, emergency_line, not_accepted_reason, knowledge_article_id, to_char(deadline, 'YYYY-MM-DD') as deadline, call_info from orders where client_order_id = $1`,
          [draftId],
        );
        row = r.rows[0];
        return row !== undefined;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return row!;
}

/** Publish a knowledge article as the demo city's administrator, through the platform's API. */
async function publishArticle(demo: RunningPlatform, id: string, article: Record<string, unknown>): Promise<void> {
  const admin = await signInToPlatform(demo.url, 'admin', DEMO_PASSWORD);
  const put = await admin.request('PUT', `/v1/admin/knowledge/${id}`, article);
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}

test('each disposition makes a valid order on the platform; 不予受理 needs a reason and 派单 a unit; the deadline shown is the platform’s', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(120_000);
  // An article the administrator published: the seat syncs the knowledge base and 即时答复 picks it.
  await publishArticle(demo, 'kb-e2e-noise', {
    title: '夜间施工噪声扰民如何投诉？',
    body: '夜间（22时至次日6时）施工须取得夜间施工许可。',
    hotlines: ['12345'],
    keywords: ['夜间施工', '噪声'],
    validFrom: '2025-01-01',
  });
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio, '13700137000');
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');

    // 派单 without a unit: the field says so, nothing is sent.
    const form = page.getByTestId('order-form');
    const callDraft = (await form.getAttribute('data-draft-id'))!;
    await fillRequest(page, { requestType: 'complaint', title: '小区噪音扰民', content: '来电人反映夜间施工噪音扰民，要求相关部门处理。' });
    await choose(page, 'disposition-dispatched');
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('field-error-handlingUnit')).toHaveText('必填');
    await pick(page, 'handlingUnit', '住房');
    await expect(page.getByTestId('field-error-handlingUnit')).toHaveCount(0);
    const preview = page.getByTestId('deadline-preview');
    await expect(preview).toContainText('15 个工作日');
    const shownDate = await preview.getAttribute('data-date');
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('order-submitted')).toBeVisible();
    const dispatched = await platformOrder(demo, callDraft);
    // The number the agent reads to the caller, as soon as the platform gave it.
    await expect(page.getByTestId('order-number')).toHaveText(dispatched.order_no);
    expect(dispatched).toMatchObject({ disposition: 'dispatched', status: 'dispatched', request_type: 'complaint', deadline: shownDate });
    expect(dispatched.handling_unit).toMatch(/^QY-/);
    expect(dispatched.call_info?.dialled).toBe('12345');
    expect(dispatched.call_info?.callId).toBeTruthy();

    // The other dispositions, each on a new order for the same caller (a call-back's order).
    const cases: { disposition: string; fill: () => Promise<void>; expect: Partial<StoredOrder> }[] = [
      {
        disposition: 'answered',
        fill: async () => {
          // Found by words of its title; the note below names the article picked.
          await pick(page, 'knowledgeArticleId', '施工噪声');
          await expect(page.getByTestId('knowledge-article-note')).toContainText('kb-e2e-noise');
        },
        expect: { status: 'closed', knowledge_article_id: 'kb-e2e-noise' },
      },
      {
        disposition: 'transferred',
        fill: () => pick(page, 'transferTarget', '12366'),
        expect: { status: 'transferred' },
      },
      {
        disposition: 'emergency',
        fill: () => choose(page, 'emergencyLine-120'),
        expect: { status: 'closed', emergency_line: '120' },
      },
      {
        disposition: 'notAccepted',
        fill: async () => {
          // Not without a reason; the reason's wording is shown to be read to the caller.
          await page.getByTestId('order-submit').click();
          await expect(page.getByTestId('field-error-notAcceptedReason')).toHaveText('必填');
          await page.locator('#order-field-notAcceptedReason').focus();
          await page.keyboard.type('涉诉');
          await page.keyboard.press('Enter');
          await expect(page.getByTestId('not-accepted-wording')).toContainText('人民法院');
        },
        expect: { status: 'closed', not_accepted_reason: 'litigation' },
      },
    ];
    for (const c of cases) {
      await page.getByTestId('order-new').click();
      await expect(form).not.toHaveAttribute('data-draft-id', callDraft);
      const id = (await form.getAttribute('data-draft-id'))!;
      await page.getByTestId('field-callerPhone').fill('13700137000');
      await fillRequest(page, { requestType: 'consult', title: `测试${c.disposition}`, content: '来电人咨询相关政策。' });
      await choose(page, `disposition-${c.disposition}`);
      await c.fill();
      await page.getByTestId('order-submit').click();
      await expect(page.getByTestId('order-submitted')).toBeVisible();
      const stored = await platformOrder(demo, id);
      expect(stored, c.disposition).toMatchObject({ disposition: c.disposition, ...c.expect });
      if (c.disposition === 'transferred') expect(stored.transfer_target).toBeTruthy();
      await page.getByTestId('order-submitted').locator('.ant-alert-close-icon').click();
    }

    // My orders: today's five, each with its platform number.
    await page.getByTestId('open-my-orders').click();
    await expect(page.getByTestId('my-order')).toHaveCount(5);
    await expect(page.locator('[data-testid="my-order"][data-sync="synced"]')).toHaveCount(5);
    await expect(page.getByTestId('my-orders')).toContainText(dispatched.order_no);
  } finally {
    await caller.close();
    await ws.close();
  }
});

/** Every file under `dir` (the profile's IndexedDB folders). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

test('typing an order, then the browser process is killed: after relaunch the draft is back with its call and all but the last moments of typing', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(120_000);
  const key = crypto.randomBytes(32);
  const NAME = '欧阳娜娜';
  const TEXT = '来电人反映小区东门路灯连续三晚不亮行人夜间出行存在安全隐患希望尽快派人维修并告知处理结果谢谢';
  const ws = await startSeat(workDir, demo, kamailio, key);
  const caller = await citizen(workDir, kamailio);
  let draftId: string;
  const typedAt: number[] = [];
  let killedAt = 0;
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    draftId = (await page.getByTestId('order-form').getAttribute('data-draft-id'))!;
    await page.getByTestId('field-callerName').fill(NAME);
    await page.getByTestId('field-content').focus();
    // The agent types steadily (one character every ~40 ms), and the browser dies mid-sentence.
    for (const ch of TEXT) {
      await page.keyboard.type(ch);
      typedAt.push(Date.now());
      await new Promise((r) => setTimeout(r, 25));
    }
    const pids = browserPids(path.join(workDir, 'profile'));
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    killedAt = Date.now();
  } finally {
    await caller.close();
    ws.core.dispose();
    await ws.context.close().catch(() => undefined);
  }

  // Relaunched on the same profile and app data (the secret store's key is the machine's).
  const again = await launchWorkstation({ dir: workDir, encryptionKey: key, signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD } });
  try {
    const { page } = again;
    const form = page.getByTestId('order-form');
    await expect(form).toHaveAttribute('data-draft-id', draftId!);
    // Still the draft of that call: the caller's number comes from the call, masked and read-only.
    await expect(page.getByTestId('field-callerPhone')).toHaveValue(CITIZEN_MASKED);
    await expect(page.getByTestId('field-callerName')).toHaveValue(NAME);
    const restored = await page.getByTestId('field-content').inputValue();
    expect(TEXT.startsWith(restored)).toBe(true);
    const kept = [...restored].length;
    // The loss window: from the first keystroke that did not survive to the kill.
    const lossMs = kept === typedAt.length ? 0 : killedAt - typedAt[kept]!;
    console.log(`draft after SIGKILL: ${kept}/${typedAt.length} characters kept; typing lost over the last ${lossMs} ms before the kill`);
    expect(lossMs).toBeLessThanOrEqual(300);
  } finally {
    await again.close();
  }

  // Nothing of the caller in clear in the browser's IndexedDB files (orders, drafts, outbox, call log).
  const files = filesUnder(path.join(workDir, 'profile', 'Default', 'IndexedDB'));
  expect(files.length).toBeGreaterThan(0);
  const needles = [CITIZEN, NAME, TEXT.slice(0, 8)].flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le'), Buffer.from(s, 'latin1')]);
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    for (const needle of needles) expect(bytes.includes(needle), `${path.basename(file)} holds ${needle.toString('hex')}`).toBe(false);
  }
});

/** Sign in through the sign-in screen. */
async function signInAs(page: Page, demo: RunningPlatform, account: string): Promise<void> {
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await page.getByTestId('sign-in-url').fill(demo.url);
  await page.getByTestId('sign-in-account').fill(account);
  await page.getByTestId('sign-in-password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('user-menu')).toContainText(account);
}

test('a seat shared between shifts: the next agent does not see the previous agent’s draft, which is back at that agent’s next sign-in', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(90_000);
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio);
  const TITLE = '交接班前未提交的草稿';
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    const draftId = (await page.getByTestId('order-form').getAttribute('data-draft-id'))!;
    await page.getByTestId('field-title').fill(TITLE);
    await page.getByTestId('hangup').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话结束');

    // Signing out with a draft open asks first, and says it stays on this seat for this agent.
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await expect(page.getByTestId('sign-out-unsent')).toContainText('1 份草稿未提交');
    await page.getByTestId('sign-out-confirm').click();

    await signInAs(page, demo, 'agent02');
    // A clean start: Not ready, no caller of the last shift on screen, no draft.
    await expect(page.getByTestId('agent-state')).toContainText('未就绪');
    await expect(page.getByTestId('screen-pop')).not.toContainText('139****');
    await expect(page.getByTestId('order-no-draft')).toBeVisible();
    await page.getByTestId('open-my-orders').click();
    await expect(page.getByTestId('my-orders')).toBeVisible();
    await expect(page.locator(`[data-testid="my-order"][data-order-id="${draftId}"]`)).toHaveCount(0);
    await page.getByTestId('my-orders-search').fill('交接班');
    await expect(page.getByTestId('my-orders')).toContainText('没有匹配的工单');
    await page.keyboard.press('Escape');
    // Nor agent01's calls in the call log.
    await page.getByTestId('open-call-log').click();
    await expect(page.locator('[data-testid="call-log"][data-loading="false"]')).toBeVisible();
    await expect(page.getByTestId('call-log-row')).toHaveCount(0);
    await page.keyboard.press('Escape');

    // Nothing of agent02's to keep: signing out does not ask.
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await signInAs(page, demo, 'agent01');
    await expect(page.getByTestId('order-form')).toHaveAttribute('data-draft-id', draftId);
    await expect(page.getByTestId('field-title')).toHaveValue(TITLE);
    await page.getByTestId('open-call-log').click();
    await expect(page.getByTestId('call-log-row')).toHaveCount(1);
  } finally {
    await caller.close();
    await ws.close();
  }
});

/** Compose `text` the way a pinyin IME does (composition events with the pinyin, then the commit). */
async function compose(page: Page, pinyin: string, text: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 1; i <= pinyin.length; i++) await cdp.send('Input.imeSetComposition', { text: pinyin.slice(0, i), selectionStart: i, selectionEnd: i });
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await cdp.send('Input.insertText', { text });
  } finally {
    await cdp.detach();
  }
}

/** Tab through the window until focus is inside the element with this test id (keyboard only). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((id) => !!document.activeElement?.closest(`[data-testid="${id}"]`), testId)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${testId}`);
}

test('keyboard only, text entered through IME composition: a complete order filled and submitted without a mouse event', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(90_000);
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio, '13700137000');
  try {
    const { page } = ws;
    // Every pointer event the page sees from here on is counted.
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number };
      w.pointerEvents = 0;
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup']) window.addEventListener(type, () => (w.pointerEvents += 1), true);
    });
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
    await page.keyboard.press('Control+Shift+A');
    await expect(page.getByTestId('call-state')).toHaveText('通话中');

    await page.keyboard.press('Alt+N');
    await expect(page.getByTestId('field-callerName')).toBeFocused();
    await compose(page, 'zhangsan', '张三');
    await tabTo(page, 'field-requestType');
    await page.keyboard.press('ArrowRight'); // 咨询 → 求助
    await page.keyboard.press('ArrowRight'); // → 投诉
    await expect(page.getByTestId('requestType-complaint')).toBeChecked();
    await tabTo(page, 'field-categoryCode');
    await page.keyboard.type('gjj');
    await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toContainText('公积金');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('field-categoryCode')).toContainText('公积金');
    await tabTo(page, 'field-title');
    await compose(page, 'gongjijin', '公积金提取');
    await page.keyboard.press('Alt+C');
    await expect(page.getByTestId('field-content')).toBeFocused();
    await compose(page, 'tiqu', '来电人咨询公积金提取办理进度');
    // Nothing was validated while composing.
    await expect(page.locator('[data-testid^="field-error-"]')).toHaveCount(0);

    await page.keyboard.press('Alt+D');
    await page.keyboard.press('Alt+2'); // 派单
    await expect(page.getByTestId('disposition-dispatched')).toBeChecked();
    await tabTo(page, 'field-handlingUnit');
    await page.keyboard.type('公积金');
    await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toBeVisible();
    await page.keyboard.press('Enter');
    const draftId = (await page.getByTestId('order-form').getAttribute('data-draft-id'))!;
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('order-submitted')).toBeVisible();

    const stored = await platformOrder(demo, draftId);
    expect(stored).toMatchObject({ disposition: 'dispatched', request_type: 'complaint' });
    expect(stored.category_code).toBeTruthy();
    expect(stored.handling_unit).toBeTruthy();
    const title = await demo.platform.services.db.query<{ title: string }>('select title from orders where client_order_id = $1', [draftId]);
    expect(title.rows[0]!.title).toBe('公积金提取');
    expect(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents)).toBe(0);
  } finally {
    await caller.close();
    await ws.close();
  }
});

test('bad input: 100 KB pasted, a 500-character name, control characters, markup and emoji, a malformed dialled number — clear messages, nothing lost, nothing rendered as markup', async ({ workDir, demo, kamailio }) => {
  test.setTimeout(90_000);
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio, '13700137000');
  const HTML = '<img src=x onerror="window.__pwned=1"><b>加粗</b>';
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12<b>333</b>']);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    const form = page.getByTestId('order-form');
    const draftId = (await form.getAttribute('data-draft-id'))!;

    const big = '市民反映情况'.repeat(Math.ceil(100_000 / 6)).slice(0, 100_000);
    await page.getByTestId('field-content').fill(big);
    await page.getByTestId('field-callerName').fill('张'.repeat(500));
    await page.getByTestId('field-title').fill('标题\u0007响铃');
    await page.getByTestId('field-summary').fill(`${HTML} 😀👍🏻`);
    await choose(page, 'requestType-consult');
    await choose(page, 'disposition-emergency');
    await choose(page, 'emergencyLine-110');
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('field-error-content')).toHaveText('不能超过4000个字');
    await expect(page.getByTestId('field-error-callerName')).toHaveText('不能超过40个字');
    await expect(page.getByTestId('field-error-title')).toHaveText('含有不可见的控制字符');
    await expect(page.getByTestId('field-error-summary')).toHaveCount(0);
    // Nothing typed is lost: the fields keep every character, and so does the saved draft.
    expect(await page.getByTestId('field-content').inputValue()).toHaveLength(100_000);
    expect(await page.getByTestId('field-callerName').inputValue()).toHaveLength(500);
    await page.reload();
    await expect(form).toHaveAttribute('data-draft-id', draftId);
    expect(await page.getByTestId('field-content').inputValue()).toHaveLength(100_000);
    await expect(page.getByTestId('field-summary')).toHaveValue(`${HTML} 😀👍🏻`);

    // Corrected, it goes: the markup and the emoji are text, stored and shown as typed.
    await page.getByTestId('field-content').fill(big.slice(0, 4000));
    await page.getByTestId('field-callerName').fill('张三');
    await page.getByTestId('field-title').fill(`标题 ${HTML}`);
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('order-submitted')).toBeVisible();
    const stored = await platformOrder(demo, draftId);
    expect(stored.emergency_line).toBe('110');
    const title = await demo.platform.services.db.query<{ title: string }>('select title from orders where client_order_id = $1', [draftId]);
    expect(title.rows[0]!.title).toBe(`标题 ${HTML}`);
    await page.getByTestId('open-my-orders').click();
    await expect(page.getByTestId('my-orders')).toContainText(`标题 ${HTML}`);
    expect(await page.evaluate(() => ({ images: document.querySelectorAll('img[src="x"]').length, bold: document.querySelectorAll('main b').length, pwned: (window as unknown as { __pwned?: number }).__pwned }))).toEqual({
      images: 0,
      bold: 0,
      pwned: undefined,
    });
  } finally {
    await caller.close();
    await ws.close();
  }
});

test('并单: a caller with an open order on the platform — the form offers it, and this call is added to that order as a follow-up instead of a new order', async ({ workDir, demo, kamailio }) => {
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio);
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    // The seeded history has one open order for this caller: it is offered.
    const candidate = page.getByTestId('merge-candidate');
    await expect(candidate).toHaveCount(1);
    const orderNo = (await candidate.getAttribute('data-order-no'))!;
    const before = await demo.platform.services.db.query<{ id: string; follow_up_count: number }>('select id, follow_up_count from orders where order_no = $1', [orderNo]);
    await page.getByTestId(`merge-into-${orderNo}`).click();
    await expect(page.getByTestId('merge-banner')).toContainText(orderNo);
    await page.getByTestId('field-content').fill('来电人再次来电催问处理进度。');
    const draftId = (await page.getByTestId('order-form').getAttribute('data-draft-id'))!;
    await page.getByTestId('order-submit').click();
    await expect(page.getByTestId('order-submitted')).toContainText(orderNo);

    // On the platform: a follow-up on that order, and no new order for this call.
    await expect
      .poll(async () => (await demo.platform.services.db.query<{ n: number }>('select follow_up_count as n from orders where order_no = $1', [orderNo])).rows[0]!.n, { timeout: 15_000 })
      .toBe(before.rows[0]!.follow_up_count + 1);
    const followUps = await demo.platform.services.db.query<{ n: string }>('select count(*)::text as n from order_follow_ups where order_id = $1', [before.rows[0]!.id]);
    expect(Number(followUps.rows[0]!.n)).toBeGreaterThanOrEqual(1);
    const created = await demo.platform.services.db.query('select 1 from orders where client_order_id = $1', [draftId]);
    expect(created.rows).toHaveLength(0);
  } finally {
    await caller.close();
    await ws.close();
  }
});

test('the platform goes down: the next call still pops at once with this seat’s own orders, and says the platform part is unavailable', async ({ workDir, kamailio }) => {
  test.setTimeout(90_000);
  // A platform of its own: this test stops it.
  const own = await startPlatformServer({ accounts: 'demo-city' });
  const key = crypto.randomBytes(32);
  const ws = await startSeat(workDir, own, kamailio, key);
  const caller = await citizen(workDir, kamailio, '13700137000');
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    await expect(page.getByTestId('pop-platform-unavailable')).toHaveCount(0);
    await choose(page, 'requestType-help');
    await page.getByTestId('field-title').fill('楼道灯不亮');
    await page.getByTestId('field-content').fill('来电人反映楼道灯不亮。');
    await choose(page, 'disposition-answered');
    await pick(page, 'knowledgeArticleId', 'kb-0002');
    await page.getByTestId('order-submit').click();
    await expect(page.locator('[data-testid="status-outbox"][data-pending="0"]')).toBeVisible({ timeout: 15_000 });
    await page.getByTestId('hangup').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话结束');
    await expect.poll(() => caller.state()).toBe('Terminated');

    await own.close();
    await page.getByTestId('agent-state-select').click();
    await page.getByTitle('就绪', { exact: true }).click();
    await caller.call('8001', ['X-Dialled-Number: 12345']);
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
    const pop = page.getByTestId('pop');
    await expect(pop.getByTestId('pop-platform-unavailable')).toBeVisible({ timeout: 15_000 });
    await expect(pop.getByTestId('pop-history')).toContainText('楼道灯不亮');
    await expect(pop.getByTestId('pop-number')).toHaveText('137****7000');

    // The knowledge base's offline copy answers with the platform down: 即时答复 still picks an article.
    await page.getByTestId('answer').click();
    await choose(page, 'disposition-answered');
    await pick(page, 'knowledgeArticleId', '社保参保');
    await expect(page.getByTestId('knowledge-article-note')).toContainText(/kb-\d{4}/);
    await expect(page.getByTestId('knowledge-copy')).not.toHaveAttribute('data-count', '0');
  } finally {
    await caller.close();
    await ws.close();
    await own.close().catch(() => undefined);
  }

  // A restart with the platform still down: the form works from the reference data kept on disk.
  const again = await launchWorkstation({ dir: workDir, encryptionKey: key });
  try {
    const { page } = again;
    await expect(page.getByTestId('reference-stale')).toBeVisible();
    await page.getByTestId('order-new').click();
    await choose(page, 'requestType-complaint');
    await expect(page.getByTestId('deadline-preview')).toContainText('15 个工作日');
    await page.locator('#order-field-categoryCode').focus();
    await page.keyboard.type('gjj');
    await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toContainText('公积金');
    await page.keyboard.press('Escape');
    await choose(page, 'disposition-dispatched');
    await page.locator('#order-field-handlingUnit').focus();
    await page.keyboard.type('人力');
    await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toContainText('人力资源和社会保障');
  } finally {
    await again.close();
  }
});
