/**
 * Decides how long to wait before reloading a crashed renderer: at once for an isolated crash,
 * backing off when crashes repeat, so a renderer that crashes on load cannot spin the CPU.
 */
export class CrashLoopGuard {
  private crashes: number[] = [];

  constructor(private readonly options: { maxCrashes: number; windowMs: number; maxDelayMs?: number }) {}

  /** Record a crash at `now`; returns the delay before reloading, in ms. */
  recordCrash(now: number): number {
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    const excess = this.crashes.length - this.options.maxCrashes;
    if (excess <= 0) return 0;
    return Math.min(this.options.maxDelayMs ?? 30_000, 1000 * 2 ** (excess - 1));
  }
}
