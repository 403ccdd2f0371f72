/**
 * orders.*: the work-order domain with a shift history's worth of local data — 100,000 orders in
 * the page's IndexedDB, sealed and indexed exactly as the app writes them — through the real
 * softphone on a real Kamailio, the real main-process core (bridge.ts) and the real platform.
 *
 * Seeding (setup, reported in a note): a page-side script (support/orders-page.ts) writes the
 * orders with the app's own functions (orderTerms, sealOrder, the page's cipher), then the page is
 * reloaded so the app starts on the full database, as after a real shift history.
 *
 *   pop_p50/p95            the INVITE reaching the workstation page (WebSocket message, before SIP.js
 *                          sees it) → the animation frame that paints the pop of THAT call (its
 *                          data-call-id is the INVITE's Call-ID) with its local history rows
 *                          (`pop-history-order`, data-source local). The caller is a repeat caller
 *                          with local orders among the 100,000. Each sample is a new call from a bare
 *                          SIP.js caller to the Ready agent (auto-answer off); the caller cancels it
 *                          and the call's draft is discarded before the next.
 *   keystroke_persist_p95  a keydown in the content field (capture phase) → the first read of the
 *                          draft's IndexedDB row (raw IndexedDB, polled every ~5 ms from the page)
 *                          whose updatedAt is at or after that keydown: the autosave debounce plus
 *                          the write. Typed like an agent: bursts of characters 80–120 ms apart,
 *                          pauses between bursts; every keystroke is a sample.
 *   submit_to_number_p50   the click on order-submit (capture phase) → the frame that paints the
 *                          platform's order number (`order-number`): local transaction, outbox, push
 *                          through main to the platform, the number back into the local order, shown.
 *                          Each sample is a new draft (order-new) with a typed-in mobile number,
 *                          咨询, a title, a content and 紧急转办 110.
 *   local_search_p95       the app's searchOrders on the page's database and cipher, timed in the
 *                          page (performance.now) for a mix of queries: whole numbers, 4 digits, names,
 *                          2–4 Chinese characters of titles and contents, a rare and a common word.
 *
 * Seeding 100,000 orders takes minutes, so the seeded browser profile and app data are kept in
 * ~/.cache/hotline-workstation/bench/ under a key made of the seeding script's bundle (the app's
 * own modules it writes with), the options and the Shanghai date, and reused while that key holds
 * (ORDERS_BENCH_CACHE=0: seed afresh, keep nothing). A reused profile is a byte copy of a seeded one.
 *
 * Env: ORDERS_BENCH_PARTS (comma list of pop, keystroke, submit, search; default all),
 * ORDERS_BENCH_ORDERS (default 100000), ORDERS_BENCH_SAMPLES (pop samples, default 40),
 * ORDERS_BENCH_WARMUP (warm-up calls, default 4), ORDERS_BENCH_KEYSTROKES (default 100),
 * ORDERS_BENCH_SUBMITS (default 20), ORDERS_BENCH_QUERIES (default 200), ORDERS_BENCH_TODAY
 * (orders dated today, default 60), ORDERS_BENCH_DEBUG (per-sample marks on the console),
 * ORDERS_BENCH_PROFILE (CPU self time per function of the page over the sampled pops),
 * ORDERS_BENCH_TRACE (the same windows as timeline event totals and the main thread's tasks).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { launchWorkstation, type LaunchedWorkstation } from '../e2e/support/bridge';
import { browserBundle } from '../e2e/support/browser-bundle';
import { startKamailio } from '../e2e/support/kamailio';
import { DEMO_PASSWORD } from '../platform/src/seed/demo-city';
import { startPlatformServer } from '../e2e/support/platform-server';
import { mediaArgs, writeToneWav } from '../e2e/support/wav';
import { defaultSettings } from '../shared/settings/schema';
import { shanghaiDate } from '../shared/base/shanghai-time';
import { percentile, type BenchGroup, type BenchResult } from './types';
import { startBareParty } from './support/bare-party';
import type { Marks } from './support/call-probe';
import { CpuProfiler } from './support/cpu-profile';
import { TimelineTracer } from './support/timeline';
import type { Keystroke } from './support/orders-probe';
import type { SearchTiming, SeedReport } from './support/orders-page';

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v >= 0 && process.env[name] !== '' && process.env[name] !== undefined ? v : fallback;
}

const ORDERS = envInt('ORDERS_BENCH_ORDERS', 100_000);
const SAMPLES = Math.max(1, envInt('ORDERS_BENCH_SAMPLES', 40));
const WARMUP = envInt('ORDERS_BENCH_WARMUP', 4);
const KEYSTROKES = Math.max(1, envInt('ORDERS_BENCH_KEYSTROKES', 100));
const SUBMITS = Math.max(1, envInt('ORDERS_BENCH_SUBMITS', 20));
const QUERIES = Math.max(1, envInt('ORDERS_BENCH_QUERIES', 200));
const TODAY = envInt('ORDERS_BENCH_TODAY', 60);
const CALLERS = 2_000;
const PART_NAMES = ['pop', 'keystroke', 'submit', 'search'] as const;
const PARTS = new Set((process.env.ORDERS_BENCH_PARTS ?? PART_NAMES.join(',')).split(',').map((x) => x.trim()).filter((x) => (PART_NAMES as readonly string[]).includes(x)));
const CACHE = process.env.ORDERS_BENCH_CACHE !== '0';
const CACHE_ROOT = path.join(os.homedir(), '.cache', 'hotline-workstation', 'bench');
const DEBUG = !!process.env.ORDERS_BENCH_DEBUG;
const PROFILE = !!process.env.ORDERS_BENCH_PROFILE;
/** Diagnostics: the same windows as a timeline trace (style, layout, paint, script, and the main thread's tasks). */
const TRACE = !!process.env.ORDERS_BENCH_TRACE;
const ICE_GATHERING_MS = 200;
/** How often the page reads the draft's row while keystrokes wait to be durable. */
const PERSIST_POLL_MS = 5;

