/**
 * What happened to this seat's orders on the platform — returns (退单) with their reason,
 * supervision (督办) notes, extensions, replies, closing, call-back results — read from the
 * platform's order change feed after a stored checkpoint, page by page. Each page is applied in one
 * transaction with its checkpoint: the local orders' status, and an event per change (its detail
 * sealed: reasons and notes may name the caller). A pull cut short resumes after the last page
 * applied; a change seen twice is written once (the feed position is the event's key). A new seat
 * starts at the feed's head ('now'): the orders it will have are all created after that.
 *
 * Changes of orders this seat does not have are skipped (the feed holds the whole organisation's).
 */
import type { ChangeDetail, OrderChange } from '../../../../shared/orders/routes';
import { OPEN_STATUSES } from '../../../../shared/orders/work-order';
import type { LocalCipher, Sealed } from '../../local-data/sealed';
import type { EventRow, OrderRow, OrdersDatabase } from '../local/local-db';
import type { OrderNotice } from '../orders-state';

export interface ChangesPage {
  readonly changes: readonly OrderChange[];
  readonly checkpoint: string;
  readonly hasMore: boolean;
}

/** Pages of the feed (main's orders:changes). Rejects when the platform cannot answer. */
export type ChangesSource = (after: string) => Promise<ChangesPage>;

/** A change the agent is told about (their order was returned or supervised), with whose order it is. */
export interface PulledNotice extends OrderNotice {
  /** The agent whose order it is (local/owner.ts). */
  readonly owner?: string;
}

export const CHECKPOINT_KEY = 'pullCheckpoint';
/** Pages at most per pull (500 changes each); the next pull goes on from there. */
const MAX_PAGES = 40;

const eventRecord = (seq: string) => `event:${seq}`;

async function checkpointOf(db: OrdersDatabase): Promise<string | undefined> {
  const row = await db.meta.get(CHECKPOINT_KEY);
  return typeof row?.value === 'string' ? row.value : undefined;
}

/** Apply one page in one transaction; the notices it gives (returns and supervision of local orders). */
export async function applyChanges(db: OrdersDatabase, cipher: LocalCipher, page: ChangesPage, now = Date.now()): Promise<{ applied: number; notices: PulledNotice[] }> {
  // Sealed before the transaction: WebCrypto must not be awaited inside it.
  const sealed = new Map<string, Sealed>();
  for (const c of page.changes) if (c.detail) sealed.set(c.seq, await cipher.seal(c.detail, eventRecord(c.seq)));
  return db.transaction('rw', [db.orders, db.events, db.meta], async () => {
    const ids = [...new Set(page.changes.map((c) => c.orderId))];
    const rows = ids.length > 0 ? await db.orders.where('orderId').anyOf(ids).toArray() : [];
    const byOrder = new Map<string, OrderRow[]>();
    for (const r of rows) byOrder.set(r.orderId!, [...(byOrder.get(r.orderId!) ?? []), r]);
    const notices: PulledNotice[] = [];
    let applied = 0;
    for (const c of page.changes) {
      for (const row of byOrder.get(c.orderId) ?? []) {
        const s = sealed.get(c.seq);
        const event: EventRow = { seq: c.seq, clientOrderId: row.id, at: Date.parse(c.at), action: c.action, status: c.status, ...(s ? { sealed: s } : {}) };
        // A follow-up (并单) row shares its order's id: its event is keyed apart.
        await db.events.put(row.kind === 'order' ? event : { ...event, seq: `${c.seq}/${row.id}` });
        if (row.status !== c.status) await db.orders.update(row.id, { status: c.status, open: OPEN_STATUSES.includes(c.status), updatedAt: now });
        applied += 1;
        if (row.kind === 'order' && (c.action === 'return' || c.action === 'supervise' || c.action === 'handling')) {
          // A handling record's note (a sub-center's 办理情况) is said like a return's reason.
          const said = c.action === 'handling' ? c.detail?.note : c.detail?.reason;
          notices.push({
            seq: c.seq,
            clientOrderId: row.id,
            orderNo: c.orderNo,
            action: c.action,
            at: event.at,
            ...(said !== undefined ? { reason: said } : {}),
            ...(row.owner !== undefined ? { owner: row.owner } : {}),
          });
        }
      }
    }
    await db.meta.put({ key: CHECKPOINT_KEY, value: page.checkpoint });
    return { applied, notices };
  });
}

/** Pull every page after the stored checkpoint (at most MAX_PAGES); rejects when the feed cannot be read. */
export async function pullOrderChanges(db: OrdersDatabase, cipher: LocalCipher, source: ChangesSource): Promise<{ applied: number; notices: PulledNotice[] }> {
  let after = await checkpointOf(db);
  if (after === undefined) {
    const head = await source('now');
    await db.meta.put({ key: CHECKPOINT_KEY, value: head.checkpoint });
    return { applied: 0, notices: [] };
  }
  let applied = 0;
  const notices: PulledNotice[] = [];
  for (let i = 0; i < MAX_PAGES; i += 1) {
    const page = await source(after);
    const r = await applyChanges(db, cipher, page);
    applied += r.applied;
    notices.push(...r.notices);
    const moved = page.checkpoint !== after;
    after = page.checkpoint;
    if (!page.hasMore || !moved) break;
  }
  return { applied, notices };
}

/** What the platform said about a local order, oldest first (details opened; unreadable ones without). */
export async function eventsOf(db: OrdersDatabase, cipher: LocalCipher, clientOrderId: string): Promise<(Omit<EventRow, 'sealed'> & { detail?: ChangeDetail })[]> {
  const rows = await db.events.where('clientOrderId').equals(clientOrderId).toArray();
  const out = await Promise.all(
    rows.map(async ({ sealed, ...e }) => {
      if (!sealed) return e;
      try {
        return { ...e, detail: await cipher.open<ChangeDetail>(sealed, eventRecord(e.seq.split('/')[0]!)) };
      } catch {
        return e;
      }
    }),
  );
  return out.sort((a, b) => a.at - b.at || (a.seq < b.seq ? -1 : 1));
}
