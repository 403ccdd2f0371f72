/** The local search index: postings per (term, day), the AND of terms newest first, purge, and the v2 → v3 migration. */
import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openOrdersDb, type OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { addPostings, dayOf, nextOrdinal, ordersOfOrdinals, ordinalsWithAllTerms, removePostings, type IndexedOrder } from '../../renderer/src/orders/local/search-index';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 4);

function freshDb(): { db: OrdersDatabase; factory: IDBFactory } {
  const factory = new IDBFactory();
  return { db: openOrdersDb('search-index-test', { indexedDB: factory, IDBKeyRange }), factory };
}

const index = (db: OrdersDatabase, orders: IndexedOrder[]) => db.transaction('rw', db.postings, () => addPostings(db, orders));

describe('search index', () => {
  it('keeps one row per (term, day) with the ordinals ascending; adding again changes nothing', async () => {
    const { db } = freshDb();
    await index(db, [
      { n: 3, createdAt: T0 + 1000, terms: ['a', 'b', 'a'] },
      { n: 1, createdAt: T0, terms: ['a'] },
      { n: 2, createdAt: T0 + DAY, terms: ['a'] },
    ]);
    await index(db, [{ n: 3, createdAt: T0 + 1000, terms: ['a'] }]);
    const rows = await db.postings.toArray();
    expect(rows.map((r) => [r.term, r.day - dayOf(T0), r.ords])).toEqual([
      ['a', 0, [1, 3]],
      ['a', 1, [2]],
      ['b', 0, [3]],
    ]);
  });

  it('finds the orders carrying every term, newest day first and the highest ordinals of a day first', async () => {
    const { db } = freshDb();
    const orders: IndexedOrder[] = [];
    // 30 days, 10 orders a day; "x" in every order, "y" in every third, "z" on day 5 only.
    for (let day = 0; day < 30; day++) {
      for (let k = 0; k < 10; k++) {
        const n = day * 10 + k + 1;
        orders.push({ n, createdAt: T0 + day * DAY + k * 1000, terms: ['x', ...(n % 3 === 0 ? ['y'] : []), ...(day === 5 ? ['z'] : [])] });
      }
    }
    await index(db, orders);
    const all = (terms: string[], limit = 1000) => ordinalsWithAllTerms(db, terms, limit);

    const expected = orders.filter((o) => o.terms.includes('y')).map((o) => o.n).sort((a, b) => b - a);
    expect(await all(['x', 'y'])).toEqual(expected);
    expect(await all(['y', 'x', 'y'])).toEqual(expected);
    // A limit that ends inside a day (and after several rounds of days: 2, then 8 …).
    expect(await all(['x', 'y'], 50)).toEqual(expected.slice(0, 50));
    expect(await all(['x'], 3)).toEqual([300, 299, 298]);
    expect(await all(['z', 'x'])).toEqual([60, 59, 58, 57, 56, 55, 54, 53, 52, 51]);
    expect(await all(['z', 'y'])).toEqual([60, 57, 54, 51]);
    expect(await all(['x', 'nowhere'])).toEqual([]);
    expect(await all([])).toEqual([]);
    expect(await all(['x'], 0)).toEqual([]);
  });

  it('gives the rows of ordinals in their order, leaving out the ones purged', async () => {
    const { db } = freshDb();
    const row = (id: string, n: number) => ({ id, n, kind: 'order' as const, createdAt: T0 + n, updatedAt: T0, sync: 'synced' as const, phoneIndex: '', open: false, confidential: false, sealed: { iv: new Uint8Array(12), data: new ArrayBuffer(1) } });
    await db.orders.bulkAdd([row('a', 1), row('b', 2), row('c', 3)]);
    expect((await ordersOfOrdinals(db, [3, 9, 1])).map((r) => r.id)).toEqual(['c', 'a']);
    expect(await ordersOfOrdinals(db, [])).toEqual([]);
  });

  it('takes purged orders out of the rows of their days, and drops the rows left empty', async () => {
    const { db } = freshDb();
    await index(db, [
      { n: 1, createdAt: T0, terms: ['a', 'b'] },
      { n: 2, createdAt: T0, terms: ['a'] },
      { n: 3, createdAt: T0 + DAY, terms: ['a'] },
    ]);
    await db.transaction('rw', db.postings, () => removePostings(db, [{ n: 1, createdAt: T0 }]));
    expect((await db.postings.toArray()).map((r) => [r.term, r.ords])).toEqual([
      ['a', [2]],
      ['a', [3]],
    ]);
    expect(await ordinalsWithAllTerms(db, ['b'], 10)).toEqual([]);
  });

  it('counts ordinals up, never reusing one', async () => {
    const { db } = freshDb();
    const take = () => db.transaction('rw', db.meta, () => nextOrdinal(db));
    expect([await take(), await take(), await take()]).toEqual([1, 2, 3]);
  });

  it('moves the terms of a v2 database (multi-entry on the rows) into postings, ordinals by creation time', async () => {
    const factory = new IDBFactory();
    const v2 = new Dexie('search-index-migration', { indexedDB: factory, IDBKeyRange });
    v2.version(2).stores({
      drafts: 'id, state, updatedAt',
      orders: 'id, createdAt, phoneIndex, [phoneIndex+createdAt], *terms, sync',
      outbox: 'mutationId, clientSeq, state, clientOrderId',
      meta: 'key',
      historyCache: 'phoneIndex, fetchedAt',
      quarantine: 'key, movedAt',
    });
    const old = (id: string, createdAt: number, hashes: string[]) => ({
      id,
      kind: 'order',
      createdAt,
      updatedAt: createdAt,
      sync: 'synced',
      phoneIndex: '',
      terms: hashes.map((h) => `${h}~${String(999_999_999_999_999 - createdAt).padStart(15, '0')}`),
      open: false,
      confidential: false,
      sealed: { iv: new Uint8Array(12), data: new ArrayBuffer(1) },
    });
    await v2.table('orders').bulkAdd([old('newer', T0 + DAY, ['h1', 'h2']), old('older', T0, ['h1'])]);
    v2.close();

    const db = openOrdersDb('search-index-migration', { indexedDB: factory, IDBKeyRange });
    const rows = await db.orders.orderBy('createdAt').toArray();
    expect(rows.map((r) => [r.id, r.n, 'terms' in r])).toEqual([
      ['older', 1, false],
      ['newer', 2, false],
    ]);
    expect(await ordinalsWithAllTerms(db, ['h1'], 10)).toEqual([2, 1]);
    expect(await ordinalsWithAllTerms(db, ['h1', 'h2'], 10)).toEqual([2]);
    // The next submit continues after the migrated orders.
    expect(await db.transaction('rw', db.meta, () => nextOrdinal(db))).toBe(3);
    db.close();
  });
});
