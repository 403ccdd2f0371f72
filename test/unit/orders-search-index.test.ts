/** The local search index: postings per (term, day), the AND of terms newest first, purge, and the v2 → v3 migration. */
import { describe, expect, it, vi } from 'vitest';
import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openOrdersDb, type OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { IndexQueue } from '../../renderer/src/orders/local/index-queue';
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

describe('index queue', () => {
  /** Orders stored as a submit leaves them: marked unindexed, their terms not in the index yet. */
  async function stored(db: OrdersDatabase, n: number) {
    const rows = Array.from({ length: n }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      kind: 'order' as const,
      createdAt: T0 + i,
      updatedAt: T0 + i,
      sync: 'pending' as const,
      phoneIndex: '',
      n: i + 1,
      open: true,
      confidential: false,
      unindexed: 1 as const,
      sealed: { iv: new Uint8Array(12), data: new ArrayBuffer(16) },
    }));
    await db.orders.bulkAdd(rows);
    return rows;
  }

  it('indexes the orders added within its delay in one transaction, then clears their marks', async () => {
    const { db } = freshDb();
    const rows = await stored(db, 3);
    const writes: number[] = [];
    const bulkPut = db.postings.bulkPut.bind(db.postings);
    db.postings.bulkPut = ((items: Parameters<typeof bulkPut>[0]) => {
      writes.push(items.length);
      return bulkPut(items);
    }) as typeof bulkPut;
    const queue = new IndexQueue(db, 50, 100);
    const done = Promise.all(rows.map((r, i) => queue.add(r, ['common', `own${i}`])));
    // Nothing is written before the delay is over.
    expect(writes).toEqual([]);
    await done;
    // One write: 'common' once (all three ordinals) and each order's own term.
    expect(writes).toEqual([4]);
    expect((await db.postings.get(['common', dayOf(T0)]))?.ords).toEqual([1, 2, 3]);
    expect(await db.orders.where('unindexed').equals(1).count()).toBe(0);
    expect(await ordinalsWithAllTerms(db, ['own1'], 10)).toEqual([2]);
  });

  it('waits for a quiet moment while orders keep coming, but never longer than its longest wait', async () => {
    const { db } = freshDb();
    const rows = await stored(db, 6);
    const written: number[][] = [];
    const bulkUpdate = db.orders.bulkUpdate.bind(db.orders);
    db.orders.bulkUpdate = ((changes: Parameters<typeof bulkUpdate>[0]) => {
      written.push(changes.map((c) => rows.findIndex((r) => r.id === c.key) + 1));
      return bulkUpdate(changes);
    }) as typeof bulkUpdate;
    // Only the queue's clock is faked (fake-indexeddb schedules with setImmediate).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const queue = new IndexQueue(db, 50, 100, 200);
      const added: Promise<void>[] = [];
      // An order every 40 ms: never 50 ms quiet. The old rule (a flush 50 ms after the first) would write at 50.
      for (const r of rows.slice(0, 5)) {
        added.push(queue.add(r, ['t']));
        await vi.advanceTimersByTimeAsync(40);
      }
      // 200 ms after the first order: its longest wait is over, the five go together.
      await Promise.all(added);
      expect(written).toEqual([[1, 2, 3, 4, 5]]);
      // A lone order goes after 50 quiet ms.
      const last = queue.add(rows[5]!, ['t']);
      await vi.advanceTimersByTimeAsync(49);
      expect(written).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await last;
      expect(written).toEqual([[1, 2, 3, 4, 5], [6]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes at once when asked (a search) or when a batch is full', async () => {
    const { db } = freshDb();
    const rows = await stored(db, 5);
    const queue = new IndexQueue(db, 60_000, 3);
    const first = rows.slice(0, 3).map((r) => queue.add(r, ['t']));
    // The third filled the batch: stored without waiting a minute.
    await Promise.all(first);
    expect((await db.postings.get(['t', dayOf(T0)]))?.ords).toEqual([1, 2, 3]);
    void queue.add(rows[3]!, ['t']);
    await queue.flush();
    expect((await db.postings.get(['t', dayOf(T0)]))?.ords).toEqual([1, 2, 3, 4]);
    expect(await db.orders.where('unindexed').equals(1).primaryKeys()).toEqual([rows[4]!.id]);
  });

  it('rejects the orders of a flush the database refused, and goes on with the next', async () => {
    const { db } = freshDb();
    const rows = await stored(db, 2);
    const queue = new IndexQueue(db, 10, 100);
    const bulkPut = db.postings.bulkPut.bind(db.postings);
    let refuse = true;
    db.postings.bulkPut = ((items: Parameters<typeof bulkPut>[0]) => (refuse ? Promise.reject(new Error('QuotaExceededError')) : bulkPut(items))) as typeof bulkPut;
    await expect(queue.add(rows[0]!, ['t'])).rejects.toThrow('QuotaExceededError');
    // Still marked: the next start's repair (indexPending) finds it.
    expect(await db.orders.where('unindexed').equals(1).count()).toBe(2);
    refuse = false;
    await queue.add(rows[1]!, ['t']);
    expect((await db.postings.get(['t', dayOf(T0)]))?.ords).toEqual([2]);
  });
});
