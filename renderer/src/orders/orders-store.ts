/**
 * The work-order domain's actions — what the UI calls — and their wiring: the local database, the
 * draft saver, the outbox sender, the pops (pop/pop-runner.ts) and the 并单 finder, started at
 * sign-in and stopped at sign-out. The state they change is orders-state.ts (re-exported here:
 * components import this module only).
 */
import { callBindingSchema, type CallBinding, type Draft } from '../../../shared/orders/draft';
import type { ArticleProblem } from '../../../shared/knowledge/routes';
import type { OutboxPayload } from '../../../shared/outbox/entry';
import { emptyOrderForm, orderFormSchema, type FieldError, type OrderForm, type OrderFormField } from '../../../shared/orders/order-form';
import { normalizePhone } from '../../../shared/base/phone-number';
import { within } from '../ui/timing';
import { lineForDialled } from '../directory/reference-store';
import { localCipher } from '../local-data/keys';
import { useSessionStore } from '../session/session-store';
import { followCalls, isCallLive, linkCallLog } from './call-binding';
import { holdRingFor } from '../phone/ring-gate';
import { inflightSettled, track } from './inflight';
import { DraftSaver } from './local/draft-saver';
import { composeMyOrders, keptToday, openViews, searchOrders, startOfShanghaiDay, todaysOrders } from './mine/my-orders';
import { DEFAULT_POLICY, OutboxSender, bridgeTransport } from './outbox/outbox-sender';
import { queueEntry } from './outbox/outbox-queue';
import { forgetPop, isPopPending, POP_FIRST_MS, prefetchPop, resetPops, startPop, updatePop, whenPopPainted } from './pop/pop-runner';
import { openDraftRow, sealDraft } from './local/records';
import { isMine } from './local/owner';
import { purgeExpired } from './local/retention';
import { closeRuntime, hasRuntime, openRuntime, ordersLog, rt, runtimeOptions } from './runtime';
import { SIMILAR_FIELDS, SimilarFinder, bridgeSimilar } from './similar';
import { indexPending, submitRecord } from './local/submit';
import { indexQueueOf } from './local/index-queue';
import { getOrders, setOrders, type DraftView, type LocalOrderView, type Refusal } from './orders-state';
import { OrderPuller } from './pull/puller';
import { noticeOf } from './pull/pulled';
import { isQuotaError } from './outbox/outbox-details';
import { bridge, call } from '../ipc/bridge';
import { localDbId, type OrderRow } from './local/local-db';
import { i18n } from '../i18n';

export { useOrdersStore, type DraftView, type LocalCallView, type LocalOrderView, type OrderNotice, type OrdersState, type PopView, type Refusal } from './orders-state';
export { POP_FIRST_MS } from './pop/pop-runner';
export { isQuotaError, outboxDetails, type OutboxEntryView, type StorageView } from './outbox/outbox-details';
export { dismissDataLoss, dismissNotice, orderEvents, type OrderEventView } from './pull/pulled';

// ---------------------------------------------------------------------------------------------
// The data layer behind the actions (machinery in ./local-db, ./records, ./draft-saver,
// ./call-binding, ./pop, ./similar, ./submit, ./outbox-queue, ./outbox-sender, ./my-orders,
// ./retention; wiring here).

interface Machinery {
  saver: DraftSaver;
  similar: SimilarFinder;
  sender: OutboxSender;
  puller: OrderPuller;
  stops: (() => void)[];
}

let machinery: Machinery | undefined;
let starting: Promise<void> | undefined;
/** Bindings that arrived before the database was open. */
let queuedBindings: CallBinding[] = [];
/** Today's local orders as last read, as keptToday keeps them (the open drafts are added from the store). */
let today: readonly LocalOrderView[] = [];
/** Today has more orders than the list keeps (older ones are found by search). */
let todayMore = false;
const submitting = new Set<string>();

const set = setOrders;
const get = getOrders;

