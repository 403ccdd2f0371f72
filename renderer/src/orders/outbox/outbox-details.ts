/**
 * What the sync panel shows (outbox/OutboxPanel.tsx): every entry the signed-in agent still owes
 * the platform, with its order's title and number, and how the browser keeps this seat's data.
 * Also how a full disk is recognised when a write fails.
 */
import { isMine } from '../local/owner';
import { openViews } from '../mine/my-orders';
import { hasRuntime, rt } from '../runtime';

/** An outbox entry as the sync panel lists it (no payload: the order's title from its local row). */
export interface OutboxEntryView {
  readonly mutationId: string;
  readonly clientSeq: number;
  readonly kind: string;
  readonly state: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly nextAttemptAt: number;
  readonly lastError?: { readonly code: string; readonly message: string; readonly status?: number };
  readonly clientOrderId: string;
  readonly title?: string;
  readonly orderNo?: string;
}

/** How the browser keeps this seat's data: persistent (not evicted under storage pressure) and how full. */
export interface StorageView {
  readonly persisted: boolean | null;
  readonly usage?: number;
  readonly quota?: number;
}

/** The most entries of each state the panel lists (the figures above it count them all). */
export const LISTED_PER_STATE = 200;

/**
 * The entries this agent still owes the platform, in sequence order: needs attention and waiting,
 * the first LISTED_PER_STATE of each (read in sequence order from the index, not the whole backlog).
 */
export async function outboxDetails(): Promise<{ entries: readonly OutboxEntryView[]; storage: StorageView }> {
  if (!hasRuntime()) return { entries: [], storage: { persisted: null } };
  const { db, cipher, owner } = rt();
  const first = (state: string) =>
    db.outbox
      .where('[state+clientSeq]')
      .between([state, -Infinity], [state, Infinity])
      .filter((r) => isMine(r, owner))
      .limit(LISTED_PER_STATE)
      .toArray();
  const rows = (await Promise.all(['failed', 'pending', 'sending'].map(first))).flat().sort((a, b) => a.clientSeq - b.clientSeq);
  const orders = await db.orders.bulkGet([...new Set(rows.map((r) => r.clientOrderId))]);
  const views = new Map((await openViews(db, cipher, orders.filter((o): o is NonNullable<typeof o> => o !== undefined))).map((v) => [v.id, v]));
  const entries = rows.map(({ payload: _payload, owner: _owner, ...e }): OutboxEntryView => {
    const v = views.get(e.clientOrderId);
    return { ...e, ...(v?.title ? { title: v.title } : {}), ...(v?.orderNo ? { orderNo: v.orderNo } : {}) };
  });
  return { entries, storage: await storageView() };
}

async function storageView(): Promise<StorageView> {
  const storage = typeof navigator !== 'undefined' ? (navigator as Partial<Navigator>).storage : undefined;
  const [persisted, estimate] = await Promise.all([storage?.persisted?.().catch(() => null) ?? null, storage?.estimate?.().catch(() => undefined)]);
  return { persisted, ...(estimate?.usage !== undefined ? { usage: estimate.usage } : {}), ...(estimate?.quota !== undefined ? { quota: estimate.quota } : {}) };
}

/** IndexedDB refused to write for lack of space (Dexie wraps the DOMException; either name says it). */
export function isQuotaError(error: unknown): boolean {
  const e = error as { name?: string; inner?: { name?: string } } | undefined;
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError';
}

/** The agent has read a notice. */
