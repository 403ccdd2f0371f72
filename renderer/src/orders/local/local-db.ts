/**
 * The work-order domain's local database (Dexie / IndexedDB), separate from the call log.
 *
 * Every row keeps in the clear only what the database must see to find and order rows: ids,
 * epoch-ms times, states, ordinals, blind indexes (`phoneIndex`) and keyed search-term hashes (in
 * `postings`, search-index.ts). Everything personal (the form, the call binding, caller data, outbox payloads,
 * platform history) is in `sealed`, encrypted with the page's LocalCipher and bound to the row's
 * id (records.ts), so a sealed value copied onto another row does not open.
 *
 *   drafts        one per call (or per call-back), open → submitted | discarded
 *   orders        the local copy of each submitted order / 并单 follow-up, with its sync state
 *   postings      the search index: per (term hash, day) the ordinals of the orders carrying it
 *   outbox        mutations the platform is owed (shared/outbox/entry.ts), payload sealed
 *   meta          the client sequence counter, the order ordinal counter, the change feed's checkpoint
 *   historyCache  the platform's answer about a caller, per phone index, for pops while offline
 *   events        what happened to a local order on the platform (退单, 督办, extensions, replies …),
 *                 pulled from the platform's change feed (pull/order-pull.ts), detail sealed
 *   quarantine    rows that failed to open or validate, moved aside (never deleted silently)
 *
 * Drafts, orders, outbox entries and cached history carry the agent account that wrote them
 * (`owner`, owner.ts): on a shared seat each agent sees and sends only their own.
 */
import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import type { OutboxEntry } from '../../../../shared/outbox/entry';
import type { OrderStatus } from '../../../../shared/orders/work-order';
import type { Sealed } from '../../local-data/sealed';
import { addPostings, type IndexedOrder } from './search-index';
import type { Owned } from './owner';

export const ORDERS_DB_NAME = 'hotline-workstation-orders';

export interface DraftRow extends Owned {
  readonly id: string;
  readonly state: 'open' | 'submitted' | 'discarded';
  /** The SIP Call-ID of the bound call (an opaque id, not personal data). */
  readonly callId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** { form, call?, mergeInto? } */
  readonly sealed: Sealed;
}

export type OrderSync = 'pending' | 'synced' | 'failed';

export interface OrderRow extends Owned {
  /** The client order id (= the draft's id). */
  readonly id: string;
  readonly kind: 'order' | 'followUp';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly sync: OrderSync;
  /** Blind index of the caller's number ('' when there is none). */
  readonly phoneIndex: string;
  /** The order's ordinal: its postings in the search index point at it (counted up, never reused). */
  readonly n: number;
  readonly orderId?: string;
  readonly orderNo?: string;
  readonly status?: OrderStatus;
  /** The platform's reason for refusing it (redacted), when sync is 'failed'. */
  readonly error?: string;
  /** The platform's error code and the form fields its refusal names (the UI words them in Chinese). */
  readonly errorCode?: string;
  readonly errorFields?: readonly string[];
  /** A local open/closed summary for flags: the order is (or will be) still being handled. */
  readonly open: boolean;
  /** 1 while its search terms are not in the index yet (written just after the submit; repaired at start). */
  readonly unindexed?: 1;
  readonly confidential: boolean;
  /** OrderSealed (records.ts). */
  readonly sealed: Sealed;
}

/** Orders of one day that carry one search term (keyed hash of a bigram of number, name, title or content). */
export interface PostingRow {
  readonly term: string;
  /** search-index.ts dayOf(createdAt) */
  readonly day: number;
  /** Order ordinals, ascending. */
  readonly ords: readonly number[];
}

/**
 * An entry and its sealed payload (OutboxPayload, bound to the mutation id). A done entry has none:
 * the platform has it, and the row stays only as the record of the delivery (purged with retention.ts).
 */
export type OutboxRow = OutboxEntry & { readonly payload?: Sealed };

export interface MetaRow {
  readonly key: string;
  /** Counters are numbers; the change feed's checkpoint ('pullCheckpoint') is a string. */
  readonly value: number | string;
}

export interface EventRow {
  /** The platform's feed position ("xid:seq"): unique, and the events' order. */
  readonly seq: string;
  /** The local order (client order id) it happened to. */
  readonly clientOrderId: string;
  readonly at: number;
  readonly action: string;
  readonly status: OrderStatus;
  /** ChangeDetail (reasons and notes may name the caller), bound to `seq`. */
  readonly sealed?: Sealed;
}

export interface HistoryCacheRow extends Owned {
  readonly phoneIndex: string;
  readonly fetchedAt: number;
  /** CallerHistory */
  readonly sealed: Sealed;
}

