/**
 * A call whose media is not what the screen would suggest (issue 9): a far end that answers but
 * sends no audio, audio that stops mid-call, and a hold the far end refuses. Real Kamailio, real
 * WebRTC: the caller is a bare SIP.js party in its own Chromium that can take its audio off its
 * sender (no RTP at all) and refuse re-INVITEs.
 */
import { test as base, expect } from '../support/fixtures';
import type { LaunchedWorkstation } from '../support/bridge';
import type { SipPeer } from '../support/sip-peer';
import { setReady, startAgent, startParty } from '../support/call-parties';

/** The no-media warning timeout configured for these tests (calls.noMediaWarningS). */
const NO_MEDIA_S = 2;
/** Slack over the timeout: one 500 ms stats sample, the render, the test's polling. */
const SLACK_MS = 2000;

const test = base.extend<{ line: { ws: LaunchedWorkstation; caller: SipPeer } }>({
  line: async ({ workDir, platform, kamailio }, use) => {
    const env = { workDir, platform, kamailio };
    const [ws, caller] = await Promise.all([startAgent(env, { noMediaWarningS: NO_MEDIA_S }), startParty(env, 'caller1')]);
    await use({ ws, caller });
    await caller.close();
    await ws.close();
  },
});

/** The caller calls the seat and the agent answers. */
async function answeredCall(ws: LaunchedWorkstation, caller: SipPeer): Promise<void> {
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await ws.page.getByTestId('answer').click();
}

type Diagnostic = 'noMediaWarnings' | 'mediaRetries' | 'holdRefusals' | 'noMedia-noPackets' | 'noMedia-mediaStopped' | 'noMedia-iceDisconnected';

/** Settings → 来电处理 → 通话诊断 shows these counts of this session; the drawer is closed again. */
async function expectDiagnostics(ws: LaunchedWorkstation, counts: Partial<Record<Diagnostic, number>>): Promise<void> {
  const { page } = ws;
  await page.getByTestId('open-settings').click();
  const drawer = page.locator('.ant-drawer-open');
  await drawer.getByRole('tab', { name: '来电处理', exact: true }).click();
  const block = drawer.getByTestId('call-diagnostics');
  await expect(block).toContainText('通话诊断');
  await expect(block).toContainText('无声音告警');
  for (const [key, n] of Object.entries(counts)) await expect(block.getByTestId(`diag-${key}`), key).toHaveText(String(n));
  await drawer.locator('.ant-drawer-close').click();
  await expect(page.getByTestId('call-diagnostics')).toHaveCount(0);
}

