/**
 * Transfers with context in the renderer, as plain data (one zustand store): the context of calls
 * that came with a ticket (the receiving seat's pop), and the transfers this seat is making (what
 * the agent is told: preparing the order, calling the target, connected, or back with why).
 */
import { create } from 'zustand';
import type { TicketContext, TransferKind } from '../../../shared/transfers/routes';

/**
 * A transferred call's context: loading, shown, or unavailable with why — malformed (the header is
 * not a ticket), notFound (no such order for this seat: forged, foreign, or not synced yet),
 * unreachable (the platform is down).
 */
export type TicketView =
  | { readonly state: 'loading'; readonly ticketId: string; readonly since: number }
  | { readonly state: 'ready'; readonly ticketId: string; readonly context: TicketContext; readonly at: number }
  | { readonly state: 'unavailable'; readonly ticketId?: string; readonly reason: 'malformed' | 'notFound' | 'unreachable' };

/** Where a transfer started from this seat stands (beside the softphone's own transfer view). */
export type AttemptPhase = 'preparing' | 'calling' | 'introducing' | 'connected' | 'failed';

export interface TransferAttempt {
  readonly callId: string;
  readonly transferId: string;
  readonly kind: TransferKind;
  readonly targetNumber: string;
  readonly targetName?: string;
  /** The consultation call of an attended or three-way transfer. */
  readonly consultId?: string;
  /** The order that travels with the caller (absent: transferred without context). */
  readonly ticketId?: string;
  /** The order reached the platform before the target was called. */
  readonly contextDelivered?: boolean;
  readonly phase: AttemptPhase;
  readonly reason?: string;
  readonly startedAt: number;
}

export interface TransfersState {
  /** By call id. */
  readonly tickets: Readonly<Record<string, TicketView>>;
  /** The latest transfer started from this seat, by the caller's call id. */
  readonly attempts: Readonly<Record<string, TransferAttempt>>;
}

export const useTransfersStore = create<TransfersState>()(() => ({ tickets: {}, attempts: {} }));

export function setTicket(callId: string, view: TicketView): void {
  useTransfersStore.setState((s) => ({ tickets: { ...s.tickets, [callId]: view } }));
}

export function setAttempt(attempt: TransferAttempt): void {
  useTransfersStore.setState((s) => ({ attempts: { ...s.attempts, [attempt.callId]: attempt } }));
}

export function patchAttempt(callId: string, transferId: string, patch: Partial<Pick<TransferAttempt, 'phase' | 'reason' | 'contextDelivered' | 'consultId'>>): void {
  useTransfersStore.setState((s) => {
    const a = s.attempts[callId];
    return a && a.transferId === transferId ? { attempts: { ...s.attempts, [callId]: { ...a, ...patch } } } : {};
  });
}

/** The transfer a call is part of: as the caller's call, or as its consultation. */
export function attemptOf(s: TransfersState, callId: string): TransferAttempt | undefined {
  return s.attempts[callId] ?? Object.values(s.attempts).find((a) => a.consultId === callId);
}

/** Keep the entries of the calls still listed (plus a few ended ones for wrap-up). */
export function pruneTransfers(liveIds: ReadonlySet<string>, keep = 10): void {
  useTransfersStore.setState((s) => {
    const prune = <T,>(m: Readonly<Record<string, T>>) => {
      const ended = Object.keys(m).filter((id) => !liveIds.has(id));
      if (ended.length <= keep) return m;
      const out = { ...m };
      for (const id of ended.slice(0, ended.length - keep)) delete out[id];
      return out;
    };
    return { tickets: prune(s.tickets), attempts: prune(s.attempts) };
  });
}