export interface QuarantineRow {
  /** `${table}:${id}` */
  readonly key: string;
  readonly table: string;
  readonly movedAt: number;
  readonly reason: 'unreadable' | 'invalid';
  readonly row: unknown;
}

export type OrdersDatabase = Dexie & {
  drafts: EntityTable<DraftRow, 'id'>;
  orders: EntityTable<OrderRow, 'id'>;
  postings: Dexie.Table<PostingRow, [string, number]>;
  outbox: EntityTable<OutboxRow, 'mutationId'>;
  meta: EntityTable<MetaRow, 'key'>;
  historyCache: EntityTable<HistoryCacheRow, 'phoneIndex'>;
  quarantine: EntityTable<QuarantineRow, 'key'>;
  events: EntityTable<EventRow, 'seq'>;
};

/** Open the database (lazily, on first use). Tests pass a fake IndexedDB in options. */
export function openOrdersDb(name = ORDERS_DB_NAME, options?: DexieOptions): OrdersDatabase {
  const db = new Dexie(name, options) as OrdersDatabase;
  db.version(1).stores({
    drafts: 'id, state, updatedAt',
    orders: 'id, createdAt, phoneIndex, *terms, sync',
    outbox: 'mutationId, clientSeq, state, clientOrderId',
    meta: 'key',
    historyCache: 'phoneIndex, fetchedAt',
    quarantine: 'key, movedAt',
  });
  // v2: a caller's newest orders straight from the index (the screen-pop reads only those).
  db.version(2).stores({ orders: 'id, createdAt, phoneIndex, [phoneIndex+createdAt], *terms, sync' });
  // v3: search terms move from the rows (a multi-entry index, >1 GB at 100,000 orders) to
  // postings per (term, day) holding order ordinals (search-index.ts).
  db.version(3)
    .stores({ orders: 'id, createdAt, phoneIndex, [phoneIndex+createdAt], sync, &n', postings: '[term+day], day' })
    .upgrade(async (tx) => {
      const indexed: IndexedOrder[] = [];
      let n = 0;
      await tx
        .table('orders')
        .orderBy('createdAt')
        .modify((row: Record<string, unknown>) => {
          n += 1;
          const terms = Array.isArray(row.terms) ? row.terms.filter((t): t is string => typeof t === 'string').map((t) => t.split('~')[0]!) : [];
          indexed.push({ n, createdAt: Number(row.createdAt), terms });
          row.n = n;
          delete row.terms;
        });
      await tx.table('meta').put({ key: 'orderOrdinal', value: n });
      await addPostings(tx as unknown as OrdersDatabase, indexed);
    });
  // v4: local orders found by their platform id (the change feed names orders by it), and what
  // happened to them on the platform.
  db.version(4).stores({ orders: 'id, createdAt, phoneIndex, [phoneIndex+createdAt], sync, &n, orderId', events: 'seq, clientOrderId' });
  // v5: the entries of one state in sequence order straight from the index (the sync panel lists the
  // first ones of a backlog of thousands without reading them all); orders whose search terms are
  // still to be indexed (only those rows carry the field).
  db.version(5).stores({
    outbox: 'mutationId, clientSeq, state, clientOrderId, [state+clientSeq]',
    orders: 'id, createdAt, phoneIndex, [phoneIndex+createdAt], sync, &n, orderId, unindexed',
  });
  return db;
}

/** The database's own id, made the first time it is asked for (main compares it to notice a wipe). */
export async function localDbId(db: OrdersDatabase): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get('dbId');
    if (typeof row?.value === 'string') return row.value;
    const id = crypto.randomUUID();
    await db.meta.put({ key: 'dbId', value: id });
    return id;
  });
}

/** The next client sequence number; call inside a 'rw' transaction that includes `meta`. */
export function nextClientSeq(db: OrdersDatabase): Promise<number> {
  return takeClientSeqs(db, 1);
}

/** `n` consecutive sequence numbers from the counter (the same transaction rules); returns the first. */
export async function takeClientSeqs(db: OrdersDatabase, n: number): Promise<number> {
  const row = await db.meta.get('clientSeq');
  const first = Number(row?.value ?? 0) + 1;
  await db.meta.put({ key: 'clientSeq', value: first + n - 1 });
  return first;
}

/**
 * Every outbox entry not done yet (pending, sending, failed), rows as stored. One key range of the
 * `state` index ('done' sorts before the three others): read in one request, where anyOf() steps a
 * cursor row by row (1.2 s against ~0.3 s for a backlog of 10,000 here).
 */
export function notDoneEntries(db: OrdersDatabase): Promise<OutboxRow[]> {
  return db.outbox.where('state').above('done').toArray();
}
