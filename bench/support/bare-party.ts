/**
 * Starts a bare SIP.js party (bare-party-page.ts) in its own Chromium process with its own fake
 * microphone tone, registered on the benchmark's Kamailio, and reads its probe marks.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { browserBundle } from '../../e2e/support/browser-bundle';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/paths';
import { mediaArgs } from '../../e2e/support/wav';
import type { PartyConfig } from './bare-party-page';
import type { Marks } from './call-probe';

const ORIGIN = 'http://localhost:48093';

export interface RunningParty {
  readonly page: Page;
  readonly user: string;
  /** (Re)load the page and register; resolves once registered. */
  load(): Promise<void>;
  call(target: string): Promise<void>;
  dial(target: string): Promise<void>;
  hangup(): Promise<void>;
  state(): Promise<string>;
  marks(): Promise<Marks>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startBareParty(cfg: PartyConfig & { wav: string }): Promise<RunningParty> {
  const { wav, ...config } = cfg;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...mediaArgs(wav)] });
  try {
    const context = await browser.newContext({ permissions: ['microphone', 'local-network-access'] });
    await context.route(`${ORIGIN}/**`, (route) => {
      const js = route.request().url().endsWith('.js');
      return route.fulfill({
        status: 200,
        contentType: js ? 'text/javascript' : 'text/html',
        body: js ? browserBundle('bench/support/bare-party-page.ts') : '<!doctype html><meta charset="utf-8"><title>bare party</title><script src="/party.js"></script>',
      });
    });
    const page = await context.newPage();
    if (process.env.CALL_BENCH_DEBUG) page.on('console', (m) => console.log(`[${cfg.user}] ${m.text().slice(0, 300)}`));
    const party: RunningParty = {
      page,
      user: cfg.user,
      async load() {
        await page.goto(`${ORIGIN}/`);
        await page.evaluate(async (c) => {
          window.benchParty = window.createBareParty(c);
          await window.benchParty.register();
        }, config);
      },
      call: (target) => page.evaluate((t) => window.benchParty.call(t), target),
      dial: (target) => page.evaluate((t) => window.benchParty.dial(t), target),
      hangup: () => page.evaluate(() => window.benchParty.hangup()),
      state: () => page.evaluate(() => window.benchParty.state()),
      marks: () => page.evaluate(() => ({ ...window.benchProbe.marks })),
      reset: () => page.evaluate(() => window.benchProbe.reset()),
      async close() {
        await page.evaluate(() => window.benchParty.stop()).catch(() => undefined);
        await browser.close();
      },
    };
    await party.load();
    return party;
  } catch (error) {
    await browser.close();
    throw error;
  }
}
