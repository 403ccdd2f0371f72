/**
 * Small wordings of the orders UI computed from data: a draft tab's label, a local order's number
 * (or 待同步 / 需处理 before the platform gave one), the outbox figure of the status bar, and the
 * screen-pop's history list (local orders and calls first, then the platform's, without doubles).
 */
import { maskPhone } from '../../../../shared/base/redact';
import { shanghaiDate, shanghaiTime } from '../../../../shared/base/shanghai-time';
import type { OrderStatus } from '../../../../shared/orders/work-order';
import type { Translate } from './fields';

/** HH:mm in Beijing time. */
export function hhmm(epochMs: number): string {
  return shanghaiTime(epochMs).slice(0, 5);
}

/** A draft tab: the caller's masked number, or 新工单 and the time it was started. */
export function draftTabLabel(draft: { readonly call?: { readonly remoteNumber: string } }, startedAt: number, t: Translate): string {
  const number = draft.call?.remoteNumber ?? '';
  return number ? maskPhone(number) : t('orders.tabNew', { time: hhmm(startedAt) });
}

/** A local order's number; before the platform numbered it, what state it is in. */
export function orderNoLabel(order: { readonly orderNo?: string; readonly sync: 'pending' | 'synced' | 'failed' }, t: Translate): string {
  if (order.orderNo) return order.orderNo;
  return order.sync === 'failed' ? t('orders.sync.failed') : t('orders.sync.pending');
}

/** Refusal codes with their own wording; any other reads as a refusal in general. */
const REFUSAL_CODES = ['invalid_request', 'invalid', 'conflict', 'not_found', 'forbidden', 'idempotency_key_reused', 'sequence_replayed', 'too_large'] as const;

/**
 * Why the platform refused an order, in the agent's language: what kind of refusal, the fields it
 * names (their labels), then the platform's own words for reference.
 */
export function refusalText(r: { readonly code?: string; readonly fields?: readonly string[]; readonly message?: string }, t: Translate): string {
  const kind = (REFUSAL_CODES as readonly string[]).includes(r.code ?? '') ? r.code! : 'other';
  const fields = (r.fields ?? []).map((f) => t(`orders.form.fields.${f}`));
  const parts = [t(`orders.refusal.${kind}`), fields.length > 0 ? t('orders.refusal.fields', { fields: fields.join('、') }) : '', r.message ? t('orders.refusal.platformSaid', { message: r.message }) : ''];
  return parts.filter(Boolean).join(' ');
}

/** 待同步 N（最早 HH:mm）· 需处理 N · 上次同步 HH:mm */
export function outboxLabel(sync: { readonly pending: number; readonly failed: number; readonly lastSyncAt?: number; readonly oldestPendingAt?: number }, t: Translate): string {
  const last = sync.lastSyncAt !== undefined ? t('orders.outbox.last', { time: hhmm(sync.lastSyncAt) }) : t('orders.outbox.never');
  const oldest = sync.pending > 0 && sync.oldestPendingAt !== undefined ? t('orders.outbox.oldest', { time: hhmm(sync.oldestPendingAt) }) : '';
  return `${t('orders.outbox.pending', { n: sync.pending })}${oldest} · ${t('orders.outbox.failed', { n: sync.failed })} · ${last}`;
}

export interface HistoryRow {
  readonly key: string;
  readonly kind: 'order' | 'call';
  readonly source: 'local' | 'platform';
  /** Epoch ms. */
  readonly time: number;
  readonly orderNo?: string;
  readonly sync?: 'pending' | 'synced' | 'failed';
  readonly requestType?: string;
  readonly title?: string;
  readonly status?: OrderStatus;
  readonly confidential: boolean;
  readonly direction?: 'inbound' | 'outbound';
  readonly result?: string;
}

interface HistoryInput {
  readonly local: {
    readonly orders: readonly { id: string; orderId?: string; orderNo?: string; createdAt: number; requestType: string; title: string; status?: OrderStatus; sync: 'pending' | 'synced' | 'failed' }[];
    readonly calls: readonly { id: string; direction: 'inbound' | 'outbound'; startedAt: number; result: string }[];
  };
  readonly platform: {
    readonly history?: {
      readonly orders: readonly { id: string; orderNo: string; createdAt: string; requestType: string; title: string; status: OrderStatus; confidential: boolean }[];
    };
  };
}

/** Local orders and calls first (newest first), then the platform's orders this machine does not have. */
export function mergeHistory(pop: HistoryInput): HistoryRow[] {
  const local: HistoryRow[] = [
    ...pop.local.orders.map(
      (o): HistoryRow => ({
        key: `lo:${o.id}`,
        kind: 'order',
        source: 'local',
        time: o.createdAt,
        orderNo: o.orderNo,
        sync: o.sync,
        requestType: o.requestType || undefined,
        title: o.title,
        status: o.status,
        confidential: false,
      }),
    ),
    ...pop.local.calls.map(
      (c): HistoryRow => ({ key: `lc:${c.id}`, kind: 'call', source: 'local', time: c.startedAt, direction: c.direction, result: c.result, confidential: false }),
    ),
  ].sort((a, b) => b.time - a.time);
  const knownIds = new Set(pop.local.orders.flatMap((o) => (o.orderId ? [o.orderId] : [])));
  const knownNos = new Set(pop.local.orders.flatMap((o) => (o.orderNo ? [o.orderNo] : [])));
  const platform = (pop.platform.history?.orders ?? [])
    .filter((o) => !knownIds.has(o.id) && !knownNos.has(o.orderNo))
    .map(
      (o): HistoryRow => ({
        key: `po:${o.id}`,
        kind: 'order',
        source: 'platform',
        time: Date.parse(o.createdAt),
        orderNo: o.orderNo,
        requestType: o.requestType,
        title: o.confidential ? undefined : o.title,
        status: o.status,
        confidential: o.confidential,
      }),
    )
    .sort((a, b) => b.time - a.time);
  return [...local, ...platform];
}

/** A history row's date (Beijing). */
export function historyDate(row: HistoryRow): string {
  return Number.isFinite(row.time) ? shanghaiDate(row.time) : '';
}
