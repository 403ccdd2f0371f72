/**
 * Transfer outcomes (RFC 5589 / RFC 3515) through a real Kamailio with real media: the seat
 * keeps the caller on hold until the transferee's NOTIFY sipfrag reports the target's answer.
 * A target that is busy (486) or does not answer (transfer timeout) gives the caller back to the
 * agent — both hear each other again and the agent is told why; a target that answers releases
 * the agent only once it answered.
 */
import { test as base, expect } from '../support/fixtures';
import { closeTransferParties, expectHears, lineLevel, setReady, startAgent, startParty, startTransferParties, TONES, type TransferParties } from '../support/call-parties';

type Parties = TransferParties;

/** A short transfer timeout so the no-answer case does not wait the default 30 s. */
const TRANSFER_TIMEOUT_S = 8;

const test = base.extend<{ parties: Parties }>({
  parties: async ({ workDir, platform, kamailio }, use) => {
    const parties = await startTransferParties({ workDir, platform, kamailio }, { transferTimeoutS: TRANSFER_TIMEOUT_S });
    await use(parties);
    await closeTransferParties(parties);
  },
});

async function blindTransferTo12366({ ws, caller, subcenter }: Parties): Promise<void> {
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('12366');
  await ws.page.getByTestId('transfer-blind').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  await expect.poll(() => subcenter.hasIncoming()).toBe(true);
  // 转接中 while the target rings; the caller waits on hold and is still this seat's call.
  await expect(ws.page.getByTestId('transfer-status')).toContainText('转接中（振铃中）');
  await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
  await expectHears(caller, []);
}

/** The caller is back with the agent: off hold, talking, both hear each other. */
async function callerIsBack({ ws, caller }: Parties): Promise<void> {
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expect(ws.page.getByTestId('transfer-status')).toHaveCount(0);
  await expect(ws.page.getByTestId('agent-state')).toContainText('通话中');
  await expectHears(caller, [TONES.agent]);
  await expect.poll(() => lineLevel(ws), { timeout: 15_000 }).toBeGreaterThan(0.1);
}

test('blind transfer to a busy target (486): the caller is back with the agent, who is told why', async ({ parties }) => {
  test.setTimeout(90_000);
  const { ws, subcenter } = parties;
  await blindTransferTo12366(parties);
  await subcenter.reject(486);
  await expect(ws.page.getByTestId('transfer-failed')).toContainText('对方忙');
  await expect(ws.page.getByTestId('transfer-failed')).toHaveAttribute('data-reason', 'busy');
  await callerIsBack(parties);

  // The call log: an answered call with the failed attempt on it (not 'transferred').
  await ws.page.getByTestId('hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await ws.page.getByTestId('open-call-log').click();
  await expect(ws.page.getByTestId('call-log-row')).toHaveCount(1);
  await expect(ws.page.getByTestId('call-log-row').first()).toHaveAttribute('data-result', 'answered');
  await expect(ws.page.getByTestId('call-log-transfer-failed')).toContainText('12366');
  await expect(ws.page.getByTestId('call-log-transfer-failed')).toContainText('对方忙');
});

test('blind transfer to a target that does not answer: after the transfer timeout the caller is back with the agent', async ({ parties }) => {
  test.setTimeout(90_000);
  const { ws, subcenter } = parties;
  await blindTransferTo12366(parties);
  await expect(ws.page.getByTestId('transfer-failed')).toContainText('无人接听', { timeout: (TRANSFER_TIMEOUT_S + 10) * 1000 });
  await expect(ws.page.getByTestId('transfer-failed')).toHaveAttribute('data-reason', 'timeout');
  // Still ringing there: nobody answered, and the agent did not let the caller go.
  expect(await subcenter.hasIncoming()).toBe(true);
  await callerIsBack(parties);
});

test('blind transfer the caller refuses (REFER 603): the caller is back with the agent, who is told the transfer was refused', async ({ parties }) => {
  test.setTimeout(90_000);
  const { ws, caller, subcenter } = parties;
  await caller.refuseRefers(603);
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('12366');
  await ws.page.getByTestId('transfer-blind').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  await expect(ws.page.getByTestId('transfer-failed')).toContainText('转接被拒绝');
  await expect(ws.page.getByTestId('transfer-failed')).toHaveAttribute('data-reason', 'referRejected');
  expect(await subcenter.hasIncoming()).toBe(false);
  await callerIsBack(parties);
});

test('blind transfer to a target that answers: the agent is released only after the answer', async ({ parties }) => {
  test.setTimeout(90_000);
  const { ws, caller, subcenter } = parties;
  await blindTransferTo12366(parties);
  // The target rings (its 180 came after the REFER's 202): the agent's call stays 转接中 (not 已转接, not wrap-up).
  await expect(ws.page.getByTestId('transfer-status')).toContainText('转接中');
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('话后整理');
  expect(await caller.state()).not.toBe('Terminated');

  await subcenter.answer();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.getByTestId('end-reason')).toContainText('已转接 → 12366');
  await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  await expect.poll(() => caller.remote()).toBe('12366');
  await expectHears(caller, [TONES.subcenter]);
  await expectHears(subcenter, [TONES.caller1]);
  await ws.page.getByTestId('open-call-log').click();
  await expect(ws.page.getByTestId('call-log-row').first()).toHaveAttribute('data-result', 'transferred');
  await expect(ws.page.getByTestId('call-log-transfer')).toContainText('12366');
  await expect(ws.page.getByTestId('call-log-transfer-failed')).toHaveCount(0);
});

