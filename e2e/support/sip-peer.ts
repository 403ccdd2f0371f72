/**
 * Starts a bare SIP.js party (caller, sub-center seat) in its own Chromium process — its own
 * fake microphone playing its own tone — registered on the suite's Kamailio.
 */
import { browserBundle } from './browser-bundle';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './paths';
import { mediaArgs } from './wav';

const PEER_ORIGIN = 'http://localhost:48091';
/** A tone sent at half scale arrives around -30 dB in the analyser; silence and codec noise stay below -70 dB. */
const HEARD_DB = -55;
export interface SipPeer {
  page: Page;
  call(target: string, headers?: string[]): Promise<void>;
  answer(): Promise<void>;
  /** Refuse the ringing call with `code` (e.g. 486 Busy Here). */
  reject(code: number): Promise<void>;
  hangup(): Promise<void>;
  state(): Promise<string>;
  remote(): Promise<string>;
  attendedTransfer(): Promise<void>;
  /** REFER the current call to `target`; hang up only once a NOTIFY reports the target's 2xx. */
  blindTransfer(target: string): Promise<void>;
  /** NOTIFYs received for the last blindTransfer, as "SIP/2.0 180 Ringing | active;expires=60". */
  referNotifies(): Promise<string[]>;
  /** Refuse REFERs with `code` from now on (undefined: follow them, as by default). */
  refuseRefers(code: number | undefined): Promise<void>;
  dtmf(): Promise<{ audio: string; info: string }>;
  /** Whether each tone (Hz) is heard now: its level stands out above the quiet floor. */
  hears(freqs: number[]): Promise<boolean[]>;
  hasIncoming(): Promise<boolean>;
  inboundLevel(): Promise<number>;
  inboundCodec(): Promise<string>;
  heardPower(ms?: number): Promise<number>;
  /** Calls answered or made from now on send no audio at all (no RTP). */
  setSendNoMedia(on: boolean): Promise<void>;
  /** Stop sending audio on the current call (no RTP from now on). */
  stopMedia(): Promise<void>;
  resumeMedia(): Promise<void>;
  packetsReceived(): Promise<number>;
  packetsSent(): Promise<number>;
  /** The current call's peer connection states: connection/ICE/signaling. */
  mediaState(): Promise<string>;
  /** Refuse every re-INVITE on the current call with `code` (e.g. 488 Not Acceptable Here) after `delayMs`; 0 accepts them again. */
  rejectReinvites(code: number, delayMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSipPeer(opts: { wsUrl: string; domain: string; user: string; password: string; displayName?: string; wav: string }): Promise<SipPeer> {
  const dbg = (m: string) => process.env.PEER_DEBUG && console.log(`peer ${opts.user}: ${m}`);
  dbg('launching');
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...mediaArgs(opts.wav)] });
  dbg('launched');
  const context = await browser.newContext({ permissions: ['microphone', 'local-network-access'] });
  await context.route(`${PEER_ORIGIN}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: route.request().url().endsWith('.js') ? 'text/javascript' : 'text/html',
      body: route.request().url().endsWith('.js') ? browserBundle('e2e/support/sip-peer-page.ts') : '<!doctype html><meta charset="utf-8"><script src="/peer.js"></script>',
    }),
  );
  const page = await context.newPage();
  if (process.env.PEER_DEBUG) page.on('console', (m) => console.log(`peer ${opts.user}:`, m.text().slice(0, 300)));
  await page.goto(`${PEER_ORIGIN}/`);
  dbg('loaded');
  const { wav: _wav, ...cfg } = opts;
  await page.evaluate(async (c) => {
    window.peer = window.createPeer(c);
    await window.peer.register();
  }, cfg);
  return {
    page,
    call: (target, headers = []) => page.evaluate(([t, h]) => window.peer.call(t, h), [target, headers] as const),
    answer: () => page.evaluate(() => window.peer.answer()),
    reject: (code) => page.evaluate((c) => window.peer.reject(c), code),
    hangup: () => page.evaluate(() => window.peer.hangup()),
    state: () => page.evaluate(() => window.peer.state()),
    remote: () => page.evaluate(() => window.peer.remote()),
    attendedTransfer: () => page.evaluate(() => window.peer.attendedTransfer()),
    blindTransfer: (target) => page.evaluate((t) => window.peer.blindTransfer(t), target),
    referNotifies: () => page.evaluate(() => window.peer.referNotifies()),
    refuseRefers: (code) => page.evaluate((c) => window.peer.refuseRefers(c), code),
    dtmf: () => page.evaluate(() => window.peer.dtmf()),
    hears: async (freqs) => (await page.evaluate((f) => window.peer.tones(f), freqs)).map((db) => db > HEARD_DB),
    hasIncoming: () => page.evaluate(() => window.peer.hasIncoming()),
    inboundLevel: () => page.evaluate(() => window.peer.inboundLevel()),
    inboundCodec: () => page.evaluate(() => window.peer.inboundCodec()),
    heardPower: (ms = 1000) => page.evaluate((m) => window.peer.heardPower(m), ms),
    setSendNoMedia: (on) => page.evaluate((o) => window.peer.setSendNoMedia(o), on),
    stopMedia: () => page.evaluate(() => window.peer.stopMedia()),
    resumeMedia: () => page.evaluate(() => window.peer.resumeMedia()),
    packetsReceived: () => page.evaluate(() => window.peer.packetsReceived()),
    packetsSent: () => page.evaluate(() => window.peer.packetsSent()),
    mediaState: () => page.evaluate(() => window.peer.mediaState()),
    rejectReinvites: (code, delayMs = 0) => page.evaluate(([c, d]) => window.peer.rejectReinvites(c, d), [code, delayMs] as const),
    async close() {
      await page.evaluate(() => window.peer.stop()).catch(() => undefined);
      await browser.close();
    },
  };
}
