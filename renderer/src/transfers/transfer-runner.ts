/**
 * One-click transfer with context, as the transferring seat runs it:
 *
 *   1. the order: the call's draft is submitted with the transfer's disposition (转分中心 to the
 *      target's organisation, or 紧急转接), or the ticket the call came with is passed on;
 *   2. the transfer is recorded on it as pending, and the seat waits briefly (CONTEXT_WAIT_MS) for
 *      both to reach the platform, so the target's pop finds them — never longer: the caller does
 *      not wait for a platform that is down (an emergency does not wait at all);
 *   3. the target is called with the ticket (X-Ticket-Id): blind (REFER), attended (consult first)
 *      or three-way (consult, all three talk once the target answers, then the agent leaves);
 *   4. the outcome is followed on the call store and recorded on the order: connected, or failed
 *      with why — and the caller is taken back off hold when a one-click transfer did not reach
 *      the target (no lost caller).
 */
import { isLive } from '../../../shared/phone/call-machine';
import type { TransferFailure } from '../../../shared/phone/transfer-machine';
import type { FieldError, OrderForm } from '../../../shared/orders/order-form';
import type { TransferInput, TransferKind } from '../../../shared/transfers/routes';
import { EMERGENCY_LINES } from '../../../shared/orders/work-order';
import { callById, useCallStore, type CallView } from '../phone/call-store';
import { sipService } from '../phone/sip-service';
import { orderForTransfer, queueTicketRecord, whenDelivered } from '../orders/orders-store';
import { createRendererLogger } from '../logging/logger';
import { i18n } from '../i18n';
import { patchAttempt, setAttempt, useTransfersStore, type TransferAttempt } from './transfer-store';

const log = createRendererLogger('transfers');

/** The longest a transfer waits for its order to reach the platform before calling the target. */
export const CONTEXT_WAIT_MS = 1_500;

export interface TransferTargetRef {
  number: string;
  name?: string;
  uri?: string;
  /** The receiving organisation (the order's transfer target), when it has seats of its own. */
  org?: string | null;
}

export type StartResult =
  | { ok: true }
  | { ok: false; reason: 'incomplete'; errors: readonly FieldError[] }
  | { ok: false; reason: 'notPossible' | 'invalidNumber' | 'busy' | 'notRegistered' | 'failed' };

type EndReason = NonNullable<TransferInput['reason']>;

const isEmergencyNumber = (n: string): n is (typeof EMERGENCY_LINES)[number] => (EMERGENCY_LINES as readonly string[]).includes(n);

/** What the order says for this transfer, and what may fill an emergency order's empty fields. */
function dispositionFor(target: TransferTargetRef, kind: TransferKind): { disposition: Pick<OrderForm, 'disposition' | 'transferTarget' | 'emergencyLine'>; fill: Partial<OrderForm> } {
  if (kind === 'emergency' && isEmergencyNumber(target.number)) {
    const t = (k: string) => i18n.t(k, { lng: 'zh-CN', line: target.number });
    return {
      disposition: { disposition: 'emergency', emergencyLine: target.number, transferTarget: '' },
      // An emergency does not wait for typing: what the agent left empty says what happened.
      fill: { requestType: 'help', title: t('transfers.emergency.orderTitle'), content: t('transfers.emergency.orderContent') },
    };
  }
  return { disposition: { disposition: 'transferred', transferTarget: target.org ?? target.number, emergencyLine: '' }, fill: {} };
}

/** The ticket the call carries when this seat passes it on: a context it received and could read. */
function receivedTicket(callId: string): string | undefined {
  const v = useTransfersStore.getState().tickets[callId];
  return v?.state === 'ready' ? v.ticketId : undefined;
}

function record(attempt: TransferAttempt, outcome: TransferInput['outcome'], reason?: EndReason): void {
  if (!attempt.ticketId) return;
  const transfer: TransferInput = {
    kind: attempt.kind,
    targetNumber: attempt.targetNumber,
    outcome,
    ...(reason ? { reason } : {}),
    startedAt: new Date(attempt.startedAt).toISOString(),
    ...(outcome !== 'pending' ? { endedAt: new Date().toISOString() } : {}),
  };
  void queueTicketRecord({ kind: 'ticket.transfer', ticketId: attempt.ticketId, transferId: attempt.transferId, transfer }).catch(() => log.warn('transfer record not queued', { outcome }));
}

/**
 * Transfer the caller on `callId` to `target`. Resolves once the target is being called (or why
 * not); the outcome follows in the transfers store and on the order.
 */