/**
 * A colleague (8002) calls this seat, the agent answers, then the colleague blind-transfers the
 * call here to 12366: this seat is the transferee and the sub-center's phone rings.
 */
async function referredByColleague(env: Parameters<typeof startAgent>[0]) {
  const [ws, colleague, subcenter] = await Promise.all([startAgent(env), startParty(env, 'colleague'), startParty(env, 'subcenter')]);
  try {
    await setReady(ws);
    await colleague.call('8001');
    await ws.page.getByTestId('answer').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await expect.poll(() => colleague.state()).toBe('Established');
    await colleague.blindTransfer('12366');
    await expect.poll(() => subcenter.hasIncoming()).toBe(true);
    return { ws, colleague, subcenter };
  } catch (error) {
    await Promise.all([colleague.close(), subcenter.close()]);
    await ws.close();
    throw error;
  }
}

test.describe('this seat is the transferee (a colleague REFERs the call here)', () => {
  test('the seat places the call to the target and reports trying, ringing and the answer in NOTIFYs; the colleague leaves only then', async ({ workDir, platform, kamailio }) => {
    test.setTimeout(120_000);
    const { ws, colleague, subcenter } = await referredByColleague({ workDir, platform, kamailio });
    try {
      // The new call is this seat's focused line; the colleague still has its call.
      await expect(ws.page.locator('[data-testid="call-line"][data-remote="12366"]')).toHaveCount(1);
      await expect.poll(() => colleague.referNotifies()).toEqual(expect.arrayContaining([expect.stringMatching(/^SIP\/2\.0 180 .* \| active/)]));
      expect((await colleague.referNotifies())[0]).toMatch(/^SIP\/2\.0 100 Trying \| active/);
      expect(await colleague.state()).toBe('Established');

      await subcenter.answer();
      await expect.poll(() => colleague.referNotifies()).toEqual(expect.arrayContaining([expect.stringMatching(/^SIP\/2\.0 200 .* \| terminated/)]));
      await expect.poll(() => colleague.state()).toBe('Terminated');
      await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
      await expect(ws.page.getByTestId('caller-number')).toContainText('12366');
      await expectHears(subcenter, [TONES.agent]);
    } finally {
      await Promise.all([colleague.close(), subcenter.close()]);
      await ws.close();
    }
  });

  test('the target is busy: the seat reports 486 in the last NOTIFY and keeps the call with the colleague', async ({ workDir, platform, kamailio }) => {
    test.setTimeout(120_000);
    const { ws, colleague, subcenter } = await referredByColleague({ workDir, platform, kamailio });
    try {
      await subcenter.reject(486);
      await expect.poll(() => colleague.referNotifies()).toEqual(expect.arrayContaining([expect.stringMatching(/^SIP\/2\.0 486 .* \| terminated/)]));
      expect(await colleague.state()).toBe('Established');
      // Back on the line with the colleague.
      await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
      await expect(ws.page.getByTestId('caller-number')).toContainText('8002');
      await expectHears(colleague, [TONES.agent]);
    } finally {
      await Promise.all([colleague.close(), subcenter.close()]);
      await ws.close();
    }
  });
});

test('attended transfer the caller refuses (REFER with Replaces, 603): nothing is released; the agent keeps both lines and is told', async ({ parties }) => {
  test.setTimeout(120_000);
  const { ws, caller, subcenter } = parties;
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('12366');
  await ws.page.getByTestId('transfer-consult').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  await expect.poll(() => subcenter.hasIncoming()).toBe(true);
  await subcenter.answer();
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"]')).toHaveCount(1);
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="held"]')).toHaveCount(1);

  await caller.refuseRefers(603);
  await ws.page.getByTestId('transfer-complete').click();
  await expect(ws.page.getByText('转接失败，来电仍在保持中')).toBeVisible();
  // Both lines are still the agent's: the consultation goes on, the caller waits on hold.
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"][data-remote="12366"]')).toHaveCount(1);
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="held"]')).toHaveCount(1);
  await expectHears(subcenter, [TONES.agent]);
  await expectHears(caller, []);

  // The agent ends the consultation and takes the caller back.
  await ws.page.getByTestId('hangup').click();
  await expect.poll(() => subcenter.state()).toBe('Terminated');
  await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
  await ws.page.getByTestId('hold').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectHears(caller, [TONES.agent]);
});
