/**
 * The local search index of orders: for each search term (a keyed hash of a bigram, sealed.ts
 * `terms`) and each day, the ordinals of the orders that carry it — one `postings` row per
 * (term, day). Every local order gets an ordinal (`n`, counted up in `meta`, never reused), so a
 * posting is a small integer and the newest orders have the highest ones.
 *
 * Why this shape and not a multi-entry index of terms on the order rows: a seat keeps up to
 * ~100,000 orders, ~45 terms each. As index entries (each repeating the row's id) and as arrays on
 * the rows that is over a gigabyte on disk, slow to write and slow to read past. As postings it is
 * a few bytes per term occurrence, in rows a query reads whole: a term's days are one key-range
 * read; the days all terms share are read newest first, a few at a time, and intersected in memory
 * until enough orders match.
 *
 * Postings of a purged order are removed with it; a posting whose order is gone is skipped by the
 * reader anyway (ordinals are never reused, so it can never point at another order).
 */
import { Dexie } from 'dexie';
import type { OrdersDatabase, PostingRow } from './local-db';

const DAY = 24 * 60 * 60 * 1000;

/** The day bucket of a time (UTC days: the buckets only need to be stable, not local). */
export function dayOf(createdAt: number): number {
  return Math.floor(createdAt / DAY);
}

/** The next order ordinal; call inside a 'rw' transaction that includes `meta`. */
export async function nextOrdinal(db: OrdersDatabase): Promise<number> {
  const row = await db.meta.get('orderOrdinal');
  const next = Number(row?.value ?? 0) + 1;
  await db.meta.put({ key: 'orderOrdinal', value: next });
  return next;
}

export interface IndexedOrder {
  readonly n: number;
  readonly createdAt: number;
  /** Search terms (keyed hashes), deduplicated. */
  readonly terms: readonly string[];
}

/**
 * Add orders to the index (one order at submit, many in a migration or a bulk load): the
 * (term, day) rows they touch are read once, extended and written back. Call inside a 'rw'
 * transaction that includes `postings`.
 */
export async function addPostings(db: OrdersDatabase, orders: readonly IndexedOrder[]): Promise<void> {
  const keys = postingKeys(orders);
  if (keys.length === 0) return;
  await db.postings.bulkPut(mergedPostings(orders, await db.postings.bulkGet(keys)));
}

/** The (term, day) rows the orders' postings go to, in the order mergedPostings expects them. */
export function postingKeys(orders: readonly Pick<IndexedOrder, 'createdAt' | 'terms'>[]): [string, number][] {
  const keys = new Map<string, [string, number]>();
  for (const o of orders) {
    const day = dayOf(o.createdAt);
    for (const term of o.terms) keys.set(`${day}\u0000${term}`, [term, day]);
  }
  return [...keys.values()];
}

/** The rows of postingKeys(orders) with the orders' ordinals added (`stored`: those rows as read, same order). */
export function mergedPostings(orders: readonly IndexedOrder[], stored: readonly (PostingRow | undefined)[]): PostingRow[] {
  const added = new Map<string, { term: string; day: number; ords: number[] }>();
  for (const o of orders) {
    const day = dayOf(o.createdAt);
    for (const term of new Set(o.terms)) {
      const key = `${day}\u0000${term}`;
      const entry = added.get(key);
      if (entry) entry.ords.push(o.n);
      else added.set(key, { term, day, ords: [o.n] });
    }
  }
  return [...added.values()].map((e, i) => {
    const before = stored[i]?.ords ?? [];
    const ords = before.length === 0 ? e.ords : [...new Set([...before, ...e.ords])];
    return { term: e.term, day: e.day, ords: ords.sort((a, b) => a - b) };
  });
}

/**
 * Take purged orders out of the index: the rows of the days they were in lose their ordinals (and
 * go when empty). Call inside a 'rw' transaction that includes `postings`.
 */
export async function removePostings(db: OrdersDatabase, orders: readonly { n?: number; createdAt: number }[]): Promise<void> {
  const gone = new Set(orders.flatMap((o) => (o.n === undefined ? [] : [o.n])));
  if (gone.size === 0) return;
  const days = [...new Set(orders.map((o) => dayOf(o.createdAt)))];
  const rows = await db.postings.where('day').anyOf(days).toArray();
  const keep: PostingRow[] = [];
  const drop: [string, number][] = [];
  for (const row of rows) {
    const ords = row.ords.filter((n) => !gone.has(n));
    if (ords.length === row.ords.length) continue;
    if (ords.length === 0) drop.push([row.term, row.day]);
    else keep.push({ ...row, ords });
  }
  await db.postings.bulkDelete(drop);
  await db.postings.bulkPut(keep);
}

/** How many days are read in the first round of a query; each further round reads four times more. */
const FIRST_ROUND_DAYS = 2;

/**
 * Ordinals of the orders that carry every one of `terms`, newest day first and the newest orders
 * of a day first, at most `limit`.
 *
 * Each term's days are one keys-only range read (side by side); the days common to all terms are
 * then read newest first — 2 days, then 8, then 32 … in one request each — and the terms' ordinals
 * intersected in memory, until `limit` orders match or the days run out. A common term costs its
 * number of days (not its number of orders); a rare term keeps the days to read few.
 */
export async function ordinalsWithAllTerms(db: OrdersDatabase, terms: readonly string[], limit: number): Promise<number[]> {
  const unique = [...new Set(terms)];
  if (unique.length === 0 || limit <= 0) return [];
  const dayLists = await Promise.all(
    unique.map(async (term) => {
      const keys = await db.postings
        .where('[term+day]')
        .between([term, Dexie.minKey], [term, Dexie.maxKey])
        .primaryKeys();
      return keys.map((k) => (k as unknown as [string, number])[1]);
    }),
  );
  dayLists.sort((a, b) => a.length - b.length);
  const [shortest, ...others] = dayLists;
  const otherDays = others.map((list) => new Set(list));
  const days = (shortest ?? []).filter((d) => otherDays.every((s) => s.has(d))).sort((a, b) => b - a);

  const out: number[] = [];
  let round = FIRST_ROUND_DAYS;
  for (let i = 0; i < days.length && out.length < limit; i += round, round *= 4) {
    const batch = days.slice(i, i + round);
    const rows = await db.postings.bulkGet(batch.flatMap((day) => unique.map((term) => [term, day] as [string, number])));
    for (let b = 0; b < batch.length && out.length < limit; b++) {
      const lists = unique.map((_, t) => rows[b * unique.length + t]?.ords ?? []).sort((x, y) => x.length - y.length);
      const [driver = [], ...rest] = lists;
      const sets = rest.map((l) => new Set(l));
      const hits = driver.filter((n) => sets.every((s) => s.has(n))).sort((x, y) => y - x);
      out.push(...hits.slice(0, limit - out.length));
    }
  }
  return out;
}

/** The orders with these ordinals, in the same order (missing ones — purged — left out). */
export async function ordersOfOrdinals(db: OrdersDatabase, ordinals: readonly number[]) {
  if (ordinals.length === 0) return [];
  // One index read per ordinal, all issued at once (an anyOf cursor would step through them one
  // round trip after another).
  const rows = await db.transaction('r', db.orders, () => Promise.all(ordinals.map((n) => db.orders.where('n').equals(n).first())));
  return rows.filter((r) => r !== undefined);
}