test('a far end that answers but sends no media: the warning appears within the configured time, quality is not good', async ({ line: { ws, caller } }) => {
  test.setTimeout(90_000);
  const warning = ws.page.getByTestId('no-media-warning');
  await caller.setSendNoMedia(true);
  await answeredCall(ws, caller);
  await expect.poll(() => caller.state()).toBe('Established');
  const answeredAt = Date.now();
  await expect(warning).toBeVisible({ timeout: NO_MEDIA_S * 1000 + SLACK_MS });
  expect(Date.now() - answeredAt).toBeLessThan(NO_MEDIA_S * 1000 + SLACK_MS);
  await expect(warning).toHaveAttribute('data-reason', 'noPackets');
  await expect(warning).toContainText('对方无声音');
  await expect(warning.getByTestId('no-media-retry')).toHaveText(/重\s?试/);
  await expect(warning.getByTestId('no-media-hangup')).toHaveText(/挂\s?断/);
  // Not a packet left the caller (the seat heard nothing), and the network is not shown as good.
  expect(await caller.packetsSent()).toBe(0);
  await expect(ws.page.getByTestId('call-quality')).toHaveAttribute('data-grade', 'noMedia');
  await expect(ws.page.getByTestId('call-quality')).toHaveText('无音频');
  // The warning stays while nothing arrives, and its hang-up action ends the call. "Stays" can only
  // be observed over time: a window of three watchdog samples (twice a second), not a sync wait.
  await ws.page.waitForTimeout(1500);
  await expect(warning).toBeVisible();
  await expect(ws.page.getByTestId('call-quality')).not.toHaveAttribute('data-grade', 'good');
  // Counted once in the diagnostics (not once per sample while it stays), under its reason.
  await expectDiagnostics(ws, { noMediaWarnings: 1, 'noMedia-noPackets': 1, 'noMedia-mediaStopped': 0, 'noMedia-iceDisconnected': 0, mediaRetries: 0, holdRefusals: 0 });
  await expect(warning).toBeVisible();
  await warning.getByTestId('no-media-hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect.poll(() => caller.state()).toBe('Terminated');
});

test('media that stops mid-call: the same warning; retry re-INVITEs with an ICE restart; audio back clears it', async ({ line: { ws, caller } }) => {
  test.setTimeout(90_000);
  const warning = ws.page.getByTestId('no-media-warning');
  await answeredCall(ws, caller);
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expect.poll(async () => Number(await ws.page.getByTestId('far-end-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(0.1);
  await expect(ws.page.getByTestId('call-quality')).toHaveAttribute('data-grade', 'good', { timeout: 10_000 });
  await expect(warning).toHaveCount(0);

  await caller.stopMedia();
  const stoppedAt = Date.now();
  // The caller's RTP really stops (getStats: packets sent no longer grow).
  const sent = await caller.packetsSent();
  await expect(warning).toBeVisible({ timeout: NO_MEDIA_S * 1000 + SLACK_MS });
  expect(Date.now() - stoppedAt).toBeLessThan(NO_MEDIA_S * 1000 + SLACK_MS);
  expect(await caller.packetsSent()).toBeLessThanOrEqual(sent + 1);
  await expect(warning).toHaveAttribute('data-reason', 'mediaStopped');
  await expect(ws.page.getByTestId('call-quality')).toHaveAttribute('data-grade', 'noMedia');
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');

  // Retry: a re-INVITE with an ICE restart, accepted by the far end; the call goes on.
  await warning.getByTestId('no-media-retry').click();
  await expect(ws.page.getByText('重试失败')).toHaveCount(0);
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  // Still nothing from the caller: the warning comes back within the time allowed after the re-INVITE.
  await expect(warning).toBeVisible({ timeout: NO_MEDIA_S * 1000 + SLACK_MS + 3000 });
  // The diagnostics count both warnings and the retry: media stopped, then (the re-INVITE starts
  // the clock again, and nothing came since) no packets.
  await expectDiagnostics(ws, { noMediaWarnings: 2, 'noMedia-mediaStopped': 1, 'noMedia-noPackets': 1, 'noMedia-iceDisconnected': 0, mediaRetries: 1, holdRefusals: 0 });

  // The caller sends again: the warning goes and the quality recovers.
  await caller.resumeMedia();
  await expect(warning).toHaveCount(0, { timeout: 5000 });
  await expect(ws.page.getByTestId('call-quality')).not.toHaveAttribute('data-grade', 'noMedia', { timeout: 5000 });
  await expect.poll(async () => Number(await ws.page.getByTestId('far-end-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(0.1);
  await ws.page.getByTestId('hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
});

test('hold refused by the far end (488): pending while it waits, then back to talking with the reason; a refused resume stays on hold', async ({ line: { ws, caller } }) => {
  test.setTimeout(90_000);
  const state = ws.page.getByTestId('call-state');
  const hold = ws.page.getByTestId('hold');
  await answeredCall(ws, caller);
  await expect(state).toHaveText('通话中');
  await expect.poll(() => caller.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);

  // The hold re-INVITE is refused after a second: until then the screen says it is pending.
  await caller.rejectReinvites(488, 1000);
  await hold.click();
  await expect(state).toHaveText('保持中…');
  await expect(hold).toContainText('保持中…');
  await expect(hold).toBeDisabled();
  await expect(state).toHaveText('通话中');
  await expect(ws.page.getByTestId('hold-refused')).toContainText('对方未接受保持');
  await expect(ws.page.getByTestId('hold-refused')).toContainText('488');
  await expect(hold).toBeEnabled();
  await expect(hold).toHaveAttribute('aria-pressed', 'false');
  // Never on hold: the caller keeps hearing the agent.
  await expect.poll(() => caller.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);

  // Accepted this time: on hold for real, the refusal message goes.
  await caller.rejectReinvites(0);
  await hold.click();
  await expect(state).toHaveText('保持中');
  await expect(ws.page.getByTestId('hold-refused')).toHaveCount(0);
  await expect.poll(() => caller.heardPower(), { timeout: 15_000 }).toBeLessThan(0.0005);
  // On hold no audio is expected: no warning. An absence, observed over a window longer than the
  // warning's own timeout (not a sync wait).
  await ws.page.waitForTimeout(NO_MEDIA_S * 1000 + 1000);
  await expect(ws.page.getByTestId('no-media-warning')).toHaveCount(0);

  // The resume is refused: 恢复中… then back on hold, with the reason.
  await caller.rejectReinvites(488, 1000);
  await hold.click();
  await expect(state).toHaveText('恢复中…');
  await expect(state).toHaveText('保持中');
  await expect(ws.page.getByTestId('hold-refused')).toContainText('对方未接受恢复');
  await expect(ws.page.getByTestId('hold-refused')).toContainText('488');

  // And accepted: talking again, both ways.
  await caller.rejectReinvites(0);
  await hold.click();
  await expect(state).toHaveText('通话中');
  await expect.poll(() => caller.heardPower(), { timeout: 15_000 }).toBeGreaterThan(0.01);
  await expect(ws.page.getByTestId('no-media-warning')).toHaveCount(0);
  await ws.page.getByTestId('hangup').click();
  await expect(state).toHaveText('通话结束');
  // Both refusals (the hold and the resume) are in the diagnostics; no warning was.
  await expectDiagnostics(ws, { holdRefusals: 2, noMediaWarnings: 0, mediaRetries: 0 });
});
