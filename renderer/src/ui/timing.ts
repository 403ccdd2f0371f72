/** Waiting with a bound (renderer-wide: the orders and phone domains both use it). */

/** The promise's value, or undefined once `ms` have passed without it (its timer is cleared either way). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
