/**
 * Personal data is kept locally only as long as the seat needs it (PIPL), purged at start:
 *
 * - local orders the platform has (synced) after 90 days; never one that is not sent yet
 *   (pending) or was refused (failed: it needs the agent's attention);
 * - their done outbox entries after 90 days (pending and failed entries are never purged), and
 *   what the platform's feed said about them (events);
 * - drafts: discarded ones and submitted ones after 7 days (the order row holds the submission),
 *   open ones left untouched for more than 90 days; never an open draft younger than 7 days;
 * - cached platform histories after 30 days (the flags would be stale);
 * - rows moved aside as malformed after 90 days.
 */
import type { OrdersDatabase } from './local-db';
import { removePostings } from './search-index';

const DAY = 24 * 60 * 60 * 1000;
export const ORDER_RETENTION_MS = 90 * DAY;
export const CLOSED_DRAFT_RETENTION_MS = 7 * DAY;
export const OPEN_DRAFT_RETENTION_MS = 90 * DAY;
export const HISTORY_CACHE_RETENTION_MS = 30 * DAY;

export interface PurgeCounts {
  orders: number;
  outbox: number;
  drafts: number;
  history: number;
  quarantine: number;
}

export async function purgeExpired(db: OrdersDatabase, now = Date.now()): Promise<PurgeCounts> {
  return db.transaction('rw', [db.orders, db.postings, db.outbox, db.drafts, db.historyCache, db.quarantine, db.events], async () => {
    const orderCut = now - ORDER_RETENTION_MS;
    const oldSynced = await db.orders
      .where('createdAt')
      .below(orderCut)
      .filter((o) => o.sync === 'synced')
      .toArray();
    await db.orders.bulkDelete(oldSynced.map((o) => o.id));
    // Their search postings go with them (a purged order is not found by its words either).
    await removePostings(db, oldSynced);
    await db.events.where('clientOrderId').anyOf(oldSynced.map((o) => o.id)).delete();
    const outbox = await db.outbox.where('state').equals('done').filter((e) => e.createdAt < orderCut).delete();
    const drafts = await db.drafts
      .where('updatedAt')
      .below(now - CLOSED_DRAFT_RETENTION_MS)
      .filter((d) => d.state !== 'open' || d.updatedAt < now - OPEN_DRAFT_RETENTION_MS)
      .delete();
    const history = await db.historyCache.where('fetchedAt').below(now - HISTORY_CACHE_RETENTION_MS).delete();
    const quarantine = await db.quarantine.where('movedAt').below(orderCut).delete();
    return { orders: oldSynced.length, outbox, drafts, history, quarantine };
  });
}
