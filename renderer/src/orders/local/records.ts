/**
 * Rows ↔ domain values: sealing what is personal (bound to the row's id), opening and validating
 * what is read. A row that does not open or does not validate is moved to `quarantine` and logged
 * (table and reason only): it is skipped, never a crash, and never silently lost.
 */
import { z } from 'zod';
import { callerHistorySchema, type CallerHistory } from '../../../../shared/orders/ipc';
import { draftSchema, type Draft } from '../../../../shared/orders/draft';
import { outboxEntrySchema, outboxPayloadSchema, type OutboxEntry, type OutboxPayload } from '../../../../shared/outbox/entry';
import { CHANNELS, DISPOSITIONS, REQUEST_TYPES } from '../../../../shared/orders/work-order';
import type { LocalCipher } from '../../local-data/sealed';
import type { DraftRow, HistoryCacheRow, OrderRow, OrdersDatabase, OutboxRow, QuarantineRow } from './local-db';
import { ownerField } from './owner';
import { ordersLog } from '../runtime';

/** What a local order row seals: the view's personal fields. */
export const orderSealedSchema = z
  .object({
    title: z.string().max(4000),
    requestType: z.union([z.enum(REQUEST_TYPES), z.literal('')]),
    categoryCode: z.string().max(32),
    disposition: z.union([z.enum(DISPOSITIONS), z.literal('')]),
    channel: z.enum(CHANNELS),
    callerPhone: z.string().max(64),
    callerName: z.string().max(200),
    /** 并单: the platform order number this follow-up was added to. */
    followUpOf: z.string().max(40).optional(),
  })
  .strict();
export type OrderSealed = z.infer<typeof orderSealedSchema>;

const draftSealedSchema = draftSchema.pick({ form: true, call: true, mergeInto: true });

const historyKey = (phoneIndex: string) => `history:${phoneIndex}`;

export async function moveAside(db: OrdersDatabase, table: QuarantineRow['table'], id: string, row: unknown, reason: QuarantineRow['reason']): Promise<void> {
  ordersLog.warn('malformed local row moved aside', { table, reason });
  try {
    await db.transaction('rw', [db.quarantine, db.table(table)], async () => {
      await db.quarantine.put({ key: `${table}:${id}`, table, movedAt: Date.now(), reason, row });
      await db.table(table).delete(id);
    });
  } catch {
    ordersLog.error('malformed local row could not be moved aside', { table });
  }
}

async function openOr<T>(cipher: LocalCipher, sealed: unknown, recordId: string): Promise<{ ok: true; value: T } | { ok: false }> {
  try {
    const s = sealed as { iv?: unknown; data?: unknown } | undefined;
    const isBuffer = Object.prototype.toString.call(s?.data) === '[object ArrayBuffer]';
    if (!s || !ArrayBuffer.isView(s.iv) || !isBuffer) return { ok: false };
    return { ok: true, value: await cipher.open<T>({ iv: s.iv as Uint8Array, data: s.data as ArrayBuffer }, recordId) };
  } catch {
    return { ok: false };
  }
}

// ---- drafts ----

export async function sealDraft(cipher: LocalCipher, d: Draft, owner: string | undefined): Promise<DraftRow> {
  const sealed = await cipher.seal({ form: d.form, call: d.call, mergeInto: d.mergeInto }, d.id);
  return { id: d.id, state: d.state, ...(d.call ? { callId: d.call.callId } : {}), createdAt: d.createdAt, updatedAt: d.updatedAt, sealed, ...ownerField(owner) };
}

/** The draft of a row, or undefined (and the row moved aside) when it is malformed. */
export async function openDraftRow(db: OrdersDatabase, cipher: LocalCipher, row: DraftRow): Promise<Draft | undefined> {
  const id = typeof row?.id === 'string' ? row.id : '';
  const opened = await openOr<unknown>(cipher, row?.sealed, id);
  if (!opened.ok) {
    await moveAside(db, 'drafts', id, row, 'unreadable');
    return undefined;
  }
  const inner = draftSealedSchema.safeParse(opened.value);
  const draft = inner.success ? draftSchema.safeParse({ id, state: row.state, createdAt: row.createdAt, updatedAt: row.updatedAt, ...dropUndefined(inner.data) }) : undefined;
  if (!draft?.success) {
    await moveAside(db, 'drafts', id, row, 'invalid');
    return undefined;
  }
  return draft.data;
}

// ---- local orders ----

export async function sealOrder(cipher: LocalCipher, id: string, value: OrderSealed): Promise<OrderRow['sealed']> {
  return cipher.seal(value, id);
}

export async function openOrderRow(db: OrdersDatabase, cipher: LocalCipher, row: OrderRow): Promise<OrderSealed | undefined> {
  const opened = await openOr<unknown>(cipher, row?.sealed, row?.id ?? '');
  const parsed = opened.ok ? orderSealedSchema.safeParse(opened.value) : undefined;
  if (!parsed?.success) {
    await moveAside(db, 'orders', String(row?.id ?? ''), row, opened.ok ? 'invalid' : 'unreadable');
    return undefined;
  }
  return parsed.data;
}

// ---- outbox ----

export async function sealOutbox(cipher: LocalCipher, entry: OutboxEntry, payload: OutboxPayload): Promise<OutboxRow> {
  return { ...entry, payload: await cipher.seal(payload, entry.mutationId) };
}

export interface OpenedOutbox {
  readonly entry: OutboxEntry;
  readonly payload: OutboxPayload;
}

export async function openOutboxRow(db: OrdersDatabase, cipher: LocalCipher, row: OutboxRow): Promise<OpenedOutbox | undefined> {
  const { payload: sealed, ...rest } = row;
  const entry = outboxEntrySchema.safeParse(rest);
  const opened = entry.success ? await openOr<unknown>(cipher, sealed, entry.data.mutationId) : { ok: false as const };
  const payload = opened.ok ? outboxPayloadSchema.safeParse(opened.value) : undefined;
  if (!entry.success || !payload?.success || payload.data.kind !== entry.data.kind) {
    await moveAside(db, 'outbox', String(row?.mutationId ?? ''), row, opened.ok ? 'invalid' : 'unreadable');
    return undefined;
  }
  return { entry: entry.data, payload: payload.data };
}

// ---- history cache ----

export async function sealHistory(cipher: LocalCipher, phoneIndex: string, history: CallerHistory, fetchedAt: number, owner: string | undefined): Promise<HistoryCacheRow> {
  // What the platform answered depends on who asked (an agent's own confidential titles): kept as theirs.
  return { phoneIndex, fetchedAt, sealed: await cipher.seal(history, historyKey(phoneIndex)), ...ownerField(owner) };
}

export async function openHistoryRow(db: OrdersDatabase, cipher: LocalCipher, row: HistoryCacheRow): Promise<CallerHistory | undefined> {
  const opened = await openOr<unknown>(cipher, row?.sealed, historyKey(row?.phoneIndex ?? ''));
  const parsed = opened.ok ? callerHistorySchema.safeParse(opened.value) : undefined;
  if (!parsed?.success) {
    await moveAside(db, 'historyCache', String(row?.phoneIndex ?? ''), row, opened.ok ? 'invalid' : 'unreadable');
    return undefined;
  }
  return parsed.data;
}

export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
