/**
 * call.*: the softphone's latencies and its memory over a shift's worth of calls, through a real
 * Kamailio with real Chromium WebRTC media, each figure measured in the same run against a
 * reference: a bare SIP.js agent page (bare-party-page.ts, no UI framework, auto-answer) set up
 * like the workstation's line, called by the same caller through the same Kamailio.
 *
 * Every party runs in its own Chromium on this machine; timestamps are
 * `performance.timeOrigin + performance.now()` in each page (epoch ms, sub-ms), so marks from
 * different processes can be subtracted (each page's skew against this process's clock is
 * estimated from round trips and reported in a note).
 *
 *   invite_to_shown   caller's transport sends the INVITE that reaches the agent (the one after the
 *                     proxy's digest challenge: a gateway trunk's INVITE is not challenged) → the
 *                     animation frame that paints the ringing state (workstation: `call-state`
 *                     reads 来电振铃; MutationObserver + requestAnimationFrame).
 *   answer_to_media   the answer action (workstation: the click on `answer`, capture phase; bare:
 *                     its auto-answer calling accept(), 300 ms after the ringing frame) → both the
 *                     agent and the caller have received their first audio RTP packet (remote
 *                     track unmute / inbound-rtp packetsReceived > 0 polled every 10 ms, whichever first).
 *                     The note adds when the agent's 200 OK left the page (WebSocket send).
 *   dial_to_invite    the click on `dial` with 12366 in `dial-input` (bare: its dial()) → the
 *                     callee's SIP.js onInvite.
 *   register          the SIP stack opening its WebSocket → the frame that paints 已注册 (bare:
 *                     "registered"), after a page load.
 *   heap/dom growth   JS heap used and DOM nodes (CDP, after forced GC) after call 10 and after the
 *                     last call of the loop: inbound, answered, hung up by the agent, Ready again
 *                     through the agent-state select (wrap-up set to manual, wrapUpS 0).
 *
 * Env: CALL_BENCH_CALLS (default 300), CALL_BENCH_SAMPLES (latency samples per side, default 40),
 * CALL_BENCH_WARMUP (default 5), CALL_BENCH_DIAL_SAMPLES (default 30), CALL_BENCH_REGISTER_RUNS (default 5),
 * CALL_BENCH_DEBUG (per-call marks on the console), CALL_BENCH_PROFILE (CPU self time per function
 * of the workstation page over the sampled calls' ringing and answering, on the console),
 * CALL_BENCH_TRACE (the same windows as timeline event totals: style, layout, paint, script).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { launchWorkstation, type LaunchedWorkstation } from '../e2e/support/bridge';
import { browserBundle } from '../e2e/support/browser-bundle';
import { startKamailio, type RunningKamailio } from '../e2e/support/kamailio';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from '../e2e/support/platform-server';
import { mediaArgs, writeToneWav } from '../e2e/support/wav';
import { defaultSettings } from '../shared/settings/schema';
import { median, percentile, type BenchGroup, type BenchResult } from './types';
import { startBareParty, type RunningParty } from './support/bare-party';
import type { Marks } from './support/call-probe';
import { CpuProfiler } from './support/cpu-profile';
import { TimelineTracer } from './support/timeline';

function envInt(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

const CALLS = envInt('CALL_BENCH_CALLS', 300);
const WARMUP = envInt('CALL_BENCH_WARMUP', 5);
const SAMPLES = envInt('CALL_BENCH_SAMPLES', 40);
const DIAL_SAMPLES = envInt('CALL_BENCH_DIAL_SAMPLES', 30);
const REGISTER_RUNS = envInt('CALL_BENCH_REGISTER_RUNS', 5);
/** The heap and DOM baseline is taken after this call (the UI has seen every kind of state by then). */
const BASELINE_CALL = 10;
/** Agent reaction time before answering (both agents): the answer never overlaps the ringing work. */
const ANSWER_AFTER_MS = 300;
const ICE_GATHERING_MS = 200;
const DEBUG = !!process.env.CALL_BENCH_DEBUG;
/** Diagnostics: CPU-profile the workstation page from INVITE to ringing and from answer to media. */
const PROFILE = !!process.env.CALL_BENCH_PROFILE;
/** Diagnostics: the same windows as a timeline trace (style, layout, paint, script per window). */
const TRACE = !!process.env.CALL_BENCH_TRACE;

