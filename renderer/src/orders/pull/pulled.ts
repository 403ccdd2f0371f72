/**
 * What came back from the platform, for the agent: the notices of returns (退单) and supervision
 * (督办) of their orders — on screen until dismissed, and as desktop notifications — the notice of
 * a wiped local database, and an order's 处理进展.
 */
import { bridge } from '../../ipc/bridge';
import { i18n } from '../../i18n';
import { getOrders as get, setOrders as set, type OrderNotice } from '../orders-state';
import { hasRuntime, rt } from '../runtime';
import { eventsOf, type PulledNotice } from './order-pull';

/** What the platform did with a local order (处理进展), oldest first. */
export async function orderEvents(id: string): Promise<readonly OrderEventView[]> {
  if (!hasRuntime()) return [];
  const { db, cipher } = rt();
  return eventsOf(db, cipher, id);
}

export type OrderEventView = Awaited<ReturnType<typeof eventsOf>>[number];

export function dismissDataLoss(): void {
  set({ dataLoss: undefined });
}

export function dismissNotice(seq: string): void {
  set((s) => ({ notices: s.notices.filter((n) => n.seq !== seq) }));
}

/** Notices kept on screen at most (the oldest leave first). */
const MAX_NOTICES = 20;

/** Returns and supervision of this agent's orders: on screen and as a desktop notification. */
export function noticeOf(list: readonly PulledNotice[]): void {
  if (list.length === 0) return;
  const fresh = list.filter((n) => !get().notices.some((o) => o.seq === n.seq)).map(({ owner: _owner, ...n }): OrderNotice => n);
  set((s) => ({ notices: [...s.notices, ...fresh].slice(-MAX_NOTICES) }));
  for (const n of fresh) {
    void bridge()
      .shell.notify({ title: i18n.t(`orders.notice.${n.action}`, { orderNo: n.orderNo }), body: n.reason ?? '', urgency: n.action === 'return' ? 'critical' : 'normal', focusOnClick: true })
      .catch(() => undefined);
  }
}