function toDraft(v: DraftView): Draft {
  return {
    id: v.id,
    state: v.state,
    ...(v.call ? { call: v.call } : {}),
    form: v.form,
    ...(v.mergeInto ? { mergeInto: v.mergeInto } : {}),
    createdAt: v.createdAt ?? v.updatedAt,
    updatedAt: v.updatedAt,
  };
}

function viewOf(d: Draft, savedAt: number): DraftView {
  return {
    id: d.id,
    ...(d.call ? { call: d.call } : {}),
    form: d.form,
    state: d.state,
    ...(d.mergeInto ? { mergeInto: d.mergeInto } : {}),
    errors: [],
    updatedAt: d.updatedAt,
    savedAt,
    createdAt: d.createdAt,
    similar: [],
  };
}

function patchDraft(id: string, change: (d: DraftView) => DraftView): void {
  set((s) => {
    const d = s.drafts[id];
    return d ? { drafts: { ...s.drafts, [id]: change(d) } } : {};
  });
}

function recomposeMyOrders(): void {
  set((s) => ({ myOrders: composeMyOrders(Object.values(s.drafts), today), myOrdersMore: todayMore }));
}

let refreshing: Promise<void> | undefined;
let refreshAgain = false;
let refreshedAt = 0;
let refreshTimer: { timer: ReturnType<typeof setTimeout>; done: () => void } | undefined;

/** While a backlog drains, the synced orders reach today's list at most once a second. */
const SYNCED_REFRESH_MS = 1_000;
const synced = new Set<string>();

/** The sender synced or refused these orders: patch them into today's list now, or once the second is over. */
function syncedOrders(ids: readonly string[]): void {
  for (const id of ids) synced.add(id);
  if (refreshTimer) return;
  const wait = refreshedAt + SYNCED_REFRESH_MS - Date.now();
  if (wait <= 0) {
    track(patchToday());
    return;
  }
  // Tracked, so that ordersSettled() covers the patch still to come.
  track(
    new Promise<void>((done) => {
      const timer = setTimeout(() => {
        refreshTimer = undefined;
        void patchToday().finally(done);
      }, wait);
      refreshTimer = { timer, done };
    }),
  );
}

/** Re-read only the orders the sender changed (a backlog of thousands is not reopened per batch). */
async function patchToday(): Promise<void> {
  const ids = [...synced];
  synced.clear();
  if (ids.length === 0 || !hasRuntime()) return;
  refreshedAt = Date.now();
  const { db, cipher, owner } = rt();
  let views: LocalOrderView[];
  try {
    const rows = (await db.orders.bulkGet(ids)).filter((r): r is OrderRow => r !== undefined && isMine(r, owner));
    views = await openViews(db, cipher, rows);
  } catch {
    return;
  }
  const start = startOfShanghaiDay(Date.now());
  const byId = new Map(today.map((o) => [o.id, o]));
  for (const v of views) if (v.createdAt >= start || v.sync === 'failed') byId.set(v.id, v);
  const kept = keptToday([...byId.values()].sort((a, b) => b.createdAt - a.createdAt));
  today = kept.views;
  todayMore ||= kept.more;
  recomposeMyOrders();
}

function cancelSyncedRefresh(): void {
  if (!refreshTimer) return;
  clearTimeout(refreshTimer.timer);
  refreshTimer.done();
  refreshTimer = undefined;
}

/** Re-read today's orders; calls while a read runs are folded into one more read after it. */
function refreshToday(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      if (!hasRuntime()) return;
      const { db, cipher, owner } = rt();
      try {
        ({ views: today, more: todayMore } = await todaysOrders(db, cipher, owner));
      } catch {
        return;
      }
      recomposeMyOrders();
    } while (refreshAgain);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function draftOfCall(callId: string): DraftView | undefined {
  return Object.values(get().drafts).find((d) => d.call?.callId === callId);
}

