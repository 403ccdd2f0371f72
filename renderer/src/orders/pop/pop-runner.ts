/**
 * Running the screen-pops of calls: the local read started the moment a call is seen ringing, the
 * pop shown once (complete with this seat's records), then merged with the platform's answers;
 * and the "pop painted" promise the ring gate (phone/ring-gate.ts) and the draft's form wait for.
 */
import type { CallBinding } from '../../../../shared/orders/draft';
import { afterPaintOr, isCallLive } from '../call-binding';
import { track } from '../inflight';
import { getOrders as get, setOrders as set, type PopView } from '../orders-state';
import { ordersLog, rt } from '../runtime';
import { loadPop, readLocalPop, type LocalPop } from './pop';

/** The longest a ringing call's draft waits for its pop to paint before its form is shown. */
export const POP_FIRST_MS = 300;

/** Change the pop of a call, if it is in the store. */
export function updatePop(callId: string, change: (p: PopView) => PopView): void {
  set((s) => {
    const p = s.pops[callId];
    return p ? { pops: { ...s.pops, [callId]: change(p) } } : {};
  });
}

/** Pops kept for calls that are over (wrap-up, call-backs); older ones leave the store. */
const MAX_POPS = 20;

/** Local pop reads started when a call was seen ringing, taken by its pop (a few at most). */
const earlyPops = new Map<string, LocalPop>();
const MAX_EARLY_POPS = 8;

/**
 * Pops not painted yet: the ring of a ringing call (phone/ring-gate.ts) and the form of its draft
 * wait for them. Made when the call is seen ringing (or its pop starts), settled once the pop has
 * painted, or when it will not be (dropped, sign-out).
 */
const popPaints = new Map<string, { promise: Promise<void>; settle: () => void }>();

function popPaint(callId: string): Promise<void> {
  let entry = popPaints.get(callId);
  if (!entry) {
    let settle = () => undefined as void;
    const promise = new Promise<void>((r) => (settle = r));
    entry = { promise, settle };
    popPaints.set(callId, entry);
  }
  return entry.promise;
}

function popPainted(callId: string): void {
  popPaints.get(callId)?.settle();
  popPaints.delete(callId);
}

/** For the ring gate: resolves once this call's pop is painted (at once when it has none coming). */
export function whenPopPainted(callId: string): Promise<void> {
  return popPaints.get(callId)?.promise ?? Promise.resolve();
}

export function prefetchPop(binding: CallBinding): void {
  if (earlyPops.has(binding.callId) || pendingPops.has(binding.callId) || get().pops[binding.callId] || get().status !== 'ready') return;
  earlyPops.set(binding.callId, readLocalPop(binding.callId, binding.remoteNumber, rt()));
  void popPaint(binding.callId);
  for (const id of [...earlyPops.keys()].slice(0, Math.max(0, earlyPops.size - MAX_EARLY_POPS))) {
    earlyPops.delete(id);
    popPainted(id);
  }
}

/** Calls whose pop is being prepared (shown once this seat's records are read). */
const pendingPops = new Set<string>();

/** Start the pop of a call; resolves once it is painted. */
export function startPop(binding: CallBinding): Promise<void> {
  const callId = binding.callId;
  const { db, cipher, callLog, owner } = rt();
  const early = earlyPops.get(callId) ?? readLocalPop(callId, binding.remoteNumber, { db, cipher, callLog, owner });
  earlyPops.delete(callId);
  pendingPops.add(callId);
  const painted = popPaint(callId);
  const show = (pop: PopView) => {
    // Dropped meanwhile (the call ended untouched, sign-out): nothing to show.
    if (!pendingPops.delete(callId)) return popPainted(callId);
    set((s) => {
      const pops: Record<string, PopView> = { ...s.pops, [callId]: pop };
      const over = Object.keys(pops).filter((id) => id !== callId && !isCallLive(id));
      for (const id of over.slice(0, Math.max(0, Object.keys(pops).length - MAX_POPS))) delete pops[id];
      return { pops };
    });
    afterPaintOr(POP_FIRST_MS, () => popPainted(callId));
  };
  track(loadPop(binding, { db, cipher, callLog, owner, show, update: updatePop }, early).catch(() => ordersLog.warn('pop not completed')));
  return painted;
}

/** True while the pop of this call is being prepared. */
export function isPopPending(callId: string): boolean {
  return pendingPops.has(callId);
}

/** The call's pop will not be shown (the call ended untouched): whoever waits for it goes on. */
export function forgetPop(callId: string): void {
  pendingPops.delete(callId);
  popPainted(callId);
}

/** Sign-out or stop: nothing is being prepared any more, and nothing waits for a pop. */
export function resetPops(): void {
  earlyPops.clear();
  pendingPops.clear();
  for (const id of [...popPaints.keys()]) popPainted(id);
}
