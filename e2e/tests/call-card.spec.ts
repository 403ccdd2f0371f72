/**
 * The call strip and card as an agent sees them at 1440×900 in zh-CN: the caller's name and
 * number first, the full name reachable, no registrar token as the dialled number, controls that
 * stay where they are through ringing → talking → muted → held, a 3×4 keypad that leaves the
 * caller's number visible, the keys on the buttons and in the window, the agent asked for a state
 * at sign-in. Screenshots of the ringing, talking, muted, held and after-call states are saved to
 * the artifacts folder, and to docs/ (linked from the README) with UPDATE_DOCS_SCREENSHOTS=1.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { test as base, expect } from '../support/fixtures';
import type { LaunchedWorkstation } from '../support/bridge';
import type { SipPeer } from '../support/sip-peer';
import { setReady, startAgent, startParty } from '../support/call-parties';
import { ARTIFACTS_DIR, REPO_ROOT } from '../support/paths';

// 200 characters, no double quote (SIP.js would put it unescaped in From).
const LONG_NAME = `${'市民来电张先生关于小区供暖问题'.repeat(13)}王五六七八`.slice(0, 200);

const test = base.extend<{ line: { ws: LaunchedWorkstation; caller: SipPeer } }>({
  line: async ({ workDir, platform, kamailio }, use) => {
    const env = { workDir, platform, kamailio };
    const ws = await startAgent(env);
    const caller = await startParty(env, 'caller1', LONG_NAME);
    await use({ ws, caller });
    await caller.close();
    await ws.close();
  },
});

const CONTROLS = ['answer', 'hangup', 'hold', 'mute'] as const;

async function boxes(page: Page): Promise<Record<string, { x: number; y: number; width: number; height: number } | null>> {
  const out: Record<string, { x: number; y: number; width: number; height: number } | null> = {};
  for (const id of CONTROLS) out[id] = await page.getByTestId(id).boundingBox();
  return out;
}

async function screenshot(page: Page, name: string): Promise<void> {
  // The mouse off the controls, so no tooltip covers the card.
  await page.mouse.move(700, 880);
  await expect(page.locator('.ant-tooltip:not(.ant-tooltip-hidden)')).toHaveCount(0);
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}-zh-CN.png`);
  await page.screenshot({ path: file });
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  // The README's pictures are refreshed on purpose only (UPDATE_DOCS_SCREENSHOTS=1), not by every run.
  if (process.env.UPDATE_DOCS_SCREENSHOTS) fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', `${name}-zh-CN.png`));
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** The strip's two rows each on one line, and as high as they were (no wrap at 1440 px). */
async function expectStripRows(page: Page, height?: number): Promise<number> {
  const rows = await page.locator('.softphone-strip__row').evaluateAll((els) =>
    els.map((row) => [...row.querySelectorAll(':scope > *, :scope > .ant-space > .ant-space-item')].map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))),
  );
  expect(rows).toHaveLength(2);
  for (const mids of rows) expect(Math.max(...mids) - Math.min(...mids), `row items at ${mids.join(', ')}`).toBeLessThanOrEqual(2);
  const box = await page.locator('.softphone-strip').boundingBox();
  expect(box).toBeTruthy();
  if (height !== undefined) expect(Math.round(box!.height)).toBe(height);
  return Math.round(box!.height);
}

/** Hovering `target` shows a tooltip with `text`. */
async function expectTooltip(page: Page, target: Locator, text: string): Promise<void> {
  await target.hover();
  await expect(page.locator('.ant-tooltip').filter({ hasText: text }).last()).toBeVisible();
}

