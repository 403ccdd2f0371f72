/**
 * Work the orders domain started without anyone awaiting it (pop loads, refreshes, deferred form
 * activation): awaited by stopOrders, ordersSettled and tests.
 */
export const inflight = new Set<Promise<unknown>>();

export function track(p: Promise<unknown>): void {
  const settled = p.catch(() => undefined);
  inflight.add(settled);
  void settled.then(() => inflight.delete(settled));
}

/** Resolves once nothing tracked is running (including work started while waiting). */
export async function inflightSettled(): Promise<void> {
  while (inflight.size > 0) await Promise.all([...inflight]);
}
