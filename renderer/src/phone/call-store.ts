/**
 * The agent's calls as plain data (SIP.js sessions stay inside the SIP service). A seat can hold
 * several lines at once: a waiting second call, a consultation call while the caller is on
 * hold, a three-way conference. The controls act on the focused line.
 */
import { create } from 'zustand';
import { isLive, isUp, type CallState } from '../../../shared/phone/call-machine';
import type { QualityGrade } from '../../../shared/phone/media-watchdog';
import type { TransferFailure, TransferState } from '../../../shared/phone/transfer-machine';
import type { TicketClaim } from '../../../shared/transfers/ticket-header';

export interface CallQuality {
  /** Fraction of inbound packets lost over the last sample window (0..1). */
  readonly loss: number;
  readonly jitterMs: number;
  readonly rttMs: number;
  /** noMedia: not a packet arrived over the window. */
  readonly grade: QualityGrade;
}

/**
 * A transfer as the screen shows it: `state` is the transfer machine's (requested, accepted with
 * trying/ringing progress, succeeded, failed with a reason); `status` sums it up — pending until the
 * target answered ('done') or the attempt failed and the caller is back with the agent ('failed').
 */
export interface TransferView {
  readonly target: string;
  readonly kind: 'blind' | 'attended';
  readonly status: 'pending' | 'done' | 'failed';
  readonly state: TransferState;
}

export function transferStatusOf(state: TransferState): TransferView['status'] {
  return state.kind === 'succeeded' ? 'done' : state.kind === 'failed' ? 'failed' : 'pending';
}

export interface CallView {
  readonly id: string;
  readonly remoteName: string;
  readonly remoteNumber: string;
  /** The number the caller dialled (tells which merged hotline they meant). */
  readonly dialled?: string;
  readonly state: CallState;
  /** A consultation call made for an attended transfer or a conference. */
  readonly consult?: boolean;
  /** In the local three-way conference. */
  readonly conference?: boolean;
  /** The latest transfer of this call: where to, how, and how far it got (see transfer-machine.ts). */
  readonly transfer?: TransferView;
  /** The last transfer of this call that failed (the caller came back), for the call log. */
  readonly transferFailed?: { readonly target: string; readonly kind: 'blind' | 'attended'; readonly reason: TransferFailure; readonly code?: number };
  /** Digits sent on this call (DTMF), for the agent to see. */
  readonly dtmf?: string;
  /** The SIP connection dropped during the call (media goes on; hanging up may not reach the far end). */
  readonly signalling?: 'lost';
  /** The output device the call's audio plays on ('' = system default). */
  readonly outputDevice?: string;
  /** Seconds until auto-answer, while it counts down. */
  readonly autoAnswerIn?: number;
  /** The order a transferred call names (X-Ticket-Id), as claimed by the INVITE. */
  readonly ticket?: Exclude<TicketClaim, { kind: 'none' }>;
}

export interface CallStoreState {
  readonly calls: readonly CallView[];
  readonly focusedId: string | null;
  /** The last number dialled (redial). */
  readonly lastDialled: string | null;
}

export const getEmptyCallState = (): CallStoreState => ({ calls: [], focusedId: null, lastDialled: null });

export const useCallStore = create<CallStoreState>()(getEmptyCallState);

export function focusedCall(s: CallStoreState): CallView | null {
  return s.calls.find((c) => c.id === s.focusedId) ?? null;
}

/** What the call controls need, as flags: compared shallowly, so only real changes re-render them. */
export interface ControlsView {
  /** The call the answer button answers: the focused one if it rings, else any ringing one. */
  readonly ringingId: string | null;
  readonly focusedRinging: boolean;
  /** The focused call is up (ringing, dialling or talking). */
  readonly live: boolean;
  readonly talking: boolean;
  readonly active: boolean;
  readonly held: boolean;
  /** A hold or resume re-INVITE waits for the far end's answer. */
  readonly holdPending: 'holding' | 'resuming' | null;
  readonly muted: boolean;
  readonly conference: boolean;
  /** A consultation and the original call are both up: the transfer can be completed or merged. */
  readonly pair: boolean;
  readonly dtmf: string;
}

export function controlsView(s: CallStoreState): ControlsView {
  const call = focusedCall(s);
  const live = s.calls.filter((c) => isLive(c.state));
  const up = (c: CallView) => isUp(c.state);
  const ringing = call?.state.kind === 'ringing' ? call : s.calls.find((c) => c.state.kind === 'ringing');
  return {
    ringingId: ringing?.id ?? null,
    focusedRinging: call?.state.kind === 'ringing',
    live: !!call && isLive(call.state),
    talking: !!call && up(call),
    active: call?.state.kind === 'active',
    held: call?.state.kind === 'held',
    holdPending: call?.state.kind === 'holding' || call?.state.kind === 'resuming' ? call.state.kind : null,
    muted: !!call && 'muted' in call.state && call.state.muted,
    conference: live.some((c) => c.conference),
    pair: live.some((c) => c.consult && up(c)) && live.some((c) => !c.consult && up(c)),
    dtmf: call?.dtmf ?? '',
  };
}

/** Some line is up (ringing, dialling or talking): the seat cannot place another call. */
export function hasLiveCall(s: CallStoreState): boolean {
  return s.calls.some((c) => isLive(c.state));
}

export function liveCalls(s: CallStoreState): CallView[] {
  return s.calls.filter((c) => isLive(c.state));
}

export function ringingCall(s: CallStoreState): CallView | null {
  return s.calls.find((c) => c.state.kind === 'ringing') ?? null;
}

export function callById(id: string): CallView | undefined {
  return useCallStore.getState().calls.find((c) => c.id === id);
}

export function addCall(call: CallView, focus: boolean): void {
  useCallStore.setState((s) => ({
    // Finished lines make way for the new one (the last finished call stays on screen until then).
    calls: [...s.calls.filter((c) => isLive(c.state)), call],
    focusedId: focus || !s.focusedId || !s.calls.some((c) => c.id === s.focusedId && isLive(c.state)) ? call.id : s.focusedId,
  }));
}

export function updateCall(id: string, patch: Partial<CallView> | ((c: CallView) => Partial<CallView>)): void {
  useCallStore.setState((s) => ({
    calls: s.calls.map((c) => (c.id === id ? { ...c, ...(typeof patch === 'function' ? patch(c) : patch) } : c)),
  }));
}

export function focusCall(id: string): void {
  if (useCallStore.getState().calls.some((c) => c.id === id)) useCallStore.setState({ focusedId: id });
}

/**
 * A line has ended: while other lines are live it leaves the list and focus moves to a live one;
 * the last line stays, ended, so the agent still sees whom they spoke to during wrap-up.
 */
export function retireCall(id: string): void {
  useCallStore.setState((s) => {
    const others = s.calls.filter((c) => c.id !== id && isLive(c.state));
    if (others.length === 0) return { calls: s.calls.filter((c) => c.id === id), focusedId: id };
    const focusedId = s.focusedId === id || !others.some((c) => c.id === s.focusedId) ? others[others.length - 1]!.id : s.focusedId;
    return { calls: others, focusedId };
  });
}