/** The open draft to show when none is chosen: one of a live call (newest first), else the newest. */
function nextActive(except?: string): string | null {
  const open = Object.values(get().drafts)
    .filter((d) => d.state === 'open' && d.id !== except)
    .sort((a, b) => (b.createdAt ?? b.updatedAt) - (a.createdAt ?? a.updatedAt));
  return (open.find((d) => d.call && isCallLive(d.call.callId)) ?? open[0])?.id ?? null;
}

function onPageHidden(): void {
  void machinery?.saver.flushAll();
}

function onVisibility(): void {
  if (typeof document !== 'undefined' && document.visibilityState === 'hidden') onPageHidden();
}

async function start(): Promise<void> {
  const cipher = await localCipher();
  const owner = useSessionStore.getState().status?.user?.account;
  const { db } = openRuntime(cipher, owner);
  await db.open();
  const purged = await purgeExpired(db);
  if (purged.orders + purged.drafts + purged.outbox > 0) ordersLog.info('expired local data purged', { ...purged });
  // Orders a crash left out of the search index (between a submit's two transactions).
  track(
    indexPending(db, cipher).then(
      (n) => (n > 0 ? ordersLog.info('orders put into the search index after a restart', { orders: n }) : undefined),
      () => ordersLog.warn('search index not repaired'),
    ),
  );

  // Newest first (the record keeps that order for Object.values).
  // This agent's open drafts only: on a shared seat the previous shift's stay theirs.
  const rows = (await db.drafts.where('state').equals('open').toArray()).filter((r) => isMine(r, owner)).sort((a, b) => b.createdAt - a.createdAt);
  const drafts: Record<string, DraftView> = {};
  for (const row of rows) {
    const d = await openDraftRow(db, cipher, row);
    if (d) drafts[d.id] = viewOf(d, d.updatedAt);
    // Kept from an earlier run: never dropped as untouched.
    if (d) touched.add(d.id);
  }

  const saver = new DraftSaver({
    read: (id) => {
      const v = get().drafts[id];
      return v ? toDraft(v) : undefined;
    },
    write: async (d) => {
      const row = await sealDraft(cipher, d, owner);
      await db.drafts.put(row);
    },
    saved: (id) => patchDraft(id, (d) => ({ ...d, savedAt: Date.now() })),
    failed: () => ordersLog.error('draft not saved'),
  });
  const similar = new SimilarFinder(
    bridgeSimilar,
    (id) => get().drafts[id]?.form,
    (id, orders) => patchDraft(id, (d) => ({ ...d, similar: orders })),
  );
  // Ask the browser not to evict this seat's data under storage pressure (the sync panel shows the answer).
  void (typeof navigator !== 'undefined' ? (navigator as Partial<Navigator>).storage?.persist?.().catch(() => false) : undefined);
  const dbId = await localDbId(db);
  const report = (pending: number) =>
    call(bridge().orders.reportLocalData({ dbId, pending })).then(
      (v) => {
        if (v.wiped) set({ dataLoss: { lostPending: v.lostPending, lastSeenAt: v.lastSeenAt } });
      },
      () => ordersLog.warn('local data not reported'),
    );
  let reported = -1;
  const sender = new OutboxSender(db, cipher, {
    ordersChanged: (ids) => syncedOrders(ids),
    delivered: (ids) => {
      for (const id of ids) {
        const waiters = deliveryWaiters.get(id);
        deliveryWaiters.delete(id);
        waiters?.forEach((w) => w());
      }
    },
    counts: (c) => {
      set({ sync: c });
      // Main keeps what is owed, to say how much a wipe lost.
      const owed = c.pending + c.failed + c.others;
      if (owed !== reported) track(report((reported = owed)));
    },
  }, bridgeTransport(dbId, owner), { ...DEFAULT_POLICY, ...(runtimeOptions().random ? { random: runtimeOptions().random! } : {}) }, owner);
  const puller = new OrderPuller({
    db,
    cipher,
    online: () => useSessionStore.getState().status?.state === 'online',
    applied: () => track(refreshToday()),
    notices: (list) => noticeOf(list.filter((n) => isMine(n, owner))),
  });
  machinery = { saver, similar, sender, puller, stops: [] };

  ({ views: today, more: todayMore } = await todaysOrders(db, cipher, owner));
  set({ status: 'ready', problem: undefined, drafts, activeDraftId: null, myOrders: composeMyOrders(Object.values(drafts), today), myOrdersMore: todayMore });
  set({ activeDraftId: nextActive() });

  const m = machinery;
  m.stops.push(
    followCalls({
      added: (b) => bindCall(b),
      changed: (callId, times) => callTimes(callId, times),
      ringing: (b) => prefetchPop(b),
    }),
    holdRingFor(whenPopPainted),
  );
  let online = useSessionStore.getState().status?.state === 'online';
  m.stops.push(
    useSessionStore.subscribe((s) => {
      const now = s.status?.state === 'online';
      if (now && !online) {
        void sender.resume();
        void puller.pull();
      }
      online = now;
      // Signed out (end of shift): this agent's drafts and pops leave the screen and memory; they
      // stay saved, and the next start (a sign-in) reads them again.
      if (s.status?.state === 'signedOut') void stopOrders();
    }),
  );
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('pagehide', onPageHidden);
    m.stops.push(() => window.removeEventListener('pagehide', onPageHidden));
  }
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
    document.addEventListener('visibilitychange', onVisibility);
    m.stops.push(() => document.removeEventListener('visibilitychange', onVisibility));
  }
  sender.start();
  void sender.publishCounts();
  puller.start();
  for (const d of Object.values(drafts)) if (d.form.callerPhone || d.form.district || d.form.street || d.form.addressDetail) void similar.now(d.id);
  const waiting = queuedBindings;
  queuedBindings = [];
  for (const b of waiting) bindCall(b);
}

