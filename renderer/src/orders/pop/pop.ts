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
import type { LocalCallView, LocalOrderView, PopView } from '../orders-state';
import { openHistoryRow, sealHistory } from '../local/records';
import { ordersLog, type CallLogPort } from '../runtime';
import { afterPaintOr } from '../call-binding';
import { within } from '../../ui/timing';
import { isMine } from '../local/owner';

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

export interface LocalSources {
  db: OrdersDatabase;
  cipher: LocalCipher;
  callLog: CallLogPort;
  /** The signed-in agent (local/owner.ts): the pop's local part is their own records. */
  owner?: string;
}

export interface PopDeps extends LocalSources {
  platform?: PopPlatform;
  /** Put the pop of this call in the store (first, once). */
  show(pop: PopView): void;
  /** Change the pop of this call in the store (no-op when it is gone). */
  update(callId: string, change: (p: PopView) => PopView): void;
  now?: () => number;
}

/**
 * How long the pop waits for this seat's own records before it is shown without them. They are
 * read in a few milliseconds; waiting for them draws the card once, complete, instead of twice
 * (and keeps the main thread free to take the database's answers meanwhile).
 */
export const LOCAL_WAIT_MS = 40;

/** The caller's newest local orders (rows for the flags, the first opened for the list) and the cached platform history. */
export interface LocalOrders {
  readonly rows: OrderRow[];
  readonly orders: LocalOrderView[];
  readonly cached?: { history: CallerHistory; fetchedAt: number };
}

/** What this seat has about a caller, being read (each part settles on its own, never rejects). */
export interface LocalPop {
  /** Blind index of the number (undefined: no number to look up). */
  readonly phoneIndex: Promise<string | undefined>;
  readonly orders: Promise<LocalOrders>;
  readonly calls: Promise<LocalCallView[]>;
}

/**
 * Start reading the local part of a call's pop. Called the moment a ringing call is noticed —
 * before its first frame is painted — so that the database and WebCrypto work (off the main
 * thread) overlaps the ringing frame instead of following it.
 */
export function readLocalPop(callId: string, remoteNumber: string, { db, cipher, callLog, owner }: LocalSources): LocalPop {
  const phone = normalizePhone(remoteNumber);
  const hasNumber = /\d/.test(phone);
  // Synchronously where the cipher can: the database is asked before this task ends.
  const indexNow = hasNumber && cipher.phoneIndexNow ? cipher.phoneIndexNow(phone) : undefined;
  const phoneIndex = indexNow !== undefined ? Promise.resolve(indexNow) : hasNumber ? cipher.phoneIndex(phone).catch(() => undefined) : Promise.resolve(undefined);
  const read = async (index: string | undefined): Promise<LocalOrders> => {
    if (index === undefined) return { rows: [], orders: [] };
    const [rows, cachedRow] = await Promise.all([
      db.orders
        .where('[phoneIndex+createdAt]')
        .between([index, Dexie.minKey], [index, Dexie.maxKey])
        .reverse()
        .limit(POP_FLAG_ROWS)
        .toArray()
        // This agent's orders (local/owner.ts); the platform's answer covers everyone's.
        .then((all) => all.filter((r) => isMine(r, owner))),
      db.historyCache.get(index).then((row) => (row && isMine(row, owner) ? row : undefined)),
    ]);
    const [views, history] = await Promise.all([openViews(db, cipher, rows.slice(0, POP_LOCAL_LIMIT)), cachedRow ? openHistoryRow(db, cipher, cachedRow) : undefined]);
    return { rows, orders: views, ...(history && cachedRow ? { cached: { history, fetchedAt: cachedRow.fetchedAt } } : {}) };
  };
  const orders = (indexNow !== undefined ? read(indexNow) : phoneIndex.then(read)).catch(() => {
    ordersLog.warn('pop: local orders not read');
    return { rows: [], orders: [] };
  });
  const calls = hasNumber
    ? // More than shown: other agents' calls on this seat are left out.
      callLog.callsForNumber(remoteNumber, 3 * POP_LOCAL_LIMIT + 1).then(
        (list) =>
          list
            .filter((c) => c.id !== callId && (c.agentAccount === undefined || c.agentAccount === owner))
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
      )
    : Promise.resolve([]);
  return { phoneIndex, orders, calls };
}

/**
 * Fill the pop: local data first (the orders as soon as they are read, the calls when they are),
 * then the platform's answers. `early` is the local read started when the call was noticed.
 * Resolves when all are in.
 */
export async function loadPop(binding: CallBinding, deps: PopDeps, early?: LocalPop): Promise<void> {
  const { db, cipher, update } = deps;
  const platform = deps.platform ?? bridgePopPlatform;
  const now = deps.now ?? Date.now;
  const callId = binding.callId;
  const phone = normalizePhone(binding.remoteNumber);
  if (!/\d/.test(phone)) {
    deps.show({ ...initialPop(binding), platform: { state: 'ok' } });
    return;
  }
  const localRead = early ?? readLocalPop(callId, binding.remoteNumber, deps);
  let localRows: OrderRow[] = [];
  let history: CallerHistory | undefined;

  const withLocal = (p: PopView, { rows, orders, cached }: LocalOrders): PopView => {
    localRows = rows;
    if (history === undefined && cached) history = cached.history;
    return {
      ...p,
      local: { ...p.local, orders },
      ...(p.platform.state === 'loading' && cached ? { platform: { state: 'loading', history: cached.history, cachedAt: cached.fetchedAt } } : {}),
      flags: popFlags(localRows, history, now()),
    };
  };
  const first = await within(localRead.orders, LOCAL_WAIT_MS);
  deps.show(first ? withLocal(initialPop(binding), first) : initialPop(binding));
  // The platform is asked once the pop has painted: its answers take a network round trip
  // anyway, and handling them must not hold up the pop's first frame.
  await new Promise<void>((r) => afterPaintOr(LOCAL_WAIT_MS, r));
  const infoAsked = platform.numberInfo(phone.slice(0, 32));
  const historyAsked = isValidPhone(phone) ? platform.history(phone.slice(0, 20)) : undefined;
  const local = first
    ? Promise.resolve()
    : localRead.orders.then((read) => update(callId, (p) => withLocal(p, read)));
  const localCalls = localRead.calls.then((calls) => update(callId, (p) => ({ ...p, local: { ...p.local, calls } })));

  const info = infoAsked.then(
    (numberInfo) => update(callId, (p) => ({ ...p, numberInfo })),
    () => undefined,
  );

  const remote = (async () => {
    if (!historyAsked) {
      await local;
      update(callId, (p) => ({ ...p, platform: { state: 'ok', ...(p.platform.history ? { history: p.platform.history } : {}) } }));
      return;
    }
    try {
      const fresh = await historyAsked;
      history = fresh;
      const fetchedAt = now();
      update(callId, (p) => ({ ...p, platform: { state: 'ok', history: fresh }, flags: popFlags(localRows, fresh, now()) }));
      const phoneIndex = await localRead.phoneIndex;
      if (phoneIndex !== undefined) await db.historyCache.put(await sealHistory(cipher, phoneIndex, fresh, fetchedAt, deps.owner));
      await local;
      update(callId, (p) => ({ ...p, flags: popFlags(localRows, fresh, now()) }));
    } catch {
      await local;
      update(callId, (p) => ({ ...p, platform: { ...p.platform, state: 'unavailable' }, flags: popFlags(localRows, history, now()) }));
    }
  })();

  await Promise.all([local, localCalls, info, remote]);
}
