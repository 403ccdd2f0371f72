/**
 * Diagnostics for the call benchmark (CALL_BENCH_PROFILE=1): a CDP CPU profile of a page over
 * chosen windows (e.g. INVITE → first RTP of each sampled call), summed into self time per
 * function, so a slow path can be traced to the code that spends it.
 */
import type { CDPSession, Page } from '@playwright/test';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export class CpuProfiler {
  private session: CDPSession | undefined;
  private readonly self = new Map<string, number>();
  /** Inclusive time of functions named like React components (a capital first letter): which part of the UI renders. */
  private readonly components = new Map<string, number>();
  private total = 0;

  constructor(private readonly page: Page) {}

  async start(): Promise<void> {
    this.session ??= await this.page.context().newCDPSession(this.page);
    await this.session.send('Profiler.enable');
    await this.session.send('Profiler.setSamplingInterval', { interval: 200 });
    await this.session.send('Profiler.start');
  }

  async stop(): Promise<void> {
    if (!this.session) return;
    const { profile } = (await this.session.send('Profiler.stop')) as { profile: Profile };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parentOf = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 1; i < samples.length; i++) {
      const node = byId.get(samples[i - 1]!);
      if (!node) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const file = url.split('/').pop() ?? '';
      const key = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
      const ms = (deltas[i] ?? 0) / 1000;
      this.self.set(key, (this.self.get(key) ?? 0) + ms);
      this.total += ms;
      const seen = new Set<string>();
      for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
        const name = byId.get(id)?.callFrame.functionName ?? '';
        if (/^[A-Z][A-Za-z0-9]+$/.test(name) && !seen.has(name)) {
          seen.add(name);
          this.components.set(name, (this.components.get(name) ?? 0) + ms);
        }
      }
    }
  }

  /** The `top` functions by self time over every window, as printable lines. */
  report(top = 30): string[] {
    const rows = [...this.self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
    const components = [...this.components.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15);
    return [
      `total ${this.total.toFixed(1)} ms`,
      ...rows.map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`),
      'components, inclusive (names survive only in an unminified build):',
      ...components.map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${k}`),
    ];
  }
}