test('the call card through ringing, talking, muted, held and after the call, as the agent sees it', async ({ line: { ws, caller } }) => {
  test.setTimeout(120_000);
  const { page } = ws;

  // Signed in: Not ready, and asked for a reason; the selector's name says the state.
  await expect(page.getByTestId('agent-state-select')).toHaveAttribute('data-unset', 'true');
  await expect(page.getByRole('combobox', { name: '坐席状态：未就绪 · 请选择原因' })).toBeVisible();
  await setReady(ws);
  await expect(page.getByRole('combobox', { name: '坐席状态：就绪' })).toBeVisible();
  // Not-ready time per reason this shift is shown with the state.
  await page.getByTestId('agent-state-select').click();
  await expect(page.locator('.ant-select-dropdown [data-testid="break-times"]')).toContainText('本班未就绪时长');
  await page.keyboard.press('Escape');

  await caller.call('8001');
  await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
  await expect(page.getByTestId('answer')).toBeEnabled();
  const card = page.getByTestId('call-card');

  // The row is labelled for what it is; the name is cut on the card, whole in its tooltip.
  await expect(card.locator('.ant-descriptions-item-label').first()).toHaveText('来电人');
  const shown = (await page.getByTestId('caller-name').textContent()) ?? '';
  expect([...shown].length).toBe(64);
  expect(shown.endsWith('…')).toBe(true);
  expect(LONG_NAME.startsWith(shown.slice(0, -1))).toBe(true);
  await expect(page.getByTestId('caller-name')).toHaveAttribute('data-full-name', LONG_NAME);
  await page.getByTestId('caller-name').hover();
  await expect(page.getByTestId('caller-name-full')).toHaveText(LONG_NAME);
  // The name is the most prominent text on the card: larger and bolder than the labels.
  const nameStyle = await page.getByTestId('caller-name').evaluate((e) => ({ size: parseFloat(getComputedStyle(e).fontSize), weight: Number(getComputedStyle(e).fontWeight) }));
  expect(nameStyle.size).toBeGreaterThanOrEqual(18);
  expect(nameStyle.weight).toBeGreaterThanOrEqual(600);
  await expect(page.getByTestId('caller-number')).toHaveText('caller1');
  await expect(page.getByTestId('caller-no-name')).toHaveCount(0);
  await expect(page.getByTestId('caller-withheld')).toHaveCount(0);

  // No X-Dialled-Number: the request URI's user is the registrar's contact token, never shown.
  await expect(page.getByTestId('call-dialled')).toHaveCount(0);
  await expect(card).not.toContainText('拨打号码');

  // The buttons name their keys, in the agent's notation.
  await expectTooltip(page, page.getByTestId('answer'), '接听（Ctrl+Shift+A）');
  await expect(page.getByTestId('answer')).toHaveAttribute('aria-keyshortcuts', 'Control+Shift+A');
  const stripHeight = await expectStripRows(page);
  expect(stripHeight).toBeLessThanOrEqual(90);
  await screenshot(page, 'call-ringing');
  const ringing = await boxes(page);

  // Answered with the in-window key.
  await page.keyboard.press('Control+Shift+A');
  await expect(page.getByTestId('call-state')).toHaveText('通话中');
  await expect(page.getByTestId('mute')).toBeEnabled();
  await expect(card.locator('.ant-descriptions-item-label').first()).toHaveText('来电人');
  expect(await boxes(page)).toEqual(ringing);
  await expectStripRows(page, stripHeight);
  await screenshot(page, 'call-talking');

  // The keypad: a 3×4 grid that leaves the caller's number visible.
  await page.getByTestId('keypad-toggle').click();
  await expect(page.getByTestId('keypad')).toBeVisible();
  const keys = await page.locator('[data-testid="keypad"] .keypad__grid .ant-btn').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), y: Math.round(r.y) })));
  expect(keys).toHaveLength(12);
  expect(new Set(keys.map((k) => k.x)).size).toBe(3);
  expect(new Set(keys.map((k) => k.y)).size).toBe(4);
  const keypadBox = await page.getByTestId('keypad').boundingBox();
  const numberBox = await page.getByTestId('caller-number').boundingBox();
  const nameBox = await page.getByTestId('caller-name').boundingBox();
  expect(keypadBox && numberBox && nameBox).toBeTruthy();
  expect(overlaps(keypadBox!, numberBox!)).toBe(false);
  expect(overlaps(keypadBox!, nameBox!)).toBe(false);
  // Nothing is pushed sideways: the work area does not scroll horizontally.
  expect(await page.locator('.shell__work').evaluate((e) => ({ left: e.scrollLeft, over: e.scrollWidth - e.clientWidth }))).toEqual({ left: 0, over: 0 });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'call-keypad-zh-CN.png') });
  await page.getByTestId('keypad-toggle').click();
  await expect(page.getByTestId('keypad')).toBeHidden();

  // Muted (in-window key): on the card and on the button, which stays where it was.
  await expectTooltip(page, page.getByTestId('mute'), '静音（Ctrl+Shift+M）');
  await page.keyboard.press('Control+Shift+M');
  await expect(page.getByTestId('call-muted')).toHaveText('已静音');
  await expect(page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('mute')).toHaveText('取消静音');
  await expect(page.getByTestId('mute')).toHaveClass(/ant-btn-variant-solid/);
  expect(await boxes(page)).toEqual(ringing);
  await expectStripRows(page, stripHeight);
  await screenshot(page, 'call-muted');
  await page.keyboard.press('Control+Shift+M');
  await expect(page.getByTestId('call-muted')).toHaveCount(0);

  // Held: the card says so and the button stays filled.
  await page.getByTestId('hold').click();
  await expect(page.getByTestId('call-state')).toHaveText('保持中');
  await expect(page.getByTestId('hold')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('hold')).toHaveClass(/ant-btn-variant-solid/);
  expect(await boxes(page)).toEqual(ringing);
  await expectStripRows(page, stripHeight);
  await screenshot(page, 'call-held');
  await page.getByTestId('hold').click();
  await expect(page.getByTestId('call-state')).toHaveText('通话中');

  // After the call: the caller is still named as the caller; the agent is in wrap-up.
  await caller.hangup();
  await expect(page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(page.getByTestId('agent-state')).toContainText('话后整理');
  await expect(card.locator('.ant-descriptions-item-label').first()).toHaveText('来电人');
  await expect(page.getByTestId('caller-name')).toHaveAttribute('data-full-name', LONG_NAME);
  expect(await boxes(page)).toEqual(ringing);
  // The wrap-up timer and its extend button join the first row; nothing wraps.
  await expect(page.getByTestId('extend-wrap-up')).toBeVisible();
  await expectStripRows(page, stripHeight);
  await screenshot(page, 'call-after');
  // The call log names no dialled number either.
  await page.getByTestId('open-call-log').click();
  await expect(page.getByTestId('call-log-name').first()).toBeVisible();
  await expect(page.getByText('拨打号码')).toHaveCount(0);
});

