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
