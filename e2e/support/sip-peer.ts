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
  hangup(): Promise<void>;
  state(): Promise<string>;
  remote(): Promise<string>;
  attendedTransfer(): Promise<void>;
  dtmf(): Promise<{ audio: string; info: string }>;
  /** Whether each tone (Hz) is heard now: its level stands out above the quiet floor. */
  hears(freqs: number[]): Promise<boolean[]>;
  hasIncoming(): Promise<boolean>;
  inboundLevel(): Promise<number>;
  inboundCodec(): Promise<string>;
  heardPower(ms?: number): Promise<number>;
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
    hangup: () => page.evaluate(() => window.peer.hangup()),
    state: () => page.evaluate(() => window.peer.state()),
    remote: () => page.evaluate(() => window.peer.remote()),
    attendedTransfer: () => page.evaluate(() => window.peer.attendedTransfer()),
    dtmf: () => page.evaluate(() => window.peer.dtmf()),
    hears: async (freqs) => (await page.evaluate((f) => window.peer.tones(f), freqs)).map((db) => db > HEARD_DB),
    hasIncoming: () => page.evaluate(() => window.peer.hasIncoming()),
    inboundLevel: () => page.evaluate(() => window.peer.inboundLevel()),
    inboundCodec: () => page.evaluate(() => window.peer.inboundCodec()),
    heardPower: (ms = 1000) => page.evaluate((m) => window.peer.heardPower(m), ms),
    async close() {
      await page.evaluate(() => window.peer.stop()).catch(() => undefined);
      await browser.close();
    },
  };
}