interface Recorder {
  start(): Promise<void>;
  stop(): Promise<void>;
  report(): string[];
}

const USERS = {
  agent: { user: '8001', password: 'bench-agent-8001' },
  bare: { user: '8002', password: 'bench-agent-8002' },
  caller: { user: 'caller1', password: 'bench-caller-1' },
  // A short service number: the workstation's dial input only accepts Chinese phone numbers.
  callee: { user: '12366', password: 'bench-callee-12366' },
};

const nodeNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const debug = (m: string) => DEBUG && console.log(`  call: ${m}`);

async function waitMark(page: Page, name: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction((n) => window.benchProbe !== undefined && n in window.benchProbe.marks, name, { polling: 10, timeout });
}

const marksOf = (page: Page): Promise<Marks> => page.evaluate(() => ({ ...window.benchProbe.marks }));
const resetMarks = (page: Page): Promise<void> => page.evaluate(() => window.benchProbe.reset());

function mark(marks: Marks, name: string, who: string): number {
  const v = marks[name];
  if (v === undefined) throw new Error(`${who}: no ${name} mark (${JSON.stringify(marks)})`);
  return v;
}

/** This page's clock minus ours, from the tightest of a few round trips (same machine: ~0). */
async function clockSkew(page: Page): Promise<{ skew: number; bound: number }> {
  let best = { skew: 0, bound: Infinity };
  for (let i = 0; i < 15; i++) {
    const t0 = nodeNow();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = nodeNow();
    if ((t1 - t0) / 2 < best.bound) best = { skew: p - (t0 + t1) / 2, bound: (t1 - t0) / 2 };
  }
  return best;
}

/** The workstation as an agent works it: through the UI, with the probe injected before its code runs. */
class WorkstationLine {
  constructor(readonly ws: LaunchedWorkstation) {}

  get page(): Page {
    return this.ws.page;
  }

  static async launch(dir: string, platform: RunningPlatform, kamailio: RunningKamailio): Promise<WorkstationLine> {
    const ws = await launchWorkstation({
      dir,
      signIn: { baseUrl: platform.url, account: 'agent01', password: E2E_PASSWORD },
      extraArgs: mediaArgs(writeToneWav(path.join(dir, 'agent-440.wav'), 440)),
      prepare: (core) => {
        const defaults = defaultSettings();
        core.settings.set({
          section: 'sip',
          value: { ...defaults.sip, serverUrl: kamailio.wsUrl, domain: kamailio.domain, extension: USERS.agent.user, authUser: USERS.agent.user, iceGatheringTimeoutMs: ICE_GATHERING_MS, audioProcessing: false },
        });
        // Manual wrap-up: the loop makes the agent Ready through the UI after each call.
        core.settings.set({ section: 'calls', value: { ...defaults.calls, autoAnswer: false, wrapUpS: 0 } });
        core.secrets.set('sipPassword', USERS.agent.password);
      },
    });
    if (DEBUG) ws.page.on('console', (m) => console.log(`  [workstation] ${m.text().slice(0, 300)}`));
    await ws.context.addInitScript({ content: browserBundle('bench/support/workstation-probe.ts') });
    return new WorkstationLine(ws);
  }

  /** Reload the renderer and time its registration. */
  async reloadAndRegister(): Promise<{ fromWs: number; fromNavigation: number }> {
    await this.page.reload();
    await waitMark(this.page, 'registeredShown');
    const m = await marksOf(this.page);
    const origin = await this.page.evaluate(() => performance.timeOrigin);
    return { fromWs: mark(m, 'registeredShown', 'workstation') - mark(m, 'wsCreated', 'workstation'), fromNavigation: mark(m, 'registeredShown', 'workstation') - origin };
  }

  async setReady(): Promise<void> {
    await this.page.getByTestId('agent-state-select').click();
    await this.page.getByTitle('就绪', { exact: true }).click();
    await this.page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="agent-state"]')?.textContent ?? '';
      return t.includes('就绪') && !t.includes('未就绪') && !t.includes('话后整理');
    });
  }

  async waitCallState(text: string): Promise<void> {
    await this.page.waitForFunction((t) => document.querySelector('[data-testid="call-state"]')?.textContent === t, text, { polling: 10, timeout: 20_000 });
  }
}

interface Memory {
  heapBytes: number;
  nodes: number;
  elements: number;
}

