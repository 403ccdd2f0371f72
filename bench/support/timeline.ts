/**
 * Diagnostics for the call benchmark (CALL_BENCH_TRACE=1): a Chromium timeline trace of a page
 * over chosen windows, summed per event name on the page's main thread (style, layout, paint,
 * script, timers…), to see where a slow path spends what a CPU profile calls "(program)".
 */
import type { CDPSession, Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: {
    name?: string;
    data?: { functionName?: string; url?: string; lineNumber?: number; type?: string; stackTrace?: StackFrame[] };
    beginData?: { stackTrace?: StackFrame[] };
  };
}

interface StackFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

const frames = (stack: StackFrame[] | undefined) =>
  (stack ?? [])
    .slice(0, 4)
    .map((f) => `${f.functionName || '?'}@${f.url.split('/').pop()}:${f.lineNumber}`)
    .join('<');

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.stack', 'disabled-by-default-devtools.timeline.invalidationTracking', 'blink', 'v8', 'toplevel'].join(',');

export class TimelineTracer {
  private session: CDPSession | undefined;
  private readonly totals = new Map<string, { ms: number; n: number }>();
  private windows = 0;
  /** Per window: the main thread's tasks over 1 ms, in order, with what they ran. */
  readonly tasks: string[][] = [];

  constructor(private readonly page: Page) {}

  async start(): Promise<void> {
    this.session ??= await this.page.context().newCDPSession(this.page);
    await this.session.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    const events: TraceEvent[] = [];
    const collected = new Promise<void>((resolve) => {
      const onData = (e: { value: unknown[] }) => void events.push(...(e.value as unknown as TraceEvent[]));
      session.on('Tracing.dataCollected', onData);
      session.once('Tracing.tracingComplete', () => {
        session.off('Tracing.dataCollected', onData);
        resolve();
      });
    });
    await session.send('Tracing.end');
    await collected;
    this.windows++;
    const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
    if (!main) return;
    const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
    const t0 = onMain[0]?.ts ?? 0;
    const lines: string[] = [];
    for (const task of onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur! > 1000)) {
      const inside = onMain.filter((e) => e.ts >= task.ts && e.ts < task.ts + task.dur! && e !== task && e.dur! > 300 && !/RunTask|v8\.callFunction|AsyncTask/.test(e.name));
      const what = inside
        .slice(0, 6)
        .map((e) => `${e.name}${e.args?.beginData?.stackTrace ? `[${frames(e.args.beginData.stackTrace)}]` : ''}${e.args?.data?.stackTrace ? `[${frames(e.args.data.stackTrace)}]` : ''}${e.args?.data?.functionName ? `(${e.args.data.functionName} ${(e.args.data.url ?? '').split('/').pop()}:${e.args.data.lineNumber ?? ''})` : e.args?.data?.type ? `(${e.args.data.type})` : ''} ${(e.dur! / 1000).toFixed(1)}`)
        .join(' | ');
      lines.push(`+${((task.ts - t0) / 1000).toFixed(1)} ms  ${(task.dur! / 1000).toFixed(1)} ms  ${what}`);
    }
    if (process.env.CALL_BENCH_TRACE === 'invalidations') {
      const inv = events.filter((e) => e.pid === main.pid && /Invalidation/.test(e.name)).sort((a, b) => a.ts - b.ts);
      const counts = new Map<string, number>();
      for (const e of inv) {
        const d = (e.args?.data ?? {}) as Record<string, unknown>;
        const key = `${e.name} ${String(d.reason ?? d.changedAttribute ?? d.changedClass ?? d.changedId ?? d.changedPseudo ?? '')} ${String(d.nodeName ?? '')} ${frames(d.stackTrace as StackFrame[] | undefined)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [k, n] of [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) lines.push(`  ${String(n).padStart(4)}×  ${k}`);
    }
    this.tasks.push(lines);
    for (const e of onMain) {
      const t = this.totals.get(e.name) ?? { ms: 0, n: 0 };
      t.ms += e.dur! / 1000;
      t.n++;
      this.totals.set(e.name, t);
    }
  }

  /** Mean milliseconds per window for the `top` event names (nested events are counted in both). */
  report(top = 25): string[] {
    const rows = [...this.totals.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
    return rows.map(([name, t]) => `${(t.ms / Math.max(1, this.windows)).toFixed(2).padStart(8)} ms/window  ${String(Math.round(t.n / Math.max(1, this.windows))).padStart(5)}×  ${name}`);
  }
}