const USERS = {
  agent: { user: '8001', password: 'bench-agent-8001' },
  // A citizen's mobile: the pop looks its number up by blind index among the local orders.
  caller: { user: '13900139000', password: 'bench-caller-139' },
};
/** The number typed into drafts without a call (submit samples): not the pop's caller. */
const OTHER_CALLER = '13700137000';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const debug = (m: string) => DEBUG && console.log(`  orders: ${m}`);
const r1 = (v: number) => Math.round(v * 10) / 10;

function spread(values: number[]): string {
  return `n=${values.length}, min ${r1(Math.min(...values))}, p50 ${r1(percentile(values, 50))}, p95 ${r1(percentile(values, 95))}, max ${r1(Math.max(...values))}`;
}

async function waitMark(page: Page, name: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction((n) => window.benchProbe !== undefined && n in window.benchProbe.marks, name, { polling: 5, timeout });
}

const marksOf = (page: Page): Promise<Marks> => page.evaluate(() => ({ ...window.benchProbe.marks }));

function mark(marks: Marks, name: string): number {
  const v = marks[name];
  if (v === undefined) throw new Error(`workstation: no ${name} mark (${JSON.stringify(marks)})`);
  return v;
}

const text = (page: Page, testId: string) => page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '', testId);

async function setReady(page: Page): Promise<void> {
  const state = await text(page, 'agent-state');
  if (state.includes('就绪') && !state.includes('未就绪') && !state.includes('话后整理')) return;
  await page.getByTestId('agent-state-select').click();
  await page.getByTitle('就绪', { exact: true }).click();
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="agent-state"]')?.textContent ?? '';
    return t.includes('就绪') && !t.includes('未就绪') && !t.includes('话后整理');
  });
}

/** Click a choice button (its test id is on the hidden radio input; the agent clicks its label). */
async function choose(page: Page, testId: string): Promise<void> {
  await page.locator('label', { has: page.getByTestId(testId) }).click();
  await page.waitForFunction((id) => (document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement | null)?.checked === true, testId);
}

const draftIdOf = (page: Page) => page.evaluate(() => document.querySelector('[data-testid="order-form"]')?.getAttribute('data-draft-id') ?? null);

/** A new draft without a call (the work-order card's 新建 button); resolves with its id. */
async function newDraft(page: Page): Promise<string> {
  const before = await draftIdOf(page);
  await page.getByTestId('order-new').click();
  const handle = await page.waitForFunction((b) => {
    const id = document.querySelector('[data-testid="order-form"]')?.getAttribute('data-draft-id');
    return id && id !== b ? id : null;
  }, before);
  return (await handle.jsonValue()) as string;
}