/** JS heap used and DOM nodes of a page after forced garbage collection, with its UI at rest. */
async function memoryOf(page: Page): Promise<Memory> {
  await sleep(1500);
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await sleep(100);
    }
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const { nodes } = await cdp.send('Memory.getDOMCounters');
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    return { heapBytes: usedSize, nodes, elements };
  } finally {
    await cdp.detach();
  }
}

interface InboundSample {
  inviteToShown: number;
  answerToMedia: number;
  /** Diagnostics: answer → the agent's 200 OK on the wire, and which side got media last. */
  answerToOk: number;
  /** Diagnostics: the INVITE reaching the agent's page → ringing painted. */
  arrivedToShown: number;
  lastSide: 'agent' | 'caller';
}

/** One inbound call to the workstation: ring, answer by click, two-way media, agent hangs up, Ready again. */
async function inboundToWorkstation(line: WorkstationLine, caller: RunningParty, profile?: { ring: Recorder; answer: Recorder }): Promise<InboundSample> {
  await Promise.all([resetMarks(line.page), caller.reset()]);
  await profile?.ring.start();
  await caller.call(USERS.agent.user);
  await waitMark(line.page, 'shown');
  await profile?.ring.stop();
  await sleep(ANSWER_AFTER_MS);
  await profile?.answer.start();
  await line.page.getByTestId('answer').click();
  await Promise.all([waitMark(line.page, 'firstRtp'), waitMark(caller.page, 'firstRtp')]);
  await profile?.answer.stop();
  const [a, c] = await Promise.all([marksOf(line.page), caller.marks()]);
  await line.waitCallState('通话中');
  await line.page.getByTestId('hangup').click();
  await line.waitCallState('通话结束');
  await caller.page.waitForFunction(() => window.benchParty.state() === 'Terminated', undefined, { polling: 10, timeout: 20_000 });
  await line.page.waitForFunction(() => document.querySelector('[data-testid="agent-state"]')?.textContent?.includes('话后整理'), undefined, { timeout: 20_000 });
  await line.setReady();
  return sample(a, c, 'workstation');
}

/** The same call to the bare agent: it rings, answers by itself, and hangs up when told. */
async function inboundToBare(bare: RunningParty, caller: RunningParty): Promise<InboundSample> {
  await Promise.all([bare.reset(), caller.reset()]);
  await caller.call(USERS.bare.user);
  await waitMark(bare.page, 'shown');
  await Promise.all([waitMark(bare.page, 'firstRtp'), waitMark(caller.page, 'firstRtp')]);
  const [a, c] = await Promise.all([bare.marks(), caller.marks()]);
  await bare.page.waitForFunction(() => window.benchParty.state() === 'Established', undefined, { polling: 10, timeout: 20_000 });
  await bare.hangup();
  await caller.page.waitForFunction(() => window.benchParty.state() === 'Terminated', undefined, { polling: 10, timeout: 20_000 });
  return sample(a, c, 'bare agent');
}

function sample(agent: Marks, caller: Marks, who: string): InboundSample {
  const agentRtp = mark(agent, 'firstRtp', who);
  const callerRtp = mark(caller, 'firstRtp', 'caller');
  const s: InboundSample = {
    inviteToShown: mark(agent, 'shown', who) - mark(caller, 'inviteSent', 'caller'),
    answerToMedia: Math.max(agentRtp, callerRtp) - mark(agent, 'answerAt', who),
    answerToOk: mark(agent, 'okSent', who) - mark(agent, 'answerAt', who),
    arrivedToShown: mark(agent, 'shown', who) - mark(agent, 'inviteArrived', who),
    lastSide: agentRtp >= callerRtp ? 'agent' : 'caller',
  };
  if (DEBUG) {
    const rel = (m: Marks, base: number) => Object.entries(m).map(([k, v]) => `${k}=${(v - base).toFixed(1)}`).join(' ');
    const base = mark(agent, 'answerAt', who);
    debug(`${who}: shown ${s.inviteToShown.toFixed(1)} media ${s.answerToMedia.toFixed(1)} | agent ${rel(agent, base)} | caller ${rel(caller, base)}`);
  }
  return s;
}

interface DialSample {
  /** Dial action → INVITE received by the callee. */
  toReceived: number;
  /** Dial action → the (authenticated) INVITE leaving the dialling page. */
  toSent: number;
}