/** Open the keys and the local database, restore open drafts, follow the calls, start the sender. (data layer) */
export async function startOrders(): Promise<void> {
  if (get().status === 'ready') return;
  starting ??= start().catch((error: unknown) => {
    ordersLog.error('orders not started', { reason: error instanceof Error ? error.name : 'unknown' });
    closeRuntime();
    set({ status: 'failed', problem: error instanceof Error ? error.message : String(error) });
    starting = undefined;
  });
  return starting;
}

/**
 * (added) Stop following calls and sending, write unsaved drafts, close the database and return
 * to 'idle' (sign-out of the seat; tests simulate a restart with it).
 */
export async function stopOrders(): Promise<void> {
  await starting;
  starting = undefined;
  const m = machinery;
  machinery = undefined;
  if (m) {
    for (const stop of m.stops) stop();
    m.similar.dispose();
    m.sender.stop();
    m.puller.stop();
    await m.saver.flushAll();
    if (hasRuntime()) await indexQueueOf(rt().db).flush();
    await m.sender.settled();
    await m.puller.settled();
    await m.similar.settled();
  }
  cancelSyncedRefresh();
  await inflightSettled();
  queuedBindings = [];
  today = [];
  todayMore = false;
  submitting.clear();
  closeRuntime();
  resetPops();
  set({ status: 'idle', problem: undefined, drafts: {}, activeDraftId: null, pops: {}, myOrders: [], myOrdersMore: false, sync: { pending: 0, failed: 0, others: 0 }, notices: [] });
}

/** (added) Resolves when nothing started by an action is still being written (tests, shutdown). */
export async function ordersSettled(): Promise<void> {
  // The search index's next flush is not waited for: it is done now.
  if (hasRuntime()) await indexQueueOf(rt().db).flush();
  await inflightSettled();
  await machinery?.saver.idle();
  await machinery?.sender.settled();
  await machinery?.similar.settled();
  await machinery?.puller.settled();
  // What those started (a re-read after a pull) is tracked too.
  await inflightSettled();
}

/** Drafts the agent has typed into (or that were restored from the database) in this run. */
const touched = new Set<string>();

