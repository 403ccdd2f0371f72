/**
 * Drafts follow the softphone's calls: a new call (ringing, or dialled out) gets its draft, an
 * answered or ended call updates the binding's times, and an ended call's call-log row gets the
 * draft's id (the row is written just after the end: the link is retried briefly, and made again
 * at submit). Consultation calls (for an attended transfer or a conference) get no draft.
 */
import type { CallBinding } from '../../../shared/orders/draft';
import { isLive } from '../../../shared/phone/call-machine';
import { useCallStore, type CallView } from '../phone/call-store';
import { ordersLog, type CallLogPort } from './runtime';

const NUMBER = /^[\w.+*#-]*$/;

/** The binding of a call as the call store has it now. `ringAt` is when it was first seen. */
export function bindingOf(call: CallView, ringAt: number): CallBinding {
  const s = call.state;
  const remote = call.remoteNumber.slice(0, 32);
  const answeredAt = 'answeredAt' in s ? s.answeredAt : undefined;
  return {
    callId: call.id,
    direction: s.direction,
    remoteNumber: NUMBER.test(remote) ? remote : remote.replace(/[^\w.+*#-]/g, ''),
    ...(call.dialled && /^\d{1,20}$/.test(call.dialled) ? { dialled: call.dialled } : {}),
    ringAt: Math.min(ringAt, answeredAt ?? ringAt),
    ...(answeredAt !== undefined ? { answerAt: answeredAt } : {}),
    ...(s.kind === 'ended' ? { endAt: s.since } : {}),
  };
}

export interface CallFollower {
  /** A call appeared (first seen): its draft and pop. */
  added(binding: CallBinding): void;
  /** Its answer or end time changed. */
  changed(callId: string, times: { answerAt?: number; endAt?: number }): void;
  /**
   * A call is ringing in (seen in the store, not painted yet, `added` follows after the paint):
   * the moment to start reading what is known of the caller. Must only start asynchronous work.
   */
  ringing?(binding: CallBinding): void;
}

/**
 * Runs `fn` once the frame being prepared has painted: in a page, the ringing call is drawn (and
 * its first frame is cheap) before its draft, pop and form are made — the softphone's figures
 * (INVITE → ringing painted, answer → media) do not pay for the work order. Without frames (unit
 * tests in Node) it runs at once.
 */
export function afterPaint(fn: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') {
    fn();
    return () => undefined;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancelFrame = cancelAnimationFrame;
  const frame = requestAnimationFrame(() => {
    timer = setTimeout(fn, 0);
  });
  return () => {
    cancelFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** After the next paint, or after `ms` (a hidden window paints no frames). */
export function afterPaintOr(ms: number, fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    fn();
  };
  const timer = setTimeout(once, ms);
  afterPaint(once);
}

/** Follow the call store; returns the unsubscribe function. Calls already there count as new. */
export function followCalls(follower: CallFollower): () => void {
  const seen = new Map<string, { ringAt: number; answerAt?: number; endAt?: number }>();
  const apply = (calls: readonly CallView[]) => {
    const now = Date.now();
    const present = new Set<string>();
    for (const c of calls) {
      present.add(c.id);
      if (c.consult) continue;
      const known = seen.get(c.id);
      // A dialled call gets its draft once it is under way (ringing at the far end, answered):
      // not on the INVITE's critical path, and none for a number that was busy or wrong.
      if (!known && c.state.kind === 'dialing') continue;
      if (!known && c.state.kind === 'ended' && c.state.direction === 'outbound' && c.state.answeredAt === undefined) continue;
      if (!known) {
        const b = bindingOf(c, c.state.kind === 'ringing' || c.state.kind === 'dialing' ? c.state.since : now);
        seen.set(c.id, { ringAt: b.ringAt, answerAt: b.answerAt, endAt: b.endAt });
        follower.added(b);
        continue;
      }
      const b = bindingOf(c, known.ringAt);
      if (b.answerAt !== known.answerAt || b.endAt !== known.endAt) {
        seen.set(c.id, { ringAt: known.ringAt, answerAt: b.answerAt, endAt: b.endAt });
        follower.changed(c.id, { answerAt: b.answerAt, endAt: b.endAt });
      }
    }
    // A line that left the list without being seen to end ended by now.
    for (const [id, k] of seen) {
      if (present.has(id)) continue;
      if (k.endAt === undefined) follower.changed(id, { answerAt: k.answerAt, endAt: now });
      seen.delete(id);
    }
  };
  apply(useCallStore.getState().calls);
  // Changes in one frame are applied together, from the store as it is then.
  let scheduled = false;
  let cancel = () => undefined as void;
  const unsubscribe = useCallStore.subscribe((s, prev) => {
    if (s.calls === prev.calls) return;
    if (follower.ringing) for (const c of s.calls) if (!c.consult && c.state.kind === 'ringing' && !seen.has(c.id)) follower.ringing(bindingOf(c, c.state.since));
    if (scheduled) return;
    scheduled = true;
    cancel = afterPaint(() => {
      scheduled = false;
      cancel = () => undefined;
      apply(useCallStore.getState().calls);
    });
  });
  return () => {
    cancel();
    unsubscribe();
  };
}

/** The call is still up (ringing, dialling or talking) on this seat. */
export function isCallLive(callId: string): boolean {
  const c = useCallStore.getState().calls.find((x) => x.id === callId);
  return !!c && isLive(c.state);
}

export const LINK_RETRY_MS = [250, 750, 1_500, 3_000, 6_000] as const;

/** Link the call-log row to the draft; retried while the row is not written yet. */
export function linkCallLog(callLog: CallLogPort, callId: string, draftId: string, delays: readonly number[] = LINK_RETRY_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = (i: number) => {
      callLog.linkWorkOrder(callId, draftId).then(
        () => resolve(true),
        () => {
          if (i >= delays.length) {
            ordersLog.info('call not linked to its draft (no call-log row)');
            resolve(false);
            return;
          }
          setTimeout(() => attempt(i + 1), delays[i]);
        },
      );
    };
    attempt(0);
  });
}
