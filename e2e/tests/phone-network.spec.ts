/**
 * Callers from the phone network: 12345 callers arrive from the carrier's gateway as plain SIP
 * over UDP with plain RTP/AVP (G.711 only), not as WebRTC browsers. rtpengine (user space) beside
 * the suite's Kamailio bridges their RTP and the seat's WebRTC (ICE + DTLS-SRTP). The caller is
 * baresip (rtp-party.ts) playing its own tone (1800 Hz) and recording what it receives; the tests
 * tell who hears whom by Goertzel on that recording on the caller's side, and by the far-end
 * level (getStats) on the seat's and by FFT on the SIP.js parties' side, as the other suites do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, SIP_USERS } from '../support/fixtures';
import type { LaunchedWorkstation } from '../support/bridge';
import { startKamailio, type RunningKamailio } from '../support/kamailio';
import { startRtpengine, type RunningRtpengine } from '../support/rtpengine';
import { RTP_HEARD_AMPLITUDE, startRtpParty, type RtpParty } from '../support/rtp-party';
import { startSipUdpCaller, type SipUdpCaller } from '../support/sip-udp-caller';
import { expectHears, setReady, startAgent, startParty, TONES } from '../support/call-parties';
import { writeToneWav } from '../support/wav';

/** The caller's number: a mobile number, as the gateway presents it (and as a seat dials it). */
const PSTN_USER = { user: '13800138000', password: 'pstn-13800138000-secret' };

interface Line {
  ws: LaunchedWorkstation;
  caller: RtpParty;
}

/** The same, with the suite's own SIP-over-UDP caller (re-INVITEs and Replaces, which baresip 1.0 lacks). */
interface GatewayLine {
  ws: LaunchedWorkstation;
  caller: SipUdpCaller;
}

/**
 * rtpengine and a Kamailio that relays media through it for calls that cross between a plain UDP
 * user agent and a WebSocket one, once per worker; the workstation (8001) and the plain-RTP
 * caller per test.
 */
const test = base.extend<{ line: Line; gateway: GatewayLine }, { rtpengine: RunningRtpengine; kamailio: RunningKamailio }>({
  rtpengine: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const r = await startRtpengine();
      await use(r);
      await r.stop();
    },
    { scope: 'worker', timeout: 30_000 },
  ],
  kamailio: [
    async ({ rtpengine }, use) => {
      const k = await startKamailio([...SIP_USERS, PSTN_USER], { rtpengineSocket: rtpengine.ngSocket });
      await use(k);
      await k.stop();
    },
    { scope: 'worker', timeout: 30_000 },
  ],
  line: async ({ workDir, platform, kamailio, rtpengine }, use, testInfo) => {
    const env = { workDir, platform, kamailio };
    const [ws, caller] = await Promise.all([
      startAgent(env),
      startRtpParty({
        proxyPort: kamailio.udpPort,
        domain: kamailio.domain,
        user: PSTN_USER.user,
        password: PSTN_USER.password,
        wav: writeToneWav(path.join(workDir, 'pstn.wav'), TONES.pstn, 120, 0.5, 8000),
      }),
    ]);
    await use({ ws, caller });
    if (testInfo.status !== testInfo.expectedStatus) {
      // Kept beside the test's other results: what each of the three said.
      fs.writeFileSync(testInfo.outputPath('baresip.log'), `${caller.log()}\n--- callstat:\n${await caller.callStatus()}`);
      fs.writeFileSync(testInfo.outputPath('kamailio.log'), kamailio.log().slice(-200_000));
      fs.writeFileSync(testInfo.outputPath('rtpengine.log'), rtpengine.log().slice(-200_000));
      const calls = [...new Set([...kamailio.log().matchAll(/rtpengine relays call-id (\S+)/g)].map((m) => m[1]!))].slice(-3);
      const queries = await Promise.all(calls.map(async (c) => `${c}: ${await rtpengine.query(c).catch(String)}`));
      fs.writeFileSync(testInfo.outputPath('rtpengine-query.txt'), queries.join('\n\n'));
      fs.cpSync(caller.recordingDir, testInfo.outputPath('caller-recordings'), { recursive: true });
    }
    await caller.close();
    await ws.close();
  },
  gateway: async ({ workDir, platform, kamailio, rtpengine }, use, testInfo) => {
    const [ws, caller] = await Promise.all([
      startAgent({ workDir, platform, kamailio }),
      startSipUdpCaller({ proxyPort: kamailio.udpPort, domain: kamailio.domain, user: PSTN_USER.user, toneHz: TONES.pstn }),
    ]);
    await use({ ws, caller });
    if (testInfo.status !== testInfo.expectedStatus) {
      fs.writeFileSync(testInfo.outputPath('caller-sip.log'), caller.log());
      fs.writeFileSync(testInfo.outputPath('kamailio.log'), kamailio.log().slice(-200_000));
      fs.writeFileSync(testInfo.outputPath('rtpengine.log'), rtpengine.log().slice(-200_000));
    }
    await caller.close();
    await ws.close();
  },
});