function callTimes(callId: string, times: { answerAt?: number; endAt?: number }): void {
  const d = draftOfCall(callId);
  if (!d?.call || !machinery) return;
  const call: CallBinding = { ...d.call, ...(times.answerAt !== undefined ? { answerAt: times.answerAt } : {}), ...(times.endAt !== undefined ? { endAt: times.endAt } : {}) };
  if (times.endAt !== undefined && d.state === 'open' && !touched.has(d.id)) {
    // A call that ended with its draft untouched (missed, refused, nothing typed) leaves no
    // draft behind: the call log has the call; a shift of such calls piles up nothing.
    dropUntouched(d.id, callId);
    return;
  }
  if (d.state === 'open') {
    patchDraft(d.id, (v) => ({ ...v, call, updatedAt: Date.now() }));
    machinery.saver.schedule(d.id);
  }
  if (times.endAt !== undefined && d.call.endAt === undefined) void linkCallLog(rt().callLog, callId, d.id);
}

function dropUntouched(id: string, callId: string): void {
  const m = machinery;
  if (!m) return;
  m.saver.cancel(id);
  m.similar.cancel(id);
  set((s) => {
    const { [id]: _gone, ...drafts } = s.drafts;
    const { [callId]: _pop, ...pops } = s.pops;
    return { drafts, pops, activeDraftId: s.activeDraftId === id ? null : s.activeDraftId };
  });
  forgetPop(callId);
  if (get().activeDraftId === null) set({ activeDraftId: nextActive(id) });
  recomposeMyOrders();
  // After any write of it still under way (it would put the row back).
  const { db } = rt();
  void m.saver
    .flush(id)
    .then(() => db.drafts.delete(id))
    .catch(() => ordersLog.warn('untouched draft not deleted'));
}

/** A call rang or was dialled: its pop and its draft (idempotent per call). (data layer) */
export function bindCall(binding: CallBinding): void {
  const parsed = callBindingSchema.safeParse(binding);
  if (!parsed.success) {
    ordersLog.warn('call binding refused (malformed)');
    return;
  }
  const b = parsed.data;
  if (get().status !== 'ready' || !machinery) {
    if (!queuedBindings.some((q) => q.callId === b.callId)) queuedBindings.push(b);
    return;
  }
  const existing = draftOfCall(b.callId);
  const painted = get().pops[b.callId] || isPopPending(b.callId) ? undefined : startPop(existing?.call ?? b);
  if (existing) return;

  const line = lineForDialled(b.dialled);
  const phone = normalizePhone(b.remoteNumber);
  const number = /^\d+$/.test(phone) ? phone : '';
  const now = Date.now();
  const draft: DraftView = {
    id: crypto.randomUUID(),
    call: b,
    form: emptyOrderForm({
      channel: 'phone',
      callerPhone: number,
      contact: number,
      ...(line?.categoryCode ? { categoryCode: line.categoryCode } : {}),
      ...(line?.unitCode ? { handlingUnit: line.unitCode } : {}),
    }),
    state: 'open',
    errors: [],
    updatedAt: now,
    savedAt: 0,
    createdAt: Math.min(now, b.ringAt),
    similar: [],
  };
  set((s) => ({ drafts: { ...s.drafts, [draft.id]: draft } }));
  recomposeMyOrders();
  void machinery.saver.saveNow(draft.id);
  // The pop first, then the form: mounting the form is the heaviest render of the work area, so
  // the new draft is shown once the pop has painted what this seat knows of the caller (or after
  // POP_FIRST_MS). The agent reads the pop while it rings; the form is there well before the answer.
  const show = () =>
    set((s) => {
      const d = s.drafts[draft.id];
      const active = s.activeDraftId ? s.drafts[s.activeDraftId] : undefined;
      // A draft being typed for another call that is still on keeps the form.
      const keep = active?.state === 'open' && active.id !== draft.id && active.call !== undefined && isCallLive(active.call.callId);
      return d?.state === 'open' && !keep ? { activeDraftId: draft.id } : {};
    });
  const m = machinery;
  const showAndAsk = () => {
    show();
    if (number) void m.similar.now(draft.id);
  };
  if (!painted) showAndAsk();
  else track(within(painted, POP_FIRST_MS).then(showAndAsk));
}

