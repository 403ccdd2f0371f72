/**
 * Calls through a real Kamailio with real WebRTC media: a caller (bare SIP.js in its own
 * Chromium, 1 kHz tone) and the workstation (440 Hz tone). Audio levels from getStats show who
 * hears whom.
 */
import type { Page } from '@playwright/test';
import { test as base, expect } from '../support/fixtures';
import type { LaunchedWorkstation } from '../support/bridge';
import type { SipPeer } from '../support/sip-peer';
import { HOSTILE_NAME, setReady, startAgent, startParty } from '../support/call-parties';

/** A registered workstation and a caller, closed after each test. */
const test = base.extend<{ line: { ws: LaunchedWorkstation; caller: SipPeer } }>({
  line: async ({ workDir, platform, kamailio }, use) => {
    const env = { workDir, platform, kamailio };
    const ws = await startAgent(env);
    const caller = await startParty(env, 'caller1', HOSTILE_NAME);
    await use({ ws, caller });
    await caller.close();
    await ws.close();
  },
});

test('inbound call: screen pop shows the caller as text, answer gives two-way audio, caller hangs up', async ({ line: { ws, caller } }) => {
  test.setTimeout(90_000);
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await expect(ws.page.getByTestId('caller-name')).toHaveText(HOSTILE_NAME);
  await expect(ws.page.getByTestId('caller-number')).toContainText('caller1');

  // Answered with the global shortcut, as from another application.
  expect(ws.ports.press('CommandOrControl+Shift+A')).toBe(true);
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expect(ws.page.getByTestId('agent-state')).toContainText('通话中');
  expect(ws.ports.record.blockers.size).toBe(1);
  // The agent hears the caller's tone, and the caller hears the agent's.
  await expect.poll(async () => Number(await ws.page.getByTestId('far-end-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(0.1);
  await expect.poll(() => caller.inboundLevel(), { timeout: 15_000 }).toBeGreaterThan(0.1);

  await caller.hangup();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  expect(ws.ports.record.blockers.size).toBe(0);
  expect(await ws.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

/** A second hostile caller (call waiting), with another sink: no double quote (see HOSTILE_NAME). */
const HOSTILE_NAME_2 = '<svg onload=window.__pwned=2><b>李四</b>';

/** Nothing a display name carried became an element or ran, anywhere in the window (portals included). */
async function expectNoInjection(page: Page, where: string): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), `window.__pwned ${where}`).toBeUndefined();
  await expect(page.locator('img[src="x"], img[onerror], svg[onload], b:text-is("李四")'), `injected elements ${where}`).toHaveCount(0);
  expect(await page.evaluate(() => document.querySelectorAll('img').length), `no <img> at all ${where}`).toBe(0);
}

test('hostile display names are shown as text wherever a caller is shown: card, tooltip, lines, notifications, call log', async ({ workDir, platform, kamailio, line: { ws, caller } }) => {
  test.setTimeout(120_000);
  const { page } = ws;
  const second = await startParty({ workDir, platform, kamailio }, 'caller2', HOSTILE_NAME_2);
  try {
    await setReady(ws);
    // The window is in the background, so each ringing call is also announced by the OS.
    await page.evaluate(() => Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }));
    await caller.call('8001');
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');

    // Call card: the name as text, its full form in the attribute and in the tooltip.
    await expect(page.getByTestId('caller-name')).toHaveText(HOSTILE_NAME);
    await expect(page.getByTestId('caller-name')).toHaveAttribute('data-full-name', HOSTILE_NAME);
    await expect(page.getByTestId('caller-number')).toHaveText('caller1');
    await expect(page.getByTestId('call-card').getByText(HOSTILE_NAME, { exact: true })).toHaveCount(1);
    await page.getByTestId('caller-name').hover();
    await expect(page.getByTestId('caller-name-full')).toHaveText(HOSTILE_NAME);
    await expect(page.getByTestId('caller-name-full').locator('*')).toHaveCount(0);
    await expectNoInjection(page, 'while ringing (card and tooltip)');

    // The OS notification carries no name at all (and so no markup).
    await expect.poll(() => ws.ports.record.notifications.length).toBeGreaterThan(0);
    await page.getByTestId('answer').click();
    await expect(page.getByTestId('call-state')).toHaveText('通话中');
    await expectNoInjection(page, 'talking');

    // A second caller while talking (call waiting): both lines are listed by name.
    await second.call('8001');
    await expect(page.getByTestId('call-lines')).toBeVisible();
    const names = page.getByTestId('line-name');
    await expect(names).toHaveCount(2);
    await expect(names.filter({ hasText: HOSTILE_NAME })).toHaveCount(1);
    await expect(names.filter({ hasText: HOSTILE_NAME_2 })).toHaveCount(1);
    for (const n of await names.all()) await expect(n.locator('*')).toHaveCount(0);
    await expectNoInjection(page, 'with two lines');
    await expect.poll(() => ws.ports.record.notifications.length).toBeGreaterThan(1);
    for (const n of ws.ports.record.notifications) {
      expect(`${n.title} ${n.body}`, 'notification').not.toMatch(/[<>]|张三|李四/);
    }

    await second.hangup();
    await expect(page.getByTestId('line-name')).toHaveCount(0);
    await caller.hangup();
    await expect(page.getByTestId('call-state')).toHaveText('通话结束');
    // After the call the card still names the caller, as text.
    await expect(page.getByTestId('caller-name')).toHaveText(HOSTILE_NAME);
    await expectNoInjection(page, 'after the call');

    // The call log drawer: both calls, names as text.
    await page.getByTestId('open-call-log').click();
    const logNames = page.getByTestId('call-log-name');
    await expect(logNames).toHaveCount(2);
    await expect(logNames.filter({ hasText: HOSTILE_NAME })).toHaveCount(1);
    await expect(logNames.filter({ hasText: HOSTILE_NAME_2 })).toHaveCount(1);
    for (const n of await logNames.all()) await expect(n.locator('*')).toHaveCount(0);
    await expectNoInjection(page, 'in the call log');
  } finally {
    await second.close();
  }
});

test('reject while ringing, and the caller giving up while ringing', async ({ line: { ws, caller } }) => {
  test.setTimeout(90_000);
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await ws.page.getByTestId('hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect.poll(() => caller.state()).toBe('Terminated');
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('话后整理');

  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await caller.hangup();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
});

test('a call offered while not ready is refused busy and never rings', async ({ line: { ws, caller } }) => {
  test.setTimeout(60_000);
  await expect(ws.page.getByTestId('agent-state')).toContainText('未就绪');
  await caller.call('8001');
  await expect.poll(() => caller.state()).toBe('Terminated');
  await expect(ws.page.getByTestId('call-card')).toHaveCount(0);
});

test('outbound call to a sub-center line (Opus by default), hold and resume, mute and unmute, agent hangs up, calls back from the screen pop', async ({ workDir, platform, kamailio, line: { ws } }) => {
  test.setTimeout(90_000);
  const subcenter = await startParty({ workDir, platform, kamailio }, 'subcenter');
  try {
    // Invalid numbers never leave the workstation.
    await ws.page.getByTestId('dial-input').fill('12');
    await ws.page.getByTestId('dial').click();
    await expect(ws.page.getByText('号码格式不正确')).toBeVisible();

    await ws.page.getByTestId('dial-input').fill('12366');
    await ws.page.getByTestId('dial').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText(/正在呼叫|对方振铃/);
    await expect.poll(() => subcenter.hasIncoming()).toBe(true);
    await subcenter.answer();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expect.poll(() => subcenter.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);
    expect(await subcenter.inboundCodec()).toBe('audio/opus');

    await ws.page.getByTestId('hold').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
    await expect.poll(() => subcenter.heardPower(), { timeout: 15_000 }).toBeLessThan(0.0005);
    await ws.page.getByTestId('hold').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expect.poll(() => subcenter.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);

    await ws.page.getByTestId('mute').click();
    await expect(ws.page.getByTestId('mute')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => subcenter.heardPower(), { timeout: 15_000 }).toBeLessThan(0.0005);
    await ws.page.getByTestId('mute').click();
    await expect.poll(() => subcenter.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);

    // Hung up with the global shortcut.
    expect(ws.ports.press('CommandOrControl+Shift+H')).toBe(true);
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
    await expect.poll(() => subcenter.state()).toBe('Terminated');

    // The finished call's number calls back from the screen pop (click-to-dial).
    await ws.page.getByTestId('caller-number').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText(/正在呼叫|对方振铃/);
    await expect.poll(() => subcenter.hasIncoming()).toBe(true);
    await expect(ws.page.getByTestId('caller-number')).not.toHaveAttribute('data-dialable');
    await ws.page.getByTestId('hangup').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  } finally {
    await subcenter.close();
  }
});

test('the codec preference decides what is sent, whether the workstation calls or answers', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(90_000);
  const env = { workDir, platform, kamailio };
  const [ws, caller, subcenter] = await Promise.all([startAgent(env, {}, { codecs: ['PCMA', 'PCMU'] }), startParty(env, 'caller1'), startParty(env, 'subcenter')]);
  try {
    // Offer: A-law listed first (Opus and G.722 not offered), so the sub-center picks it.
    await ws.page.getByTestId('dial-input').fill('12366');
    await ws.page.getByTestId('dial').click();
    await expect.poll(() => subcenter.hasIncoming()).toBe(true);
    await subcenter.answer();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expect.poll(() => subcenter.inboundCodec(), { timeout: 15_000 }).toBe('audio/PCMA');
    await ws.page.getByTestId('hangup').click();
    await expect.poll(() => subcenter.state()).toBe('Terminated');

    // Answer: the caller offers Opus first; the workstation's answer picks A-law.
    await setReady(ws);
    await caller.call('8001');
    await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
    await ws.page.getByTestId('answer').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expect.poll(() => caller.inboundCodec(), { timeout: 15_000 }).toBe('audio/PCMA');
    await expect.poll(async () => Number(await ws.page.getByTestId('far-end-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(0.1);
  } finally {
    await Promise.all([caller.close(), subcenter.close()]);
    await ws.close();
  }
});