const ALL_TONES = [...new Set(Object.values(TONES))];

/** Wait until the plain-RTP caller hears exactly the given tones among the parties' tones. */
async function expectCallerHears(caller: Pick<RtpParty, 'toneLevels'>, heard: number[], timeout = 15_000): Promise<void> {
  const want = ALL_TONES.map((f) => heard.includes(f));
  await expect
    .poll(async () => (await caller.toneLevels(ALL_TONES)).map((a) => a > RTP_HEARD_AMPLITUDE).join(','), {
      timeout,
      message: `plain-RTP caller hears ${heard.join('+') || 'nothing'} of ${ALL_TONES.join(', ')} Hz`,
    })
    .toBe(want.join(','));
}

/** The seat hears its far end (getStats level of the focused call). */
async function expectSeatHears(ws: LaunchedWorkstation): Promise<void> {
  await expect.poll(async () => Number(await ws.page.getByTestId('far-end-level').getAttribute('data-level')), { timeout: 15_000 }).toBeGreaterThan(0.1);
}

/** Payload types of the `m=audio` lines Kamailio logged for relayed SDPs from `side` since `mark`. */
function loggedPayloads(kamailio: RunningKamailio, mark: number, side: 'webrtc' | 'plain'): string[][] {
  return kamailio
    .log()
    .slice(mark)
    .split('\n')
    .map((l) => new RegExp(`rtpe sdp from ${side} .*: m=audio \\d+ \\S+ ([\\d ]+)`).exec(l)?.[1])
    .filter((m): m is string => Boolean(m))
    .map((m) => m.trim().split(/\s+/));
}

/** The G.711 codec of a payload type list's first (preferred, sent) format, or what it is instead. */
function g711(payloads: string[] | undefined): string {
  const first = payloads?.[0];
  return first === '8' ? 'PCMA' : first === '0' ? 'PCMU' : `payload type ${first ?? 'none'}`;
}

/** The plain-RTP caller rings the Ready seat, which answers: two-way audio through rtpengine. */
async function inboundCall({ ws, caller }: Line): Promise<void> {
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await expect(ws.page.getByTestId('caller-number')).toHaveText('138****8000');
  await ws.page.getByTestId('answer').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('CALL_ESTABLISHED');
  await expectCallerHears(caller, [TONES.agent]);
  await expectSeatHears(ws);
}

test('(a) a caller from the phone network (plain RTP, G.711 only) calls the seat: G.711 negotiated, two-way audio', async ({ kamailio, line }) => {
  test.setTimeout(90_000);
  const { ws, caller } = line;
  const mark = kamailio.log().length;
  await inboundCall(line);
  // The caller offered G.711 only; the seat's answer picked one of them (what the seat sends).
  const offers = loggedPayloads(kamailio, mark, 'plain');
  expect(offers.length, 'the caller offered SDP through rtpengine').toBeGreaterThan(0);
  expect(offers[0]!.filter((pt) => Number(pt) < 96)).toEqual(expect.arrayContaining(['8']));
  expect(offers[0]!.filter((pt) => Number(pt) < 96).every((pt) => pt === '8' || pt === '0')).toBe(true);
  expect(['PCMA', 'PCMU']).toContain(g711(loggedPayloads(kamailio, mark, 'webrtc')[0]));

  await caller.hangup();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
});