/** Change fields of a draft: the store at once, the database within 300 ms (debounced). (data layer) */
export function editDraft(id: string, patch: Partial<OrderForm>): void {
  const d = get().drafts[id];
  if (!d || d.state !== 'open' || !machinery) return;
  const form = { ...d.form, ...patch };
  if (!orderFormSchema.safeParse(form).success) {
    ordersLog.warn('draft edit refused (outside the form bounds)', { fields: Object.keys(patch) });
    return;
  }
  const fields = new Set(Object.keys(patch));
  touched.add(id);
  patchDraft(id, (v) => ({ ...v, form, errors: v.errors.filter((e) => !fields.has(e.field)), updatedAt: Date.now() }));
  machinery.saver.schedule(id);
  if ([...fields].some((f) => SIMILAR_FIELDS.has(f as keyof OrderForm))) machinery.similar.later(id);
  if (['title', 'callerName', 'callerPhone', 'requestType', 'categoryCode', 'disposition'].some((f) => fields.has(f))) recomposeMyOrders();
}

/** Show this draft in the form. (data layer) */
export function activateDraft(id: string): void {
  if (get().drafts[id]) set({ activeDraftId: id });
}

/**
 * An order the platform refused (需处理): its draft opens again in the form with the platform's
 * words, to be corrected and submitted again (the corrected order replaces the refused one in the
 * outbox — local/submit.ts). (data layer)
 */
export async function reopenRefused(id: string): Promise<void> {
  const m = machinery;
  if (!m) throw new Error('orders: not started');
  const { db, cipher, owner } = rt();
  const order = await db.orders.get(id);
  if (!order || order.sync !== 'failed') throw new Error('orders: only a refused order can be corrected');
  const row = await db.drafts.get(id);
  const draft = row ? await openDraftRow(db, cipher, row) : undefined;
  if (!draft) throw new Error('orders: the refused order has no draft to correct');
  const reopened: Draft = { ...draft, state: 'open', updatedAt: Date.now() };
  await db.drafts.put(await sealDraft(cipher, reopened, owner));
  touched.add(id);
  const fields = (order.errorFields ?? []).filter((f): f is OrderFormField => f in reopened.form);
  const refused: Refusal = { code: order.errorCode ?? 'rejected', message: order.error ?? '', fields };
  // The fields the platform named are marked, as a local check would mark them.
  const errors: FieldError[] = fields.map((field) => ({ field, code: 'invalid' }));
  set((s) => ({ drafts: { ...s.drafts, [id]: { ...viewOf(reopened, Date.now()), refused, errors } }, activeDraftId: id }));
  recomposeMyOrders();
}

/** A draft without a call (a call-back, another channel). Returns its id. (data layer) */
export function newDraft(): string {
  if (!machinery) throw new Error('orders: not started');
  const now = Date.now();
  const draft: DraftView = { id: crypto.randomUUID(), form: emptyOrderForm(), state: 'open', errors: [], updatedAt: now, savedAt: 0, createdAt: now, similar: [] };
  set((s) => ({ drafts: { ...s.drafts, [draft.id]: draft }, activeDraftId: draft.id }));
  recomposeMyOrders();
  void machinery.saver.saveNow(draft.id);
  return draft.id;
}