export async function startTransfer(callId: string, target: TransferTargetRef, kind: TransferKind, opts: { withoutOrder?: boolean } = {}): Promise<StartResult> {
  const call = callById(callId);
  if (!call || !isLive(call.state) || call.consult) return { ok: false, reason: 'notPossible' };
  const pending = useTransfersStore.getState().attempts[callId];
  if (pending && (pending.phase === 'preparing' || pending.phase === 'calling')) return { ok: false, reason: 'notPossible' };

  // 1. The order that travels with the caller.
  let ticketId = receivedTicket(callId);
  let waitFor: readonly string[] = [];
  if (!ticketId) {
    const { disposition, fill } = dispositionFor(target, kind);
    const own = await orderForTransfer(callId, disposition, fill);
    if (own.ok) {
      ticketId = own.ticketId;
      waitFor = own.mutationIds;
    } else if (own.reason === 'incomplete' && kind !== 'emergency' && !opts.withoutOrder) {
      return { ok: false, reason: 'incomplete', errors: own.errors };
    }
  }
  const attempt: TransferAttempt = {
    callId,
    transferId: crypto.randomUUID(),
    kind,
    targetNumber: target.number,
    ...(target.name ? { targetName: target.name } : {}),
    ...(ticketId ? { ticketId } : {}),
    phase: 'preparing',
    startedAt: Date.now(),
  };
  setAttempt(attempt);

  // 2. Recorded as pending, and on the platform before the target's INVITE when it can be.
  if (ticketId) {
    const transfer: TransferInput = { kind, targetNumber: target.number, outcome: 'pending', startedAt: new Date(attempt.startedAt).toISOString() };
    const pendingId = await queueTicketRecord({ kind: 'ticket.transfer', ticketId, transferId: attempt.transferId, transfer }).catch(() => undefined);
    if (kind !== 'emergency') {
      const delivered = await whenDelivered([...waitFor, ...(pendingId ? [pendingId] : [])], CONTEXT_WAIT_MS);
      patchAttempt(callId, attempt.transferId, { contextDelivered: delivered });
    }
  }
  if (!callById(callId) || !isLive(callById(callId)!.state)) {
    finish(attempt, 'failed', 'callEnded');
    return { ok: false, reason: 'notPossible' };
  }

  // 3. The target is called.
  sipService.lines.focus(callId);
  const before = new Set(useCallStore.getState().calls.map((c) => c.id));
  const to = { ...(target.uri ? { uri: target.uri } : {}), ...(ticketId ? { ticketId } : {}) };
  const r =
    kind === 'blind' || kind === 'emergency'
      ? await sipService.lines.blindTransfer(target.number, to)
      : await sipService.lines.consult(target.number, { ...to, threeWay: kind === 'threeWay' });
  if (r !== 'ok') {
    finish(attempt, 'failed', 'failed');
    await takeBack(callId);
    return { ok: false, reason: r };
  }
  patchAttempt(callId, attempt.transferId, { phase: 'calling' });
  log.info('transfer started', { kind, withContext: !!ticketId });
  // 4. Its outcome.
  if (kind === 'blind' || kind === 'emergency') followReferral(attempt);
  else {
    const consult = useCallStore.getState().calls.find((c) => c.consult && !before.has(c.id));
    if (consult) {
      patchAttempt(callId, attempt.transferId, { consultId: consult.id });
      followConsultation(attempt, consult.id);
    }
    else finish(attempt, 'failed', 'failed');
  }
  return { ok: true };
}

function finish(attempt: TransferAttempt, outcome: 'connected' | 'failed', reason?: EndReason): void {
  const current = useTransfersStore.getState().attempts[attempt.callId];
  if (current?.transferId === attempt.transferId && (current.phase === 'connected' || current.phase === 'failed')) return;
  patchAttempt(attempt.callId, attempt.transferId, { phase: outcome, ...(reason ? { reason } : {}) });
  record(attempt, outcome, outcome === 'failed' ? (reason ?? 'failed') : undefined);
}

/** The caller comes back to the agent, off hold (the transfer did not reach the target). */
async function takeBack(callId: string): Promise<void> {
  const c = callById(callId);
  if (!c || c.state.kind !== 'held') return;
  sipService.lines.focus(callId);
  await sipService.lines.setHold(false, callId);
}

/** Follow the store until `done` says the attempt ended (it returns true); unsubscribes itself. */
function watch(done: (calls: readonly CallView[]) => boolean): void {
  if (done(useCallStore.getState().calls)) return;
  const off = useCallStore.subscribe((s, prev) => {
    if (s.calls !== prev.calls && done(s.calls)) off();
  });
}