/** Discard the draft the form shows (the 放弃 button and its confirmation); a call that ended untouched takes its draft away by itself. */
async function discardActiveDraft(page: Page): Promise<void> {
  const id = await draftIdOf(page);
  if (!id) return;
  const gone = page.waitForFunction((d) => document.querySelector('[data-testid="order-form"]')?.getAttribute('data-draft-id') !== d, id);
  const discarded = (async () => {
    await page.getByTestId('order-discard').click({ timeout: 5_000 });
    await page.getByTestId('order-discard-confirm').click({ timeout: 5_000 });
  })().catch(() => undefined);
  await Promise.race([gone, discarded.then(() => gone)]);
}

/** The page's app is up with the orders domain ready and the line registered. */
async function waitAppReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.shellReady === 'true', undefined, { timeout: 120_000 });
  await page.getByTestId('order-new').waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => (document.querySelector('[data-testid="registration"]')?.textContent ?? '').includes('已注册'), undefined, { timeout: 60_000 });
}

interface PopSample {
  arrivedToPop: number;
  arrivedToCard: number;
  arrivedToRinging: number;
  /** Cross-process: the caller's INVITE on the wire → pop painted. */
  sentToPop: number;
  rows: number;
}

interface SeededProfile {
  readonly seed: SeedReport;
  /** The stand-in safeStorage key the profile's secrets (the local data keys) are sealed with. */
  readonly encryptionKey: string;
}

/** Where a seeded profile for this key lives (undefined: caching off). */
function cacheDirOf(pageScript: string, options: object): string | undefined {
  if (!CACHE) return undefined;
  const key = crypto.createHash('sha256').update(pageScript).update(JSON.stringify(options)).update(shanghaiDate(Date.now())).digest('hex').slice(0, 16);
  return path.join(CACHE_ROOT, `orders-${key}`);
}

function readCached(cacheDir: string | undefined, dir: string): SeededProfile | undefined {
  const meta = cacheDir && path.join(cacheDir, 'seeded.json');
  if (!cacheDir || !meta || !fs.existsSync(meta)) return undefined;
  for (const part of ['app', 'profile']) fs.cpSync(path.join(cacheDir, part), path.join(dir, part), { recursive: true });
  return JSON.parse(fs.readFileSync(meta, 'utf8')) as SeededProfile;
}

/** Keep a closed, seeded profile for the next run (only the newest one: each is over a gigabyte). */
function writeCache(cacheDir: string, dir: string, seeded: SeededProfile): void {
  const tmp = `${cacheDir}.tmp`;
  fs.mkdirSync(CACHE_ROOT, { recursive: true });
  for (const old of fs.readdirSync(CACHE_ROOT)) if (old.startsWith('orders-')) fs.rmSync(path.join(CACHE_ROOT, old), { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const part of ['app', 'profile']) fs.cpSync(path.join(dir, part), path.join(tmp, part), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'seeded.json'), JSON.stringify(seeded));
  fs.renameSync(tmp, cacheDir);
}