/** Validate and submit: the order and its outbox entry in one transaction. (data layer) */
export async function submitDraft(id: string): Promise<{ ok: true; mutationId?: string } | { ok: false; errors: readonly FieldError[] }> {
  const m = machinery;
  const d = get().drafts[id];
  if (!m || !d || d.state !== 'open' || submitting.has(id)) return { ok: false, errors: [] };
  submitting.add(id);
  try {
    // What was typed up to the submit is saved first: a refused submit must not leave it unsaved.
    await m.saver.flush(id);
    const current = get().drafts[id];
    if (!current || current.state !== 'open') return { ok: false, errors: [] };
    const { db, cipher, callLog, owner } = rt();
    const outcome = await submitRecord(db, cipher, toDraft(current), owner).catch((error: unknown) => {
      // The disk is full: say what to do (the draft stays saved as far as it was).
      if (isQuotaError(error)) throw new Error(i18n.t('orders.quotaExceeded'));
      throw error;
    });
    if (!outcome.ok) {
      patchDraft(id, (v) => ({ ...v, errors: outcome.errors }));
      return { ok: false, errors: outcome.errors };
    }
    track(outcome.indexed);
    // Edits typed while the transaction ran are not part of the order: the draft is closed.
    patchDraft(id, ({ refused: _refused, ...v }) => ({ ...v, state: 'submitted', errors: [], updatedAt: outcome.draft.updatedAt, savedAt: Date.now() }));
    m.saver.cancel(id);
    if (get().activeDraftId === id) set({ activeDraftId: nextActive(id) ?? id });
    await refreshToday();
    m.sender.poke();
    void m.sender.publishCounts();
    if (current.call && !isCallLive(current.call.callId)) void linkCallLog(callLog, current.call.callId, id, [500, 2_000]);
    return { ok: true, mutationId: outcome.mutationId };
  } finally {
    submitting.delete(id);
  }
}

/** Drop a draft (kept until the retention purge, never sent). (data layer) */
export async function discardDraft(id: string): Promise<void> {
  const m = machinery;
  const d = get().drafts[id];
  if (!m || !d || d.state !== 'open' || submitting.has(id)) return;
  patchDraft(id, (v) => ({ ...v, state: 'discarded', updatedAt: Date.now() }));
  m.similar.cancel(id);
  if (get().activeDraftId === id) set({ activeDraftId: nextActive(id) });
  recomposeMyOrders();
  await m.saver.saveNow(id);
}

/** 并单: add this call to an open order instead of a new one (undefined = a new order again). (data layer) */
export function setMergeTarget(id: string, target: { orderId: string; orderNo: string } | undefined): void {
  const d = get().drafts[id];
  if (!d || d.state !== 'open' || !machinery) return;
  patchDraft(id, (v) => {
    const { mergeInto: _old, ...rest } = v;
    return { ...rest, ...(target ? { mergeInto: { orderId: target.orderId, orderNo: target.orderNo } } : {}), updatedAt: Date.now() };
  });
  machinery.saver.schedule(id);
  recomposeMyOrders();
}

/** Show the caller's full number; the reveal is recorded on the platform (through the outbox). (data layer) */
export async function revealNumber(callId: string, purpose: string): Promise<void> {
  const m = machinery;
  const d = draftOfCall(callId);
  if (!m || !d?.call) throw new Error('orders: no such call');
  const why = purpose.trim();
  if (why.length < 2 || why.length > 200) throw new RangeError('orders: a reveal needs a purpose of 2 to 200 characters');
  const phone = normalizePhone(d.call.remoteNumber);
  if (!/^\d+$/.test(phone)) return;
  const { db, cipher, owner } = rt();
  // Queued first: the reveal is on record (locally, then on the platform) before the number shows.
  await queueEntry(db, cipher, d.id, { kind: 'caller.reveal', phone: phone.slice(0, 20), purpose: why, callId }, owner);
  updatePop(callId, (p) => ({ ...p, numberRevealed: phone }));
  m.sender.poke();
  void m.sender.publishCounts();
}

/**
 * An agent's report on a knowledge article, queued in the outbox: it reaches the platform when it
 * can, like an order, and is never lost to a crash or a platform down. (data layer)
 */
export async function reportArticle(report: { articleId: string; articleVersion: number; problem: ArticleProblem; comment?: string }): Promise<void> {
  const m = machinery;
  if (!m) throw new Error('orders: not started');
  const comment = report.comment?.trim().slice(0, 1000);
  const { db, cipher, owner } = rt();
  // Its own id: a report belongs to no order (changesOrder() is false for it).
  await queueEntry(
    db,
    cipher,
    crypto.randomUUID(),
    { kind: 'knowledge.feedback', articleId: report.articleId, articleVersion: report.articleVersion, problem: report.problem, ...(comment ? { comment } : {}) },
    owner,
  );
  m.sender.poke();
  void m.sender.publishCounts();
}