function dialSample(agent: Marks, callee: Marks, who: string): DialSample {
  const dialAt = mark(agent, 'dialAt', who);
  return { toReceived: mark(callee, 'inviteReceived', 'callee') - dialAt, toSent: mark(agent, 'inviteSent', who) - dialAt };
}

async function dialFromWorkstation(line: WorkstationLine, callee: RunningParty): Promise<DialSample> {
  await Promise.all([resetMarks(line.page), callee.reset()]);
  await line.page.getByTestId('dial-input').fill(USERS.callee.user);
  await line.page.getByTestId('dial').click();
  await waitMark(callee.page, 'inviteReceived');
  const [a, c] = await Promise.all([marksOf(line.page), callee.marks()]);
  // The callee refuses at once (486): wait until the line is free for the next dial.
  await line.waitCallState('通话结束');
  await line.page.waitForFunction(() => !document.querySelector('[data-testid="dial-input"]')?.hasAttribute('disabled'), undefined, { polling: 10 });
  return dialSample(a, c, 'workstation');
}

async function dialFromBare(bare: RunningParty, callee: RunningParty): Promise<DialSample> {
  await Promise.all([bare.reset(), callee.reset()]);
  await bare.dial(USERS.callee.user);
  await waitMark(callee.page, 'inviteReceived');
  const [a, c] = await Promise.all([bare.marks(), callee.marks()]);
  await bare.page.waitForFunction(() => window.benchParty.state() === 'Terminated', undefined, { polling: 10, timeout: 20_000 });
  return dialSample(a, c, 'bare agent');
}

const r1 = (v: number) => Math.round(v * 10) / 10;

function spread(values: number[]): string {
  return `n=${values.length}, min ${r1(Math.min(...values))}, p50 ${r1(percentile(values, 50))}, p95 ${r1(percentile(values, 95))}, max ${r1(Math.max(...values))}`;
}