test('(b) the seat calls a number on the phone network: G.711 negotiated, two-way audio, the seat hangs up', async ({ kamailio, line: { ws, caller } }) => {
  test.setTimeout(90_000);
  const mark = kamailio.log().length;
  await ws.page.getByTestId('dial-input').fill(PSTN_USER.user);
  await ws.page.getByTestId('dial').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText(/正在呼叫|对方振铃/);
  await expect.poll(() => caller.hasIncoming(), { timeout: 10_000 }).toBe(true);
  await caller.answer();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectCallerHears(caller, [TONES.agent]);
  await expectSeatHears(ws);
  // The seat offered its codecs (Opus first); the plain side answered with G.711, which both send.
  expect(['PCMA', 'PCMU']).toContain(g711(loggedPayloads(kamailio, mark, 'plain')[0]));

  await ws.page.getByTestId('hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('CALL_CLOSED');
});

test('(c) the seat puts the caller on hold: the caller hears nothing; after resume the seat hears the caller again', async ({ line }) => {
  test.setTimeout(90_000);
  const { ws, caller } = line;
  await inboundCall(line);
  await ws.page.getByTestId('hold').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
  await expectCallerHears(caller, []);
  await ws.page.getByTestId('hold').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  // The caller's RTP flows through rtpengine again after the re-INVITEs.
  await expectSeatHears(ws);
  await ws.page.getByTestId('hangup').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
});

// baresip 1.0 keeps receiving the seat's RTP after the hold/resume re-INVITEs but no longer decodes
// it, so this case uses the suite's own SIP-over-UDP caller, which decodes whatever G.711 arrives.
test('(c2) after resume the caller on the phone network hears the agent again', async ({ gateway }) => {
  test.setTimeout(90_000);
  const { ws, caller } = gateway;
  await gatewayCall(gateway);
  await ws.page.getByTestId('hold').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('保持中');
  await expectCallerHears(caller, []);
  await ws.page.getByTestId('hold').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectCallerHears(caller, [TONES.agent]);
  await expectSeatHears(ws);
  await caller.hangup();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
});

/** The gateway caller rings the Ready seat, which answers: two-way audio through rtpengine. */
async function gatewayCall({ ws, caller }: GatewayLine): Promise<void> {
  await setReady(ws);
  const answered = caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await expect(ws.page.getByTestId('caller-number')).toHaveText('138****8000');
  await ws.page.getByTestId('answer').click();
  await answered;
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectCallerHears(caller, [TONES.agent]);
  await expectSeatHears(ws);
}

test('(d) the caller gives up while the seat rings: the seat shows the call ended, no after-call work', async ({ line: { ws, caller } }) => {
  test.setTimeout(60_000);
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await caller.hangup();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('话后整理');
  await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('CALL_CLOSED');
});

test('(e) blind transfer to a second seat: the caller then talks with that seat, and this seat is freed', async ({ workDir, platform, kamailio, line }) => {
  test.setTimeout(120_000);
  const { ws, caller } = line;
  const seat2 = await startParty({ workDir, platform, kamailio }, 'colleague');
  try {
    await inboundCall(line);
    await ws.page.getByTestId('transfer').click();
    await ws.page.getByTestId('transfer-number').fill('8002');
    await ws.page.getByTestId('transfer-blind').click();
    // No order typed for this caller: the panel asks, and the agent transfers without one.
    await ws.page.getByTestId('transfer-without-order').click();
    // The caller follows the REFER with a new call (plain RTP again, relayed by rtpengine).
    await expect.poll(() => seat2.hasIncoming(), { timeout: 15_000 }).toBe(true);
    await seat2.answer();
    await expectCallerHears(caller, [TONES.colleague]);
    await expectHears(seat2, [TONES.pstn]);
    // Whether the seat ended its call at the REFER's acceptance or at the target's answer, it has now.
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
    await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  } finally {
    await seat2.close();
  }
});

test('(f) attended transfer to a second seat: the agent consults while the caller on the phone network waits on hold', async ({ workDir, platform, kamailio, line }) => {
  test.setTimeout(120_000);
  const seat2 = await startParty({ workDir, platform, kamailio }, 'colleague');
  try {
    await inboundCall(line);
    await consult(line, seat2);
  } finally {
    await seat2.close();
  }
});

// baresip 1.0 does not support Replaces (it dials the REFER's target with the header mangled into
// the URI), so the hand-over uses the suite's own SIP-over-UDP caller.
test('(f2) attended transfer completes: the caller on the phone network is handed over to the second seat', async ({ workDir, platform, kamailio, gateway }) => {
  test.setTimeout(120_000);
  const { ws, caller } = gateway;
  const seat2 = await startParty({ workDir, platform, kamailio }, 'colleague');
  try {
    await gatewayCall(gateway);
    await consult(gateway, seat2);
    await ws.page.getByTestId('transfer-complete').click();
    // The caller's INVITE with Replaces takes over the consultation call at the second seat.
    await expect.poll(() => caller.states().join(','), { timeout: 15_000 }).toBe('closed,established');
    await expectCallerHears(caller, [TONES.colleague]);
    await expectHears(seat2, [TONES.pstn]);
    await expect(ws.page.getByTestId('call-state')).toHaveText('通话结束');
    await expect(ws.page.locator('[data-testid="call-line"]')).toHaveCount(0);
    await expect(ws.page.getByTestId('agent-state')).toContainText('话后整理');
  } finally {
    await seat2.close();
  }
});

/** The agent, talking with the caller, consults the second seat with the caller on hold. */
async function consult({ ws, caller }: { ws: LaunchedWorkstation; caller: Pick<RtpParty, 'toneLevels'> }, seat2: Awaited<ReturnType<typeof startParty>>): Promise<void> {
  await ws.page.getByTestId('transfer').click();
  await ws.page.getByTestId('transfer-number').fill('8002');
  await ws.page.getByTestId('transfer-consult').click();
  // No order typed for this caller: the panel asks, and the agent transfers without one.
  await ws.page.getByTestId('transfer-without-order').click();
  await expect.poll(() => seat2.hasIncoming(), { timeout: 15_000 }).toBe(true);
  await seat2.answer();
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="active"]')).toHaveCount(1);
  await expect(ws.page.locator('[data-testid="call-line"][data-call-state="held"]')).toHaveCount(1);
  await expectHears(seat2, [TONES.agent]);
  // On hold the caller hears neither the agent nor the consultation.
  await expectCallerHears(caller, []);
}