/** Blind and emergency: the softphone's transfer machine on the caller's call says how it ended. */
function followReferral(attempt: TransferAttempt): void {
  watch((calls) => {
    const c = calls.find((x) => x.id === attempt.callId);
    const tr = c?.transfer;
    if (tr?.state.kind === 'succeeded') {
      finish(attempt, 'connected');
      return true;
    }
    if (tr?.state.kind === 'failed') {
      finish(attempt, 'failed', tr.state.reason);
      return true;
    }
    if (!c || !isLive(c.state)) {
      finish(attempt, 'failed', 'callEnded');
      return true;
    }
    return false;
  });
}

const END_REASONS: Partial<Record<string, TransferFailure>> = { busy: 'busy', rejected: 'declined', noAnswer: 'noAnswer', cancelled: 'noAnswer', failed: 'failed' };

/**
 * Attended and three-way: the consultation call. Unanswered within the transfer timeout, it is
 * cancelled; when it fails the caller is taken back off hold (three-way: the agent was introducing
 * them) or stays on hold with the agent told (attended: the agent decides). Once answered, the
 * hand-over (REFER with Replaces, "完成转接" / "退出三方") decides: connected, or failed.
 */
function followConsultation(attempt: TransferAttempt, consultId: string): void {
  const timeoutS = sipService.lines.transferTimeoutS();
  let answered = false;
  let noAnswer = false;
  const timer = window.setTimeout(() => {
    const c = callById(consultId);
    if (!answered && c && isLive(c.state)) {
      patchAttempt(attempt.callId, attempt.transferId, { reason: 'noAnswer' });
      noAnswer = true;
      void sipService.lines.hangup(consultId);
    }
  }, timeoutS * 1000);
  watch((calls) => {
    const main = calls.find((x) => x.id === attempt.callId);
    const consult = calls.find((x) => x.id === consultId);
    // The hand-over of this attempt (REFER with Replaces from the caller's line), if it started.
    const tr = main?.transfer?.kind === 'attended' && main.transfer.state.kind !== 'idle' && main.transfer.state.since >= attempt.startedAt ? main.transfer.state : undefined;
    if (tr?.kind === 'succeeded') {
      window.clearTimeout(timer);
      finish(attempt, 'connected');
      return true;
    }
    if (!main || !isLive(main.state)) {
      window.clearTimeout(timer);
      finish(attempt, 'failed', 'callEnded');
      return true;
    }
    if (consult && (consult.state.kind === 'active' || consult.state.kind === 'held') && !answered) {
      answered = true;
      window.clearTimeout(timer);
      patchAttempt(attempt.callId, attempt.transferId, { phase: 'introducing' });
    }
    if (!consult || !isLive(consult.state)) {
      // The target ends the replaced consultation as soon as the caller reaches it, often before
      // the transferee's NOTIFY says so: while the hand-over is pending its outcome decides.
      if (tr?.kind === 'requested' || tr?.kind === 'accepted') return false;
      window.clearTimeout(timer);
      const ended = consult?.state.kind === 'ended' ? consult.state.reason : undefined;
      const reason: EndReason = tr?.kind === 'failed' ? tr.reason : noAnswer ? 'noAnswer' : answered ? 'cancelled' : (END_REASONS[ended ?? ''] ?? 'failed');
      finish(attempt, 'failed', reason);
      // Not reached: a one-click three-way gives the caller back; an attended consult leaves the caller on hold for the agent.
      if (!answered && attempt.kind === 'threeWay') void takeBack(attempt.callId);
      return true;
    }
    return false;
  });
}

/**
 * An emergency line's number was read out to the caller (the line's rule, or the transfer did not
 * go through): the linkage is recorded on the order as it would be for a transfer.
 */
export async function recordReadOut(callId: string, target: { number: string; name?: string }): Promise<void> {
  const { disposition, fill } = dispositionFor(target, 'emergency');
  const ticketId = receivedTicket(callId) ?? (await orderForTransfer(callId, disposition, fill).then((r) => (r.ok ? r.ticketId : undefined)));
  const attempt: TransferAttempt = {
    callId,
    transferId: crypto.randomUUID(),
    kind: 'emergency',
    targetNumber: target.number,
    ...(target.name ? { targetName: target.name } : {}),
    ...(ticketId ? { ticketId } : {}),
    phase: 'connected',
    startedAt: Date.now(),
  };
  setAttempt({ ...attempt, reason: 'readOut' });
  record(attempt, 'readOut');
}
