/**
 * The search index follows submits a moment later, several orders in one transaction — near real
 * time, as a search engine refreshes its index. A submit's order and outbox entry are durable
 * without the index (submit.ts), and the index's writes no longer sit between one submit and the
 * next: IndexedDB runs one write after another, and a posting row of a common term (a whole day's
 * ordinals) rewritten after every order made each submit of a busy hour wait for the last one's.
 * Batched, each (term, day) row is read and written once per flush, not once per order.
 *
 * A flush waits for a quiet moment: INDEX_DELAY_MS without a submit, or at most INDEX_MAX_WAIT_MS
 * after the first order waiting. Its cost is per row touched (each (term, day) row one read and one
 * write: ~0.3 ms here), and the rows a batch touches are about the same few hundred whether it holds
 * 20 orders or 500 (the day's common words). A flush every 300 ms while orders keep coming (a backlog
 * typed offline and resubmitted, a bulk load) made one submit in seven wait ~150 ms for it; on a
 * quiet moment or every 2 s it is one in hundreds, and the index costs a tenth per order.
 *
 * Until its flush an order carries `unindexed` (a crash in between is repaired at the next start,
 * submit.ts indexPending), and a search flushes first, so an order is found as soon as it is stored.
 */
import type { OrderRow, OrdersDatabase } from './local-db';
import { mergedPostings, postingKeys, type IndexedOrder } from './search-index';

/** The quiet time that starts a flush; the longest an order waits for one; the most orders in one flush. */
export const INDEX_DELAY_MS = 300;
export const INDEX_MAX_WAIT_MS = 2_000;
export const INDEX_MAX_BATCH = 500;

interface Waiting {
  readonly order: IndexedOrder & { readonly id: string };
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
}

export class IndexQueue {
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the first order now waiting was added. */
  private firstAt = 0;
  /** The flush under way (flushes run one after another). */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: OrdersDatabase,
    private readonly delayMs = INDEX_DELAY_MS,
    private readonly maxBatch = INDEX_MAX_BATCH,
    private readonly maxWaitMs = INDEX_MAX_WAIT_MS,
  ) {}

  /** Index this order's terms with the next flush; resolves once they are stored. */
  add(row: Pick<OrderRow, 'id' | 'n' | 'createdAt'>, terms: readonly string[]): Promise<void> {
    return new Promise<void>((done, failed) => {
      const now = Date.now();
      if (this.waiting.length === 0) this.firstAt = now;
      this.waiting.push({ order: { id: row.id, n: row.n, createdAt: row.createdAt, terms: [...terms] }, done, failed });
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      if (this.waiting.length >= this.maxBatch) void this.flush();
      else this.timer = setTimeout(() => void this.flush(), Math.max(0, Math.min(now + this.delayMs, this.firstAt + this.maxWaitMs) - now));
    });
  }

  /** Store every order added so far (a search calls this first). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length > 0) {
      this.tail = this.tail.then(() =>
        indexOrders(this.db, batch.map((w) => w.order)).then(
          () => batch.forEach((w) => w.done()),
          (error: unknown) => batch.forEach((w) => w.failed(error)),
        ),
      );
    }
    return this.tail;
  }
}

/** Put orders' search terms into the index and clear their marks, in one transaction. */
export async function indexOrders(db: OrdersDatabase, orders: readonly (IndexedOrder & { readonly id: string })[]): Promise<void> {
  await db.transaction('rw', [db.orders, db.postings], async () => {
    const stored = await db.postings.bulkGet(postingKeys(orders));
    await Promise.all([db.postings.bulkPut(mergedPostings(orders, stored)), db.orders.bulkUpdate(orders.map((o) => ({ key: o.id, changes: { unindexed: undefined } })))]);
  });
}

const queues = new WeakMap<OrdersDatabase, IndexQueue>();

/** The index queue of a database (one per open database). */
export function indexQueueOf(db: OrdersDatabase): IndexQueue {
  let q = queues.get(db);
  if (!q) queues.set(db, (q = new IndexQueue(db)));
  return q;
}
