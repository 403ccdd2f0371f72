/**
 * Call handling around the call itself: the SIP connection dropping mid-call, the agent being
 * told about calls while the window is hidden, auto-answer, the wrap-up timer and the call log.
 */
import { test, expect, SIP_USERS } from '../support/fixtures';
import { startKamailio } from '../support/kamailio';
import { expectHears, setReady, startAgent, startParty, TONES } from '../support/call-parties';

test('WebSocket dropped during a call: the audio goes on, the agent is told, the line comes back and the call ends cleanly', async ({ workDir, platform }) => {
  test.setTimeout(120_000);
  const own = await startKamailio(SIP_USERS);
  const env = { workDir, platform, kamailio: own };
  const [ws, caller] = await Promise.all([startAgent(env), startParty(env, 'caller1')]);
  try {
    await setReady(ws);
    await caller.call('8001');
    await ws.page.getByTestId('answer').click();
    await expectHears(caller, [TONES.agent]);

    await own.kill();
    await expect(ws.page.getByTestId('signalling-lost')).toBeVisible();
    await expect(ws.page.getByTestId('registration')).toContainText('正在连接');
    // Media does not go through the SIP server: both sides keep hearing each other.
    await expectHears(caller, [TONES.agent]);
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    // Lost for more than 10 s: a desktop notification, in case the agent is in another window.
    await expect.poll(() => ws.ports.record.notifications.map((n) => n.title), { timeout: 20_000 }).toContain('话务线路已断开');

    await own.start();
    await expect(ws.page.getByTestId('registration')).toContainText('已注册', { timeout: 10_000 });
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
    await ws.page.getByTestId('hangup').click();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
    await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
    expect(ws.ports.record.blockers.size).toBe(0);
  } finally {
    await caller.close();
    await ws.close();
    await own.stop();
  }
});

test('a call arriving while the window is hidden: desktop notification and the window brought to front', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(60_000);
  const env = { workDir, platform, kamailio };
  const [ws, caller] = await Promise.all([startAgent(env), startParty(env, 'caller2')]);
  try {
    await setReady(ws);
    // The Electron edge reports a minimised window to the page as hidden.
    await ws.page.evaluate(() => Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }));
    const focusBefore = ws.ports.record.focusCount;
    await caller.call('8001');
    await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
    await expect.poll(() => ws.ports.record.notifications.find((n) => n.title === '新来电')?.body).toBeDefined();
    expect(ws.ports.record.focusCount).toBeGreaterThan(focusBefore);
    await caller.hangup();
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  } finally {
    await caller.close();
    await ws.close();
  }
});

test('auto-answer after the configured delay, then wrap-up returns the agent to Ready by itself (extendable)', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(90_000);
  const env = { workDir, platform, kamailio };
  const [ws, caller] = await Promise.all([startAgent(env, { autoAnswer: true, autoAnswerAfterS: 1, wrapUpS: 3, wrapUpExtendS: 10 }), startParty(env, 'caller1')]);
  try {
    await setReady(ws);
    await caller.call('8001');
    await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
    // Nobody clicks: the call is answered by itself and both sides hear each other.
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话中', { timeout: 10_000 });
    await expectHears(caller, [TONES.agent]);
    await caller.hangup();
    await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
    await expect(ws.page.getByTestId('wrap-up-left')).toBeVisible();
    await ws.page.getByTestId('extend-wrap-up').click();
    // Extended: still wrapping up after the original 3 s…
    await expect(ws.page.getByTestId('wrap-up-left')).toContainText(/0:(1[0-3]|0[7-9])/);
    // …and back to Ready when the extended time is over.
    await expect(ws.page.getByTestId('agent-state')).toContainText('就绪', { timeout: 20_000 });
    await expect(ws.page.getByTestId('agent-state')).not.toContainText('话后整理');

    // The call is in the local call log (IndexedDB), answered.
    await ws.page.getByTestId('open-call-log').click();
    await expect(ws.page.getByTestId('call-log-row')).toHaveCount(1);
    await expect(ws.page.getByTestId('call-log-row').first()).toHaveAttribute('data-result', 'answered');
  } finally {
    await caller.close();
    await ws.close();
  }
});

test('test my headset: the microphone level moves, devices can be chosen, and a call uses the chosen headset output', async ({ workDir, platform, kamailio }) => {
  test.setTimeout(90_000);
  const env = { workDir, platform, kamailio };
  const [ws, caller] = await Promise.all([startAgent(env), startParty(env, 'caller1')]);
  try {
    await ws.page.getByTestId('open-settings').click();
    await ws.page.getByRole('tab', { name: '音频设备' }).click();
    // The fake microphone plays a 440 Hz tone at half scale.
    await expect.poll(async () => Number(await ws.page.getByTestId('headset-test-level').getAttribute('data-level')), { timeout: 10_000 }).toBeGreaterThan(0.2);
    await ws.page.getByTestId('headset-test-play').click();

    // Chromium's fake devices stand in for a USB headset: choose one as the headset output.
    const outputs = await ws.page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default'));
    test.skip(outputs.length === 0, 'this Chromium offers no audio output devices to choose from');
    await ws.page.getByTestId('audio-headset').click();
    await ws.page.getByTitle(outputs[0]!.label || outputs[0]!.deviceId.slice(0, 8), { exact: true }).click();
    await expect.poll(() => ws.core.settings.get('audio').headsetOutputId).toBe(outputs[0]!.deviceId);
    await ws.page.locator('.ant-drawer-close').click();
    await expect(ws.page.getByTestId('headset-test')).toHaveCount(0);

    await setReady(ws);
    await caller.call('8001');
    await ws.page.getByTestId('answer').click();
    await expectHears(caller, [TONES.agent]);
    await expect(ws.page.getByTestId('call-output')).toHaveAttribute('data-sink', outputs[0]!.deviceId);
    await expect(ws.page.getByTestId('call-output')).toHaveText(outputs[0]!.label);
  } finally {
    await caller.close();
    await ws.close();
  }
});
