/**
 * The search index follows submits a moment later, several orders in one transaction — near real
 * time, as a search engine refreshes its index. A submit's order and outbox entry are durable
 * without the index (submit.ts), and the index's writes no longer sit between one submit and the
 * next: IndexedDB runs one write after another, and a posting row of a common term (a whole day's
 * ordinals) rewritten after every order made each submit of a busy hour wait for the last one's.
 * Batched, each (term, day) row is read and written once per flush, not once per order.
 *
 * Until its flush an order carries `unindexed` (a crash in between is repaired at the next start,
 * submit.ts indexPending), and a search flushes first, so an order is found as soon as it is stored.
 */
import type { OrderRow, OrdersDatabase } from './local-db';
import { mergedPostings, postingKeys, type IndexedOrder } from './search-index';

/** How long the first order of a batch waits for others; and the most orders in one flush. */
export const INDEX_DELAY_MS = 300;
export const INDEX_MAX_BATCH = 500;

interface Waiting {
  readonly order: IndexedOrder & { readonly id: string };
  readonly done: () => void;
  readonly failed: (error: unknown) => void;
}

export class IndexQueue {
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The flush under way (flushes run one after another). */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: OrdersDatabase,
    private readonly delayMs = INDEX_DELAY_MS,
    private readonly maxBatch = INDEX_MAX_BATCH,
  ) {}

  /** Index this order's terms with the next flush; resolves once they are stored. */
  add(row: Pick<OrderRow, 'id' | 'n' | 'createdAt'>, terms: readonly string[]): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.waiting.push({ order: { id: row.id, n: row.n, createdAt: row.createdAt, terms: [...terms] }, done, failed });
      if (this.waiting.length >= this.maxBatch) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
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
