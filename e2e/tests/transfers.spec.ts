/**
 * In-call features through a real Kamailio with real WebRTC media: DTMF, blind and attended
 * transfer (双向一键转接), the three-way conference (三方通话) and call waiting. Every party plays
 * its own tone, and the parties' ears (Web Audio FFT) say who hears whom.
 */
import { test as base, expect } from '../support/fixtures';
import { closeTransferParties, expectHears, lineLevel, setReady, startAgent, startParty, startTransferParties, TONES, type TransferParties } from '../support/call-parties';

type Parties = TransferParties;

/** Workstation, a caller and the 12366 sub-center seat; the caller is already talking to the agent. */
const test = base.extend<{ parties: Parties }>({
  parties: async ({ workDir, platform, kamailio }, use) => {
    const parties = await startTransferParties({ workDir, platform, kamailio });
    await use(parties);
    await closeTransferParties(parties);
  },
});

/** Agent consults the sub-center: the caller waits on hold, the agent and 12366 talk. */
async function consultSubcenter({ ws, caller, subcenter }: Parties): Promise<void> {
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('12366');
  await ws.page.getByTestId('transfer-consult').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  await expect.poll(() => subcenter.hasIncoming()).toBe(true);
  await subcenter.answer();
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"]')).toHaveCount(1);
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="held"]')).toHaveCount(1);
  await expectHears(subcenter, [TONES.agent]);
  // On hold the caller hears nothing (neither the agent nor the consultation).
  await expectHears(caller, []);
}

test('DTMF: keypad digits reach the far end as RFC 4733 events, and as SIP INFO when configured', async ({ parties: { ws, caller } }) => {
  test.setTimeout(90_000);
  await ws.page.getByTestId('keypad-toggle').click();
  await ws.page.getByTestId('dtmf-5').click();
  await ws.page.getByTestId('dtmf-hash').click();
  await expect(ws.page.getByTestId('dtmf-sent')).toContainText('5#');
  // The caller's jitter buffer plays the telephone-events out as tones: heard, not sent as INFO.
  await expect.poll(async () => (await caller.dtmf()).audio, { timeout: 10_000 }).toBe('5#');
  expect((await caller.dtmf()).info).toBe('');

  await ws.core.settings.set({ section: 'calls', value: { ...ws.core.settings.get('calls'), dtmfMode: 'info' } });
  await expect.poll(() => ws.page.evaluate(() => document.querySelector('[data-testid="dtmf-1"]') !== null)).toBe(true);
  await ws.page.getByTestId('dtmf-1').click();
  await expect.poll(async () => (await caller.dtmf()).info, { timeout: 10_000 }).toBe('1');
  expect((await caller.dtmf()).audio).toBe('5#');
});

test('blind transfer: the caller ends up talking to the sub-center and the agent is freed once it answered', async ({ parties: { ws, caller, subcenter } }) => {
  test.setTimeout(90_000);
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('12366');
  await ws.page.getByTestId('transfer-blind').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  // The seat keeps the caller (on hold) while the target rings: 转接中, not yet 已转接.
  await expect.poll(() => subcenter.hasIncoming()).toBe(true);
  await expect(ws.page.getByTestId('transfer-status')).toContainText('转接中（振铃中）');
  await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('话后整理');

  await subcenter.answer();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.getByTestId('end-reason')).toContainText('已转接 → 12366');
  await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  await expect.poll(() => caller.remote()).toBe('12366');
  await expectHears(caller, [TONES.subcenter]);
  await expectHears(subcenter, [TONES.caller1]);
});

test('attended transfer: consult with the caller on hold, then hand the caller over (REFER with Replaces)', async ({ parties }) => {
  test.setTimeout(120_000);
  const { ws, caller, subcenter } = parties;
  await consultSubcenter(parties);
  await ws.page.getByTestId('transfer-complete').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.locator('[data-testid="call-line"]')).toHaveCount(0);
  await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  await expect.poll(() => caller.remote()).toBe('12366');
  await expectHears(caller, [TONES.subcenter]);
  await expectHears(subcenter, [TONES.caller1]);
});

