/** Waiting with a bound (renderer-wide: the orders and phone domains both use it). */

/** The promise's value, or undefined once `ms` have passed without it (its timer is cleared either way). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * Run `task` once the page is idle (at the latest after `timeoutMs`): work that the first minutes
 * need but the first frames do not (e.g. syncing an offline copy) stays off the start-up path.
 */
export function whenIdle(task: () => void, timeoutMs = 2_000): void {
  const w = globalThis as { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number };
  if (typeof w.requestIdleCallback === 'function') w.requestIdleCallback(task, { timeout: timeoutMs });
  else setTimeout(task, Math.min(timeoutMs, 1_000));
}

/** A task run on request, never twice at once and at most once per `gapMs` (see coalesced()). */
export interface Coalesced {
  /** Run the task now if it may, else once when it may (any number of requests meanwhile: one run). */
  request(): void;
  /** No run after this one (a run under way finishes). */
  dispose(): void;
}

/**
 * Requests of a costly refresh that can come many times a second (figures moving while thousands
 * of entries drain) turn into at most one run per `gapMs`, none overlapping, the last request
 * always followed by a run: what is shown catches up with the end, without redoing the read each time.
 */
export function coalesced(task: () => Promise<unknown>, gapMs: number): Coalesced {
  let running = false;
  let wanted = false;
  let disposed = false;
  let lastStart = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    if (disposed || running || !wanted) return;
    const wait = lastStart + gapMs - Date.now();
    if (wait > 0) {
      timer = setTimeout(run, wait);
      return;
    }
    wanted = false;
    running = true;
    lastStart = Date.now();
    void task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (wanted) run();
      });
  };
  return {
    request() {
      wanted = true;
      if (timer === undefined) run();
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
