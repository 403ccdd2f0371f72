/**
 * The screen-pop of a call: shown at once from what the workstation has (masked number, dialled
 * line, local orders of this number by blind index, local calls, the cached platform history),
 * then completed by the platform (number info, history) as answers arrive. The platform never
 * holds the pop up: its state is loading → ok | unavailable, and a fresh history is cached sealed
 * for the next pop while offline.
 */
import { Dexie } from 'dexie';
import { isValidPhone, normalizePhone } from '../../../../shared/base/phone-number';
import type { CallBinding } from '../../../../shared/orders/draft';
import type { CallerHistory, NumberInfo } from '../../../../shared/orders/ipc';
import { lineForDialled } from '../../directory/reference-store';
import { bridge, call } from '../../ipc/bridge';
import type { LocalCipher } from '../../local-data/sealed';
import type { OrderRow, OrdersDatabase } from '../local/local-db';
import { maskedNumber, openViews } from '../mine/my-orders';
import type { LocalCallView, PopView } from '../orders-store';
import { openHistoryRow, sealHistory } from '../local/records';
import { ordersLog, type CallLogPort } from '../runtime';

const DAY = 24 * 60 * 60 * 1000;
export const POP_LOCAL_LIMIT = 20;
/** The caller's newest local orders read for the flags (a seat rarely has more of one caller). */
export const POP_FLAG_ROWS = 100;

export interface PopPlatform {
  numberInfo(phone: string): Promise<NumberInfo>;
  history(phone: string): Promise<CallerHistory>;
}

export const bridgePopPlatform: PopPlatform = {
  numberInfo: (phone) => call(bridge().orders.numberInfo({ phone })),
  history: (phone) => call(bridge().orders.history({ phone })),
};

type LocalFlagRow = Pick<OrderRow, 'createdAt' | 'sync' | 'open' | 'confidential' | 'kind'>;

/**
 * Flags over local and platform data. Orders the platform has are counted from its flags; local
 * orders it does not have yet (pending, failed) are added. Without a platform answer, the local
 * orders alone. Follow-ups (并单) are calls about an order, not orders.
 */
export function popFlags(local: readonly LocalFlagRow[], history: CallerHistory | undefined, now: number): PopView['flags'] {
  const orders = local.filter((o) => o.kind === 'order');
  const recent = (o: LocalFlagRow) => o.createdAt >= now - 30 * DAY;
  const counted = history ? orders.filter((o) => o.sync !== 'synced') : orders;
  return {
    repeat: (history?.flags.last30Days ?? 0) + counted.filter(recent).length,
    open: (history?.flags.openOrders ?? 0) + counted.filter((o) => o.open).length,
    confidentialBefore: (history?.flags.confidentialBefore ?? false) || orders.some((o) => o.confidential),
  };
}

export function initialPop(binding: CallBinding): PopView {
  const line = lineForDialled(binding.dialled);
  return {
    callId: binding.callId,
    numberMasked: maskedNumber(binding.remoteNumber),
    ...(binding.dialled ? { dialled: binding.dialled } : {}),
    ...(line ? { line } : {}),
    local: { orders: [], calls: [] },
    platform: { state: 'loading' },
    flags: { repeat: 0, open: 0, confidentialBefore: false },
  };
}

export interface PopDeps {
  db: OrdersDatabase;
  cipher: LocalCipher;
  callLog: CallLogPort;
  platform?: PopPlatform;
  /** Change the pop of this call in the store (no-op when it is gone). */
  update(callId: string, change: (p: PopView) => PopView): void;
  now?: () => number;
}

/** Fill the pop: local data first, then the platform's answers. Resolves when all are in. */
export async function loadPop(binding: CallBinding, deps: PopDeps): Promise<void> {
  const { db, cipher, update } = deps;
  const platform = deps.platform ?? bridgePopPlatform;
  const now = deps.now ?? Date.now;
  const callId = binding.callId;
  const phone = normalizePhone(binding.remoteNumber);
  if (!/\d/.test(phone)) {
    update(callId, (p) => ({ ...p, platform: { state: 'ok' } }));
    return;
  }
  const phoneIndex = await cipher.phoneIndex(phone);
  let localRows: OrderRow[] = [];
  let history: CallerHistory | undefined;

  const local = (async () => {
    // The three local sources side by side; only the newest rows of this caller are read.
    const [rows, calls, cached] = await Promise.all([
      db.orders
        .where('[phoneIndex+createdAt]')
        .between([phoneIndex, Dexie.minKey], [phoneIndex, Dexie.maxKey])
        .reverse()
        .limit(POP_FLAG_ROWS)
        .toArray(),
      deps.callLog.callsForNumber(binding.remoteNumber, POP_LOCAL_LIMIT + 1).then(
        (list) =>
          list
            .filter((c) => c.id !== callId)
            .slice(0, POP_LOCAL_LIMIT)
            .map(
              (c): LocalCallView => ({
                id: c.id,
                direction: c.direction,
                startedAt: c.startedAt,
                result: c.result,
                ...(c.workOrderId !== undefined ? { workOrderId: c.workOrderId } : {}),
              }),
            ),
        () => [] as LocalCallView[],
      ),
      db.historyCache.get(phoneIndex),
    ]);
    localRows = rows;
    const [orders, cachedHistory] = await Promise.all([openViews(db, cipher, localRows.slice(0, POP_LOCAL_LIMIT)), cached ? openHistoryRow(db, cipher, cached) : undefined]);
    if (history === undefined && cachedHistory) history = cachedHistory;
    update(callId, (p) => ({
      ...p,
      local: { orders, calls },
      ...(p.platform.state === 'loading' && cachedHistory && cached ? { platform: { state: 'loading', history: cachedHistory, cachedAt: cached.fetchedAt } } : {}),
      flags: popFlags(localRows, history, now()),
    }));
  })().catch(() => ordersLog.warn('pop: local data not read'));

  const info = platform.numberInfo(phone.slice(0, 32)).then(
    (numberInfo) => update(callId, (p) => ({ ...p, numberInfo })),
    () => undefined,
  );

  const remote = (async () => {
    if (!isValidPhone(phone)) {
      await local;
      update(callId, (p) => ({ ...p, platform: { state: 'ok', ...(p.platform.history ? { history: p.platform.history } : {}) } }));
      return;
    }
    try {
      const fresh = await platform.history(phone.slice(0, 20));
      history = fresh;
      const fetchedAt = now();
      update(callId, (p) => ({ ...p, platform: { state: 'ok', history: fresh }, flags: popFlags(localRows, fresh, now()) }));
      await db.historyCache.put(await sealHistory(cipher, phoneIndex, fresh, fetchedAt));
      await local;
      update(callId, (p) => ({ ...p, flags: popFlags(localRows, fresh, now()) }));
    } catch {
      await local;
      update(callId, (p) => ({ ...p, platform: { ...p.platform, state: 'unavailable' }, flags: popFlags(localRows, history, now()) }));
    }
  })();

  await Promise.all([local, info, remote]);
}