test('three-way conference: each party hears the other two; the agent leaves and the two remain', async ({ parties }) => {
  test.setTimeout(120_000);
  const { ws, caller, subcenter } = parties;
  await consultSubcenter(parties);
  await ws.page.getByTestId('conference').click();
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"]')).toHaveCount(2);
  await expectHears(caller, [TONES.agent, TONES.subcenter]);
  await expectHears(subcenter, [TONES.agent, TONES.caller1]);
  // The agent hears both parties on their own lines.
  await expect.poll(() => lineLevel(ws, 'caller1'), { timeout: 15_000 }).toBeGreaterThan(0.1);
  await expect.poll(() => lineLevel(ws, '12366'), { timeout: 15_000 }).toBeGreaterThan(0.1);

  await ws.page.getByTestId('transfer-complete').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect.poll(() => caller.remote()).toBe('12366');
  await expectHears(caller, [TONES.subcenter]);
  await expectHears(subcenter, [TONES.caller1]);
});

test('three-way conference: dropping the sub-center leaves the agent and the caller talking', async ({ parties }) => {
  test.setTimeout(120_000);
  const { ws, caller, subcenter } = parties;
  await consultSubcenter(parties);
  await ws.page.getByTestId('conference').click();
  await expectHears(caller, [TONES.agent, TONES.subcenter]);
  await ws.page.locator('[data-testid="call-line"][data-remote="12366"] [data-testid="line-drop"]').click();
  await expect.poll(() => subcenter.state()).toBe('Terminated');
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectHears(caller, [TONES.agent]);
  await expect.poll(() => lineLevel(ws), { timeout: 15_000 }).toBeGreaterThan(0.1);
});

test('call waiting: a second call rings during a call; answering it holds the first', async ({ workDir, platform, kamailio, parties: { ws, caller } }) => {
  test.setTimeout(120_000);
  const second = await startParty({ workDir, platform, kamailio }, 'caller2');
  try {
    await second.call('8001');
    await expect(ws.page.locator('[data-testid="call-line"][data-call-state="ringing"]')).toHaveCount(1);
    // The first call is untouched while the second waits.
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await ws.page.getByTestId('line-answer').click();
    await expect(ws.page.locator('[data-testid="call-line"][data-call-state="held"]')).toHaveCount(1);
    await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"][data-remote="caller2"]')).toHaveCount(1);
    await expectHears(second, [TONES.agent]);
    await expectHears(caller, []);

    // The agent finishes with the second caller and goes back to the first.
    await ws.page.getByTestId('hangup').click();
    await expect.poll(() => second.state()).toBe('Terminated');
    await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
    await ws.page.getByTestId('hold').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expectHears(caller, [TONES.agent]);
  } finally {
    await second.close();
  }
});

test('a colleague transfers a caller to this seat after consulting: the INVITE with Replaces takes over the line', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(120_000);
  const env = { workDir, platform, kamailio };
  const [ws, caller, colleague] = await Promise.all([startAgent(env), startParty(env, 'caller2'), startParty(env, 'colleague')]);
  try {
    await setReady(ws);
    await caller.call('8002');
    await expect.poll(() => colleague.hasIncoming()).toBe(true);
    await colleague.answer();
    // The colleague consults this seat (the caller stays on the colleague's other line).
    await colleague.call('8001');
    await ws.page.getByTestId('answer').click();
    await expect(ws.page.getByTestId('caller-number')).toContainText('8002');
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    // This seat shows the call once its 200 OK has left; the colleague's phone must have it too.
    await expect.poll(() => colleague.state()).toBe('Established');

    await colleague.attendedTransfer();
    await expect(ws.page.getByTestId('caller-number')).toContainText('caller2');
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expectHears(caller, [TONES.agent]);
    await expect.poll(() => lineLevel(ws), { timeout: 15_000 }).toBeGreaterThan(0.1);
    await expect.poll(() => colleague.state()).toBe('Terminated');
    await expect(ws.page.getByTestId('agent-state')).toContainText('通话中');
  } finally {
    await Promise.all([caller.close(), colleague.close()]);
    await ws.close();
  }
});
