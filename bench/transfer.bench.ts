/**
 * transfer.*: one-click transfer with context between two real workstations — a 12345 seat
 * (agent01, 8001) and a 12366 sub-center seat (tax01, 12366) — through a real Kamailio, on the
 * demo city's platform (PGlite), the directory pointed at this Kamailio by the admin API. A caller
 * from a mobile number (a bare SIP.js page) calls 12345; the agent answers and types the order; then
 * each sample:
 *
 *   click_to_target_ringing   the click on the panel's one-click button (三方转接 12366, capture
 *                             phase) → the frame that paints 来电振铃 on the 12366 seat. It includes
 *                             submitting the order and waiting for it and the pending transfer record
 *                             to reach the platform (the context is there before the INVITE is).
 *   target_pop_with_context   the target's INVITE reaching the 12366 page (WebSocket message) → the
 *                             frame that paints the order's summary on its pop (context fetched from
 *                             the platform through main).
 *
 * The 12366 seat then declines, the caller comes back to the agent, who hangs up and is Ready again.
 * Env: TRANSFER_BENCH_SAMPLES (default 20), TRANSFER_BENCH_DEBUG.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { launchWorkstation, type LaunchedWorkstation } from '../e2e/support/bridge';
import { browserBundle } from '../e2e/support/browser-bundle';
import { startKamailio } from '../e2e/support/kamailio';
import { startPlatformServer, type RunningPlatform } from '../e2e/support/platform-server';
import { signInToPlatform } from '../e2e/support/platform-api';
import { mediaArgs, writeToneWav } from '../e2e/support/wav';
import { DEMO_PASSWORD } from '../platform/src/seed/demo-city';
import { defaultSettings } from '../shared/settings/schema';
import type { DirectoryEntry } from '../shared/directory/routes';
import { percentile, type BenchGroup, type BenchResult } from './types';
import { startBareParty } from './support/bare-party';
import type { Marks } from './support/call-probe';

const SAMPLES = Number(process.env.TRANSFER_BENCH_SAMPLES) > 0 ? Number(process.env.TRANSFER_BENCH_SAMPLES) : 20;
const DEBUG = !!process.env.TRANSFER_BENCH_DEBUG;

const USERS = {
  agent: { user: '8001', password: 'bench-agent-8001' },
  tax: { user: '12366', password: 'bench-tax-12366' },
  caller: { user: '13900139000', password: 'bench-citizen-139' },
};

const r1 = (v: number) => Math.round(v * 10) / 10;
const spread = (values: number[]) => `n=${values.length}, min ${r1(Math.min(...values))}, p50 ${r1(percentile(values, 50))}, p95 ${r1(percentile(values, 95))}, max ${r1(Math.max(...values))}`;

async function waitMark(page: Page, name: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction((n) => window.benchProbe !== undefined && n in window.benchProbe.marks, name, { polling: 10, timeout });
}
const marksOf = (page: Page): Promise<Marks> => page.evaluate(() => ({ ...window.benchProbe.marks }));
const resetMarks = (page: Page): Promise<void> => page.evaluate(() => window.benchProbe.reset());
const waitText = (page: Page, testId: string, text: string) =>
  page.waitForFunction(([id, t]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === t, [testId, text] as const, { polling: 10, timeout: 20_000 });

async function putDirectory(platform: RunningPlatform, entry: DirectoryEntry): Promise<void> {
  const admin = await signInToPlatform(platform.url, 'admin', DEMO_PASSWORD);
  const r = await admin.request('PUT', `/v1/admin/directory/${entry.number}`, entry);
  if (r.status !== 200) throw new Error(`directory ${entry.number}: ${r.status} ${JSON.stringify(r.body)}`);
}

async function seat(dir: string, platform: RunningPlatform, kamailio: { wsUrl: string; domain: string }, account: string, sip: { user: string; password: string }, hz: number): Promise<LaunchedWorkstation> {
  const ws = await launchWorkstation({
    dir,
    signIn: { baseUrl: platform.url, account, password: DEMO_PASSWORD },
    extraArgs: mediaArgs(writeToneWav(path.join(dir, `${sip.user}.wav`), hz)),
    prepare: (core) => {
      const d = defaultSettings();
      core.settings.set({ section: 'sip', value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: kamailio.domain, extension: sip.user, authUser: sip.user, iceGatheringTimeoutMs: 200, audioProcessing: false } });
      core.settings.set({ section: 'calls', value: { ...d.calls, wrapUpS: 0 } });
      core.secrets.set('sipPassword', sip.password);
    },
  });
  if (DEBUG) ws.page.on('console', (m) => console.log(`  [${account}] ${m.text().slice(0, 300)}`));
  await ws.context.addInitScript({ content: browserBundle('bench/support/workstation-probe.ts') });
  await ws.page.reload();
  await waitMark(ws.page, 'registeredShown');
  await setReady(ws.page);
  return ws;
}

async function setReady(page: Page): Promise<void> {
  const now = (await page.getByTestId('agent-state').textContent()) ?? '';
  if (now.includes('就绪') && !now.includes('未就绪') && !now.includes('话后整理')) return;
  await page.getByTestId('agent-state-select').click();
  await page.getByTitle('就绪', { exact: true }).click();
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="agent-state"]')?.textContent ?? '';
    return t.includes('就绪') && !t.includes('未就绪') && !t.includes('话后整理');
  });
}

export const transferBench: BenchGroup = {
  prefix: 'transfer',
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-transfer-'));
    const started: { close(): Promise<void> }[] = [];
    try {
      const kamailio = await startKamailio(Object.values(USERS));
      started.push({ close: () => kamailio.stop() });
      const platform = await startPlatformServer({ accounts: 'demo-city' });
      started.push(platform);
      const base = { mergeMode: 'subcenter', status: 'active', threeWay: true, serviceHours: '7x24', note: null, categoryCode: null } as const;
      await putDirectory(platform, { ...base, number: '12366', name: '纳税缴费服务热线', unitCode: 'QY-12366', transferUri: `sip:12366@${kamailio.domain}` });
      const caller = await startBareParty({ wsUrl: kamailio.wsUrl, domain: kamailio.domain, ...USERS.caller, iceGatheringTimeoutMs: 200, autoAnswerAfterMs: null, wav: writeToneWav(path.join(dir, 'caller.wav'), 1000) });
      started.push(caller);
      await caller.load();
      const agent = await seat(path.join(dir, 'agent'), platform, kamailio, 'agent01', USERS.agent, 440);
      started.push(agent);
      const tax = await seat(path.join(dir, 'tax'), platform, kamailio, 'tax01', USERS.tax, 660);
      started.push(tax);
      const a = agent.page;
      const t = tax.page;

      const clickToRinging: number[] = [];
      const popWithContext: number[] = [];
      for (let i = 0; i < SAMPLES + 1; i++) {
        await caller.call(USERS.agent.user);
        await waitText(a, 'call-state', '来电振铃');
        await a.getByTestId('answer').click();
        await waitText(a, 'call-state', '通话中');
        await a.locator('label', { has: a.getByTestId('requestType-consult') }).click();
        await a.getByTestId('field-title').fill(`个税退税进度咨询 ${i}`);
        await a.getByTestId('field-content').fill('来电人咨询个人所得税汇算清缴退税进度。');
        const summary = `需税务专业答复，转12366（第${i}次）`;
        await a.getByTestId('field-summary').fill(summary);
        await a.getByTestId('transfer').click();
        await a.getByTestId('transfer-number').fill('12366');
        await a.getByTestId('transfer-target-12366').click();
        await Promise.all([resetMarks(a), resetMarks(t)]);
        await t.evaluate((text) => ((window as { benchTicketSummary?: string }).benchTicketSummary = text), summary);
        await a.getByTestId('transfer-go').click();
        await waitMark(t, 'shown');
        await waitMark(t, 'ticketShown');
        const [am, tm] = await Promise.all([marksOf(a), marksOf(t)]);
        // The first sample warms the pages, the directory panel's chunk and the platform's paths.
        if (i > 0) {
          clickToRinging.push(tm.shown! - am.transferAt!);
          popWithContext.push(tm.ticketShown! - tm.inviteArrived!);
        }
        if (DEBUG) console.log(`  transfer ${i}: click→ringing ${r1(tm.shown! - am.transferAt!)} ms, invite→pop ${r1(tm.ticketShown! - tm.inviteArrived!)} ms`);
        // The target declines; the caller is back with the agent, who ends the call.
        await t.getByTestId('hangup').click();
        await a.waitForFunction(() => document.querySelector('[data-testid="transfer-attempt"]')?.getAttribute('data-phase') === 'failed', undefined, { polling: 10, timeout: 20_000 });
        await waitText(a, 'call-state', '通话中');
        await a.getByTestId('hangup').click();
        await waitText(a, 'call-state', '通话结束');
        await setReady(a);
        await setReady(t);
      }
      const results: BenchResult[] = [
        { name: 'transfer.click_to_target_ringing_p50_ms', value: r1(percentile(clickToRinging, 50)), unit: 'ms', goal: null, note: spread(clickToRinging) },
        { name: 'transfer.target_pop_with_context_p95_ms', value: r1(percentile(popWithContext, 95)), unit: 'ms', goal: '<= 300', note: spread(popWithContext) },
      ];
      return results;
    } finally {
      for (const s of started.reverse()) await s.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