// ---- what a transfer of the call carries (transfers/transfer-runner.ts) ----------------------

/** Callers waiting for outbox entries to reach the platform, by mutation id. */
const deliveryWaiters = new Map<string, Set<() => void>>();

/**
 * Resolves true once these outbox entries reached the platform, false after `ms` (the platform is
 * slow or down: whoever waits goes on without it; the entries are sent when they can be).
 */
export function whenDelivered(mutationIds: readonly string[], ms: number): Promise<boolean> {
  if (mutationIds.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    let left = mutationIds.length;
    const done = () => {
      left -= 1;
      if (left === 0) {
        window.clearTimeout(timer);
        resolve(true);
      }
    };
    const timer = window.setTimeout(() => {
      for (const id of mutationIds) deliveryWaiters.get(id)?.delete(done);
      resolve(false);
    }, ms);
    for (const id of mutationIds) {
      const set = deliveryWaiters.get(id) ?? new Set();
      set.add(done);
      deliveryWaiters.set(id, set);
    }
    void machinery?.sender.resume();
  });
}

export type TransferOrder =
  | { ok: true; ticketId: string; mutationIds: readonly string[] }
  | { ok: false; reason: 'noDraft' | 'merged' }
  | { ok: false; reason: 'incomplete'; errors: readonly FieldError[] };

/**
 * The order a transfer of `callId` carries: the call's draft submitted now with the transfer's
 * disposition (转分中心 to the target's organisation, or 紧急转接 with the line), or the order it
 * already became. An incomplete draft is not submitted (its errors are marked on the form).
 */
export async function orderForTransfer(callId: string, disposition: Pick<OrderForm, 'disposition' | 'transferTarget' | 'emergencyLine'>, fill: Partial<OrderForm> = {}): Promise<TransferOrder> {
  const d = draftOfCall(callId);
  if (!machinery || !d || d.state === 'discarded') return { ok: false, reason: 'noDraft' };
  if (d.mergeInto) return { ok: false, reason: 'merged' };
  if (d.state === 'submitted') return { ok: true, ticketId: d.id, mutationIds: [] };
  // What the agent has not typed yet may be filled in (an emergency's title), never overwritten.
  const blanks = Object.fromEntries(Object.entries(fill).filter(([k]) => !d.form[k as OrderFormField])) as Partial<OrderForm>;
  editDraft(d.id, { ...blanks, ...disposition });
  const r = await submitDraft(d.id);
  if (!r.ok) return { ok: false, reason: 'incomplete', errors: r.errors };
  return { ok: true, ticketId: d.id, mutationIds: r.mutationId ? [r.mutationId] : [] };
}

/** Queue a record on a ticket's order (a transfer, a handling record); returns its entry's id. */
export async function queueTicketRecord(payload: Extract<OutboxPayload, { kind: 'ticket.transfer' | 'ticket.handling' }>): Promise<string> {
  const m = machinery;
  if (!m) throw new Error('orders: not started');
  const { db, cipher, owner } = rt();
  // Under the ticket: it goes after the order's own entries (outbox/entry.ts sequenced()).
  const row = await queueEntry(db, cipher, payload.ticketId, payload, owner);
  m.sender.poke();
  void m.sender.publishCounts();
  return row.mutationId;
}

/** Local search over my orders and open drafts (number, name, text). (data layer) */
export async function searchMyOrders(query: string): Promise<readonly LocalOrderView[]> {
  if (!hasRuntime()) return [];
  const { db, cipher, owner } = rt();
  return searchOrders(db, cipher, query, Object.values(get().drafts), owner);
}

/** Push the outbox and pull the platform's changes now. (data layer) */
export function syncNow(): void {
  void machinery?.puller.pull();
  void machinery?.sender.resume();
}