test('a caller without a name, a dialled number from the gateway; the settings tabs fit and keep the administrator settings apart', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(90_000);
  const ws = await startAgent({ workDir, platform, kamailio });
  // caller2 sends no display name.
  const caller = await startParty({ workDir, platform, kamailio }, 'caller2');
  try {
    await cardAndSettings(ws, caller);
  } finally {
    await caller.close();
    await ws.close();
  }
});

async function cardAndSettings(ws: LaunchedWorkstation, caller: SipPeer): Promise<void> {
  const { page } = ws;
  await setReady(ws);
  await caller.call('8001', ['X-Dialled-Number: 12345']);
  await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
  // No name is not a withheld number: the number is shown, and the missing name said as such.
  await expect(page.getByTestId('caller-no-name')).toHaveText('未显示姓名');
  await expect(page.getByTestId('caller-number')).toHaveText('caller2');
  await expect(page.getByTestId('caller-withheld')).toHaveCount(0);
  await expect(page.getByTestId('call-card')).not.toContainText('未显示号码');
  await expect(page.getByTestId('call-dialled')).toHaveText('12345');
  await page.getByTestId('hangup').click();
  await expect(page.getByTestId('call-state')).toHaveText('通话结束');

  await page.getByTestId('open-settings').click();
  const drawer = page.locator('.ant-drawer-open');
  // Every tab is in the bar (none behind the overflow menu), 常规 with the language included.
  const nav = await drawer.locator('.ant-tabs-nav-wrap').boundingBox();
  for (const name of ['常规', '话务线路', '来电处理', '音频设备', '中心平台', '全局快捷键']) {
    const tab = drawer.getByRole('tab', { name, exact: true });
    await expect(tab).toBeVisible();
    const tb = await tab.boundingBox();
    expect(tb && nav && tb.x >= nav.x && tb.x + tb.width <= nav.x + nav.width + 0.5, `${name} inside the tab bar`).toBe(true);
  }
  await expect(drawer.locator('.ant-tabs-nav-operations:not(.ant-tabs-nav-operations-hidden)')).toHaveCount(0);
  // ICE servers, timeouts and codecs are in the collapsed administrator section.
  await drawer.getByRole('tab', { name: '话务线路', exact: true }).click();
  await expect(page.getByTestId('sip-server')).toBeVisible();
  await expect(page.getByTestId('ice-servers')).toBeHidden();
  await drawer.getByTestId('admin-settings').getByText('管理员设置').click();
  await expect(page.getByTestId('ice-servers')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'settings-admin-zh-CN.png') });
  await drawer.getByRole('tab', { name: '来电处理', exact: true }).click();
  await expect(drawer.getByText('按键方式')).toBeHidden();
}