export const ordersBench: BenchGroup = {
  prefix: 'orders',
  async run() {
    const groupStart = performance.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-orders-'));
    const started: { close(): Promise<void> }[] = [];
    try {
      const kamailio = await startKamailio(Object.values(USERS));
      started.push({ close: () => kamailio.stop() });
      const platformStart = performance.now();
      // The demo city: directory, categories, units and calendar, as the app runs against in production.
      const platform = await startPlatformServer({ accounts: 'demo-city' });
      started.push(platform);
      debug(`platform with the demo city up in ${Math.round(performance.now() - platformStart)} ms`);
      const caller = await startBareParty({
        wsUrl: kamailio.wsUrl,
        domain: kamailio.domain,
        ...USERS.caller,
        iceGatheringTimeoutMs: ICE_GATHERING_MS,
        autoAnswerAfterMs: null,
        wav: writeToneWav(path.join(dir, 'caller-1000.wav'), 1000),
      });
      started.push(caller);

      const pageScript = browserBundle('bench/support/orders-page.ts');
      const seedOptions = { count: ORDERS, callers: CALLERS, benchCaller: USERS.caller.user, today: Math.min(TODAY, ORDERS), chunk: 2_000, seed: 12345 };
      const cacheDir = cacheDirOf(pageScript, seedOptions);
      const cached = readCached(cacheDir, dir);
      const encryptionKey = cached ? Buffer.from(cached.encryptionKey, 'base64') : crypto.randomBytes(32);
      const launch = async (): Promise<LaunchedWorkstation> => {
        const launched = await launchWorkstation({
          dir,
          encryptionKey,
          signIn: { baseUrl: platform.url, account: 'agent01', password: DEMO_PASSWORD },
          extraArgs: mediaArgs(writeToneWav(path.join(dir, 'agent-440.wav'), 440)),
          prepare: (core) => {
            const d = defaultSettings();
            core.settings.set({
              section: 'sip',
              value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: kamailio.domain, extension: USERS.agent.user, authUser: USERS.agent.user, iceGatheringTimeoutMs: ICE_GATHERING_MS, audioProcessing: false },
            });
            core.settings.set({ section: 'calls', value: { ...d.calls, autoAnswer: false, wrapUpS: 0 } });
            core.secrets.set('sipPassword', USERS.agent.password);
          },
        });
        started.push(launched);
        if (DEBUG) launched.page.on('console', (m) => m.text().startsWith('orders-seed') && console.log(`  [workstation] ${m.text().slice(0, 300)}`));
        await launched.context.addInitScript({ content: browserBundle('bench/support/orders-probe.ts') });
        return launched;
      };

      // ---- seeding (or the seeded profile of an earlier run) ----------------------------------
      let ws = await launch();
      let seed: SeedReport;
      if (cached) {
        seed = cached.seed;
        debug(`seeded profile reused from ${cacheDir}`);
      } else {
        await waitAppReady(ws.page);
        await ws.page.evaluate(pageScript);
        seed = await ws.page.evaluate((o) => window.ordersBench.seed(o), { ...seedOptions, progress: DEBUG });
        debug(`seeded ${seed.count} orders in ${Math.round(seed.ms)} ms (${r1(seed.termsPerOrder)} terms/order, ${seed.distinctBigrams} distinct bigrams, bench caller ${seed.benchCallerOrders})`);
        if (cacheDir) {
          await ws.close();
          started.splice(started.indexOf(ws), 1);
          writeCache(cacheDir, dir, { seed, encryptionKey: encryptionKey.toString('base64') });
          ws = await launch();
        }
      }
      const page = ws.page;
      // The app starts on the full database, as after a real shift history.
      const reloadStart = performance.now();
      await page.reload();
      await waitAppReady(page);
      const reloadMs = performance.now() - reloadStart;
      debug(`reload → orders ready and registered in ${Math.round(reloadMs)} ms`);
      await setReady(page);
      const results: BenchResult[] = [];
      const p50Of = (xs: number[]) => r1(percentile(xs, 50));
      const seedNote = `${seed.count} orders ${cached ? 'from the cached seeded profile' : 'seeded'} (seeding ${r1(seed.ms / 1000)} s, ${r1(seed.termsPerOrder)} terms/order, ${seed.todayOrders} dated today, the rest over the 80 days before), caller ${USERS.caller.user} has ${seed.benchCallerOrders}; page reload → orders ready ${Math.round(reloadMs)} ms`;

      // ---- pop ------------------------------------------------------------------------------
      if (PARTS.has('pop')) {
        const pops: PopSample[] = [];
        const profiler = PROFILE ? new CpuProfiler(page) : TRACE ? new TimelineTracer(page) : undefined;
        for (let n = 1; n <= WARMUP + SAMPLES; n++) {
          const sampled = n > WARMUP;
          await Promise.all([page.evaluate(() => window.ordersProbe.reset()), caller.reset()]);
          if (sampled) await profiler?.start();
          await caller.call(USERS.agent.user);
          await waitMark(page, 'popShown');
          if (sampled) await profiler?.stop();
          const [m, c, rows] = await Promise.all([
            marksOf(page),
            caller.marks(),
            page.evaluate(() => document.querySelectorAll('[data-testid="pop"] [data-testid="pop-history-order"]').length),
          ]);
          const s: PopSample = {
            arrivedToPop: mark(m, 'popShown') - mark(m, 'inviteArrived'),
            arrivedToCard: mark(m, 'popCardShown') - mark(m, 'inviteArrived'),
            arrivedToRinging: mark(m, 'ringingShown') - mark(m, 'inviteArrived'),
            sentToPop: mark(m, 'popShown') - mark(c, 'inviteSent'),
            rows,
          };
          debug(`pop ${n}${sampled ? '' : ' (warm-up)'}: ${r1(s.arrivedToPop)} ms (card ${r1(s.arrivedToCard)}, ringing ${r1(s.arrivedToRinging)}; ${rows} rows)`);
          if (sampled) pops.push(s);
          // The caller gives up; the line is free again and the call's draft is discarded.
          await caller.hangup();
          await caller.page.waitForFunction(() => window.benchParty.state() === 'Terminated', undefined, { polling: 10, timeout: 20_000 });
          await page.waitForFunction(() => document.querySelector('[data-testid="call-state"]')?.textContent !== '来电振铃', undefined, { timeout: 20_000 });
          await discardActiveDraft(page);
          await setReady(page);
        }
        const profileLines = profiler?.report() ?? [];
        if (profiler instanceof TimelineTracer) for (const [i, w] of profiler.tasks.slice(-2).entries()) profileLines.push(`main-thread tasks over 1 ms, pop window ${i + 1}`, ...w.map((t) => `  ${t}`));
        if (profileLines.length > 0) console.log(`  orders: workstation page, INVITE → pop painted (${SAMPLES} calls)\n    ${profileLines.join('\n    ')}`);
        const popMs = pops.map((p) => p.arrivedToPop);
        results.push(
          { name: 'orders.pop_p50_ms', value: r1(percentile(popMs, 50)), unit: 'ms', goal: null, note: `${spread(popMs)}; ${seedNote}` },
          {
            name: 'orders.pop_p95_ms',
            value: r1(percentile(popMs, 95)),
            unit: 'ms',
            goal: '<= 50',
            note: `INVITE in the page → pop of that call painted with its local history (${pops[0]?.rows ?? 0} rows); of which ringing painted p50 ${p50Of(pops.map((p) => p.arrivedToRinging))}, pop card p50 ${p50Of(pops.map((p) => p.arrivedToCard))}; caller's INVITE sent → pop p50 ${p50Of(pops.map((p) => p.sentToPop))} ms`,
          },
        );
      }

      // ---- keystroke → durable draft --------------------------------------------------------
      if (PARTS.has('keystroke')) {
        const typingDraft = await newDraft(page);
        await page.getByTestId('field-content').click();
        await page.evaluate(() => window.ordersProbe.reset());
        await page.evaluate(([id, ms]) => window.ordersProbe.startPersistWatch(id as string, ms as number), [typingDraft, PERSIST_POLL_MS] as const);
        const SENTENCE = '来电人反映小区东门路灯连续三晚不亮行人夜间出行存在安全隐患希望尽快派人维修并告知处理结果另外楼下商铺音响声音过大扰民请一并处理谢谢';
        // A key that types a Chinese character (as an input method's direct commit would): a real
        // keydown with its text, through CDP (Playwright's keyboard knows only the US layout's keys).
        const cdp = await page.context().newCDPSession(page);
        const typeChar = async (ch: string) => {
          await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch });
          await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch });
        };
        let typed = 0;
        let rnd = 7;
        const next = () => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
        while (typed < KEYSTROKES) {
          const burst = Math.min(KEYSTROKES - typed, 6 + Math.floor(next() * 10));
          for (let i = 0; i < burst; i++) {
            await typeChar([...SENTENCE][typed % [...SENTENCE].length]!);
            typed++;
            if (i < burst - 1) await sleep(80 + next() * 40);
          }
          // The agent listens before the next burst.
          await sleep(600 + next() * 600);
        }
        await page
          .waitForFunction((n) => window.ordersProbe.keystrokes.length >= n && window.ordersProbe.keystrokes.every((k) => k.persisted !== undefined), KEYSTROKES, { timeout: 10_000 })
          .catch(() => undefined);
        const keys: Keystroke[] = await page.evaluate(() => window.ordersProbe.keystrokes.map((k) => ({ ...k })));
        const polls = await page.evaluate(() => window.ordersProbe.pollStats());
        await page.evaluate(() => window.ordersProbe.stopPersistWatch());
        await cdp.detach();
        const typedText = await page.getByTestId('field-content').inputValue();
        if ([...typedText].length !== KEYSTROKES) throw new Error(`typed ${KEYSTROKES} characters, the content field holds ${[...typedText].length}`);
        const persistMissing = keys.filter((k) => k.persisted === undefined).length;
        const persist = keys.filter((k) => k.persisted !== undefined).map((k) => k.persisted! - k.at);
        debug(`keystrokes: ${keys.length} stamped, ${persistMissing} never durable; ${spread(persist)}; poll reads ${polls.reads}, p50 ${r1(polls.p50)} ms, max ${r1(polls.max)} ms`);
        await discardActiveDraft(page);
        results.push({
          name: 'orders.keystroke_persist_p95_ms',
          value: r1(percentile(persist, 95)),
          unit: 'ms',
          goal: '<= 350',
          note: `keydown in field-content → draft row in IndexedDB with updatedAt ≥ it (polled every ${PERSIST_POLL_MS} ms): ${spread(persist)}${persistMissing ? `; ${persistMissing} keystrokes never seen durable` : ''}; poll read p50 ${r1(polls.p50)} ms`,
        });
      }

      // ---- submit → order number -------------------------------------------------------------
      if (PARTS.has('submit')) {
        const submits: { toNumber: number; toSaved: number }[] = [];
        for (let n = 1; n <= SUBMITS + 1; n++) {
          await newDraft(page);
          await page.getByTestId('field-callerPhone').fill(OTHER_CALLER);
          await choose(page, 'requestType-consult');
          await page.getByTestId('field-title').fill(`路灯不亮 ${n}`);
          await page.getByTestId('field-content').fill('来电人反映小区东门路灯连续三晚不亮，希望尽快派人维修。');
          await choose(page, 'disposition-emergency');
          await choose(page, 'emergencyLine-110');
          await page.evaluate(() => window.ordersProbe.reset());
          await page.getByTestId('order-submit').click();
          await waitMark(page, 'numberShown', 30_000);
          const m = await marksOf(page);
          const s = { toNumber: mark(m, 'numberShown') - mark(m, 'submitAt'), toSaved: mark(m, 'submittedShown') - mark(m, 'submitAt') };
          debug(`submit ${n}${n === 1 ? ' (warm-up)' : ''}: number ${r1(s.toNumber)} ms (notice ${r1(s.toSaved)} ms), ${await text(page, 'order-number')}`);
          if (n > 1) submits.push(s);
          await page.getByTestId('order-submitted').locator('.ant-alert-close-icon').click();
          await page.waitForFunction(() => !document.querySelector('[data-testid="order-submitted"]'));
        }
        const submitMs = submits.map((s) => s.toNumber);
        results.push({
          name: 'orders.submit_to_number_p50_ms',
          value: r1(percentile(submitMs, 50)),
          unit: 'ms',
          goal: null,
          note: `order-submit click → order-number painted: ${spread(submitMs)}; success notice (saved locally) p50 ${p50Of(submits.map((s) => s.toSaved))} ms`,
        });
      }

      // ---- local search ----------------------------------------------------------------------
      if (PARTS.has('search')) {
        const smp = seed.sample;
        const mix: { query: string; kind: string }[] = [];
        for (let i = 0; mix.length < QUERIES; i++) {
          const num = smp.numbers[i % smp.numbers.length]!;
          const kinds: { query: string; kind: string }[] = [
            { query: num, kind: 'number' },
            { query: num.slice(-4), kind: '4 digits' },
            { query: smp.names[i % smp.names.length]!, kind: 'name' },
            { query: smp.phrases[i % smp.phrases.length]!, kind: 'text' },
            { query: smp.phrases[(i + 5) % smp.phrases.length]!, kind: 'text' },
            { query: i % 2 ? smp.rare : smp.common, kind: i % 2 ? 'rare word' : 'common word' },
          ];
          for (const k of kinds) if (mix.length < QUERIES) mix.push(k);
        }
        await page.evaluate(pageScript);
        const timings: SearchTiming[] = await page.evaluate(([q, w]) => window.ordersBench.search(q as { query: string; kind: string }[], w as number), [mix, 12] as const);
        const searchMs = timings.map((t) => t.ms);
        const byKind = [...new Set(timings.map((t) => t.kind))].map((k) => {
          const xs = timings.filter((t) => t.kind === k);
          return `${k} p50 ${r1(percentile(xs.map((t) => t.ms), 50))}/p95 ${r1(percentile(xs.map((t) => t.ms), 95))} ms (${r1(xs.reduce((a, t) => a + t.hits, 0) / xs.length)} hits)`;
        });
        debug(`search: ${spread(searchMs)}; ${byKind.join('; ')}`);
        results.push({
          name: 'orders.local_search_p95_ms',
          value: r1(percentile(searchMs, 95)),
          unit: 'ms',
          goal: '<= 50',
          note: `searchOrders over ${seed.count} local orders, ${timings.length} queries: ${spread(searchMs)}; ${byKind.join('; ')}`,
        });
      }

      console.log(`  orders: group ran in ${r1((performance.now() - groupStart) / 1000)} s (seeding ${r1(seed.ms / 1000)} s)`);
      return results;
    } finally {
      for (const s of started.reverse()) await s.close().catch((error: unknown) => console.error('orders bench clean-up:', error));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