export const callBench: BenchGroup = {
  prefix: 'call',
  async run() {
    if (CALLS < BASELINE_CALL + 2) throw new Error(`CALL_BENCH_CALLS must be at least ${BASELINE_CALL + 2}`);
    const samples = Math.min(SAMPLES, CALLS - WARMUP);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-call-'));
    const started: { close(): Promise<void> }[] = [];
    try {
      const kamailio = await startKamailio(Object.values(USERS));
      started.push({ close: () => kamailio.stop() });
      const platform = await startPlatformServer();
      started.push(platform);
      const party = (u: { user: string; password: string }, hz: number, extra: { autoAnswerAfterMs: number | null; rejectWith?: number }) =>
        startBareParty({ wsUrl: kamailio.wsUrl, domain: kamailio.domain, ...u, iceGatheringTimeoutMs: ICE_GATHERING_MS, wav: writeToneWav(path.join(dir, `${u.user}-${hz}.wav`), hz), ...extra });
      const caller = await party(USERS.caller, 1000, { autoAnswerAfterMs: null });
      started.push(caller);
      const bare = await party(USERS.bare, 440, { autoAnswerAfterMs: ANSWER_AFTER_MS });
      started.push(bare);
      const callee = await party(USERS.callee, 660, { autoAnswerAfterMs: null, rejectWith: 486 });
      started.push(callee);
      const line = await WorkstationLine.launch(dir, platform, kamailio);
      started.push(line.ws);

      // Registration: page load → registered, alternating the two agents.
      const reg = { ws: [] as number[], wsNav: [] as number[], bare: [] as number[] };
      for (let i = 0; i < REGISTER_RUNS; i++) {
        const r = await line.reloadAndRegister();
        reg.ws.push(r.fromWs);
        reg.wsNav.push(r.fromNavigation);
        await bare.load();
        // The mark lands on the frame that paints "registered", after register() resolves.
        await waitMark(bare.page, 'registeredShown');
        const m = await bare.marks();
        reg.bare.push(mark(m, 'registeredShown', 'bare agent') - mark(m, 'wsCreated', 'bare agent'));
      }
      debug(`register: workstation ${reg.ws.map(r1).join(', ')}; bare ${reg.bare.map(r1).join(', ')}`);
      const skews = await Promise.all([line.page, bare.page, caller.page, callee.page].map(clockSkew));
      const skewNote = `page clocks vs bench ${skews.map((s) => `${r1(s.skew)}±${r1(s.bound)}`).join(', ')} ms`;
      debug(skewNote);
      await line.setReady();

      // Dial → INVITE at the callee, alternating workstation and bare agent.
      const dial = { ws: [] as DialSample[], bare: [] as DialSample[] };
      for (let i = 0; i < 3 + DIAL_SAMPLES; i++) {
        const w = await dialFromWorkstation(line, callee);
        const b = await dialFromBare(bare, callee);
        if (i >= 3) {
          dial.ws.push(w);
          dial.bare.push(b);
        }
      }
      const dialWs = dial.ws.map((d) => d.toReceived);
      const dialBare = dial.bare.map((d) => d.toReceived);
      const sentP50 = (xs: DialSample[]) => r1(percentile(xs.map((d) => d.toSent), 50));
      debug(`dial: workstation ${spread(dialWs)}; bare ${spread(dialBare)}`);

      // Inbound calls: latencies alternating with the bare agent, then the rest of the loop.
      const ws: InboundSample[] = [];
      const ref: InboundSample[] = [];
      let baseline: Memory | undefined;
      const bareMemory: { n: number; base?: Memory; end?: Memory } = { n: 0 };
      const toBare = async () => {
        const r = await inboundToBare(bare, caller);
        if (++bareMemory.n === BASELINE_CALL) bareMemory.base = await memoryOf(bare.page);
        return r;
      };
      const loopStart = performance.now();
      const recorder = (): Recorder | undefined => (PROFILE ? new CpuProfiler(line.page) : TRACE ? new TimelineTracer(line.page) : undefined);
      const [ringRec, answerRec] = [recorder(), recorder()];
      const profile = ringRec && answerRec ? { ring: ringRec, answer: answerRec } : undefined;
      for (let n = 1; n <= CALLS; n++) {
        const sampled = n > WARMUP && n <= WARMUP + samples;
        const s = await inboundToWorkstation(line, caller, sampled ? profile : undefined);
        if (sampled) {
          ws.push(s);
          ref.push(await toBare());
        } else if (n <= WARMUP) {
          await toBare();
        }
        if (n === BASELINE_CALL) baseline = await memoryOf(line.page);
        if (n % 25 === 0) debug(`${n} calls, ${Math.round((performance.now() - loopStart) / 1000)} s`);
      }
      if (profile) {
        console.log(`  call: workstation page, INVITE → ringing painted (${samples} calls)\n    ${profile.ring.report().join('\n    ')}`);
        console.log(`  call: workstation page, answer → media (${samples} calls)\n    ${profile.answer.report().join('\n    ')}`);
        if (profile.answer instanceof TimelineTracer) {
          for (const [i, w] of profile.answer.tasks.slice(-3).entries()) console.log(`  call: main-thread tasks over 1 ms, answer window ${i + 1}\n    ${w.join('\n    ')}`);
          for (const [i, w] of (profile.ring as TimelineTracer).tasks.slice(-2).entries()) console.log(`  call: main-thread tasks over 1 ms, ringing window ${i + 1}\n    ${w.join('\n    ')}`);
        }
      }
      const end = await memoryOf(line.page);
      const base = baseline!;
      debug(`memory: call ${BASELINE_CALL} ${JSON.stringify(base)}; call ${CALLS} ${JSON.stringify(end)}`);
      // The same reading on the bare page over its (fewer) calls: what the harness and SIP.js alone leave behind.
      let bareNote = '';
      if (bareMemory.base && bareMemory.n > BASELINE_CALL + 1) {
        const bareEnd = await memoryOf(bare.page);
        const perCall = (bareEnd.heapBytes - bareMemory.base.heapBytes) / 1024 / (bareMemory.n - BASELINE_CALL);
        bareNote = `; bare page ${r1(perCall)} KB/call and ${bareEnd.nodes - bareMemory.base.nodes} nodes over calls ${BASELINE_CALL} → ${bareMemory.n}`;
      }

      const shown = ws.map((s) => s.inviteToShown);
      const shownBare = ref.map((s) => s.inviteToShown);
      const media = ws.map((s) => s.answerToMedia);
      const mediaBare = ref.map((s) => s.answerToMedia);
      const lastAgent = (xs: InboundSample[]) => xs.filter((s) => s.lastSide === 'agent').length;
      const okP50 = (xs: InboundSample[]) => r1(percentile(xs.map((s) => s.answerToOk), 50));
      const pageP50 = (xs: InboundSample[]) => r1(percentile(xs.map((s) => s.arrivedToShown), 50));
      const results: BenchResult[] = [
        { name: 'call.invite_to_shown_p50_ms', value: r1(percentile(shown, 50)), unit: 'ms', goal: null, note: `workstation: ${spread(shown)}` },
        { name: 'call.invite_to_shown_p95_ms', value: r1(percentile(shown, 95)), unit: 'ms', goal: '<= 35', note: `INVITE sent by the caller → ringing painted; of which INVITE in the page → painted p50 ${pageP50(ws)} ms (bare ${pageP50(ref)} ms); ${skewNote}` },
        { name: 'call.invite_to_shown_bare_p50_ms', value: r1(percentile(shownBare, 50)), unit: 'ms', goal: null, note: `bare SIP.js page: ${spread(shownBare)}` },
        { name: 'call.invite_to_shown_bare_p95_ms', value: r1(percentile(shownBare, 95)), unit: 'ms', goal: null, note: 'reference' },
        { name: 'call.answer_to_media_p50_ms', value: r1(percentile(media, 50)), unit: 'ms', goal: '<= 100', note: `workstation: ${spread(media)}; agent side last in ${lastAgent(ws)}/${ws.length}; 200 OK sent at p50 ${okP50(ws)} ms` },
        { name: 'call.answer_to_media_p95_ms', value: r1(percentile(media, 95)), unit: 'ms', goal: null, note: 'answer click → first RTP received by both agent and caller' },
        { name: 'call.answer_to_media_bare_p50_ms', value: r1(percentile(mediaBare, 50)), unit: 'ms', goal: null, note: `bare SIP.js page: ${spread(mediaBare)}; agent side last in ${lastAgent(ref)}/${ref.length}; 200 OK sent at p50 ${okP50(ref)} ms` },
        { name: 'call.answer_to_media_bare_p95_ms', value: r1(percentile(mediaBare, 95)), unit: 'ms', goal: null, note: 'reference' },
        {
          name: 'call.answer_to_media_ratio_vs_bare',
          value: Math.round((percentile(media, 50) / percentile(mediaBare, 50)) * 100) / 100,
          unit: 'x',
          goal: '<= 1.15',
          note: 'workstation p50 / bare p50, calls interleaved',
        },
        {
          name: 'call.dial_to_invite_p50_ms',
          value: r1(percentile(dialWs, 50)),
          unit: 'ms',
          goal: '<= 100',
          note: `dial click → callee's onInvite: ${spread(dialWs)}; INVITE left the page at p50 ${sentP50(dial.ws)} ms`,
        },
        {
          name: 'call.dial_to_invite_bare_p50_ms',
          value: r1(percentile(dialBare, 50)),
          unit: 'ms',
          goal: null,
          note: `bare SIP.js page: ${spread(dialBare)}; INVITE left the page at p50 ${sentP50(dial.bare)} ms`,
        },
        {
          name: 'call.register_ms',
          value: r1(median(reg.ws)),
          unit: 'ms',
          goal: null,
          note: `SIP WebSocket opened → 已注册 painted, median of ${reg.ws.length} reloads: ${reg.ws.map(r1).join(', ')}; page navigation → 已注册 ${r1(median(reg.wsNav))} ms`,
        },
        { name: 'call.register_bare_ms', value: r1(median(reg.bare)), unit: 'ms', goal: null, note: `bare SIP.js page: ${reg.bare.map(r1).join(', ')}` },
        {
          name: 'call.heap_growth_300_mb',
          value: Math.round(((end.heapBytes - base.heapBytes) / 1024 ** 2) * 100) / 100,
          unit: 'MB',
          goal: '<= 3',
          note: `JS heap used after GC, call ${BASELINE_CALL} → call ${CALLS}: ${(base.heapBytes / 1024 ** 2).toFixed(2)} → ${(end.heapBytes / 1024 ** 2).toFixed(2)} MB${bareNote}`,
        },
        {
          name: 'call.dom_nodes_growth_300',
          value: end.nodes - base.nodes,
          unit: 'nodes',
          goal: '<= 100',
          note: `DOM nodes (CDP Memory.getDOMCounters) call ${BASELINE_CALL} → ${CALLS}: ${base.nodes} → ${end.nodes}; elements in the document ${base.elements} → ${end.elements}`,
        },
      ];
      return results;
    } finally {
      for (const s of started.reverse()) await s.close().catch((error: unknown) => console.error('call bench clean-up:', error));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
