/**
 * The agent's state (ready / not ready with a reason / after-call work / on call). Other modules
 * subscribe with `onAgentStateChange`; main is told so that the tray shows the state.
 *
 * After-call work (wrap-up) is entered when a call that was answered ends; it returns the agent
 * to Ready after the configured wrap-up time unless the agent extends it or picks a state.
 */
import { create } from 'zustand';
import type { AgentStatus, NotReadyReason } from '../../../shared/agent/state';
import { bridge } from '../ipc/bridge';
import type { StateSet } from '../../../shared/queue/ipc';

export interface AgentState {
  readonly status: AgentStatus;
  /** Epoch ms when wrap-up ends by itself (undefined: the agent ends it). */
  readonly wrapUpUntil?: number;
  /**
   * Not-ready time finished this shift (since the workstation started), in ms per reason; the
   * current not-ready period is not in it yet (see notReadyTotals).
   */
  readonly notReadyMs: Readonly<Partial<Record<NotReadyReason | 'unset', number>>>;
  /** Who set the current state when it was not the agent (the system after a missed call, a lead). */
  readonly setBy?: string;
}

/**
 * At sign-in the agent is Not ready without a reason yet: the state selector asks for one (or
 * Ready); no call is offered until then.
 */
export const getEmptyAgentState = (): AgentState => ({ status: { state: 'notReady', since: Date.now() }, notReadyMs: {} });

export const useAgentStore = create<AgentState>()(getEmptyAgentState);

let wrapUpTimer: ReturnType<typeof setTimeout> | undefined;
let wrapUp = { seconds: 30, extendSeconds: 30 };

/** Wrap-up timing from the settings (0 seconds: wrap-up lasts until the agent picks a state). */
export function configureWrapUp(seconds: number, extendSeconds: number): void {
  wrapUp = { seconds, extendSeconds };
}

function clearWrapUpTimer(): void {
  if (wrapUpTimer !== undefined) clearTimeout(wrapUpTimer);
  wrapUpTimer = undefined;
}

/** Not-ready time per reason this shift, the current period included (up to `now`). */
export function notReadyTotals(s: AgentState, now = Date.now()): Partial<Record<NotReadyReason | 'unset', number>> {
  const totals = { ...s.notReadyMs };
  if (s.status.state === 'notReady') {
    const key = s.status.reason ?? 'unset';
    totals[key] = (totals[key] ?? 0) + Math.max(0, now - s.status.since);
  }
  return totals;
}

function enter(status: AgentStatus, wrapUpUntil?: number): void {
  clearWrapUpTimer();
  const previous = useAgentStore.getState();
  // Leaving (or changing the reason of) a not-ready period adds it to that reason's total.
  const notReadyMs = previous.status.state === 'notReady' ? notReadyTotals(previous, status.since) : previous.notReadyMs;
  useAgentStore.setState({ status, wrapUpUntil, notReadyMs, setBy: undefined });
  void bridge().shell.setAgentStatus(status);
}

/**
 * The platform set this agent Not ready (the distribution after an offered call rang out, or a
 * lead): the state is taken over as it was set, and who set it is kept for the state panel.
 */
export function adoptStateSet(s: StateSet): void {
  if (s.state !== 'notReady' || fixed()) return;
  const since = Date.parse(s.since);
  enter({ state: 'notReady', ...(s.reason ? { reason: s.reason } : {}), since: Number.isFinite(since) ? Math.min(since, Date.now()) : Date.now() });
  if (s.setBy) useAgentStore.setState({ setBy: s.setBy });
}

/** Subscribe to state changes (previous and next status); returns the unsubscribe function. */
export function onAgentStateChange(listener: (next: AgentStatus, previous: AgentStatus) => void): () => void {
  return useAgentStore.subscribe((s, prev) => {
    if (s.status !== prev.status) listener(s.status, prev.status);
  });
}

/** On a call, or signed out (offline): the state is not the agent's to pick. */
const fixed = () => ['onCall', 'offline'].includes(useAgentStore.getState().status.state);

export function setReady(now = Date.now()): void {
  if (fixed()) return;
  enter({ state: 'ready', since: now });
}

export function setNotReady(reason: NotReadyReason, now = Date.now()): void {
  if (fixed()) return;
  enter({ state: 'notReady', reason, since: now });
}

export function toggleReady(now = Date.now()): void {
  const { state } = useAgentStore.getState().status;
  if (state === 'ready') setNotReady('other', now);
  else setReady(now);
}

/** Signed out: the agent is offline, and the shift's not-ready totals end with it. */
export function endShift(now = Date.now()): void {
  clearWrapUpTimer();
  useAgentStore.setState({ status: { state: 'offline', since: now }, wrapUpUntil: undefined, notReadyMs: {} });
  void bridge().shell.setAgentStatus({ state: 'offline', since: now });
}

/** Signed in after a sign-out: the next shift starts Not ready without a reason (as at start). */
export function startShift(now = Date.now()): void {
  if (useAgentStore.getState().status.state !== 'offline') return;
  useAgentStore.setState({ status: { state: 'notReady', since: now }, wrapUpUntil: undefined, notReadyMs: {} });
  void bridge().shell.setAgentStatus({ state: 'notReady', since: now });
}

/** Publish the initial state to main (tray colour) once the bridge is up. */
export function initAgent(): void {
  void bridge().shell.setAgentStatus(useAgentStore.getState().status);
}

/** A call was answered: on call until it ends. */
export function enterOnCall(now = Date.now()): void {
  if (useAgentStore.getState().status.state === 'onCall') return;
  enter({ state: 'onCall', since: now });
}

function armWrapUp(until: number): void {
  clearWrapUpTimer();
  wrapUpTimer = setTimeout(() => {
    if (useAgentStore.getState().status.state === 'afterCallWork') setReady();
  }, Math.max(0, until - Date.now()));
}

/** The call ended: after-call work until the wrap-up time is over or the agent sets a state. */
export function enterAfterCallWork(now = Date.now()): void {
  const until = wrapUp.seconds > 0 ? now + wrapUp.seconds * 1000 : undefined;
  enter({ state: 'afterCallWork', since: now }, until);
  if (until !== undefined) armWrapUp(until);
}

/** More time to finish the work order. */
export function extendWrapUp(now = Date.now()): void {
  const s = useAgentStore.getState();
  if (s.status.state !== 'afterCallWork') return;
  const until = Math.max(s.wrapUpUntil ?? now, now) + wrapUp.extendSeconds * 1000;
  useAgentStore.setState({ wrapUpUntil: until });
  armWrapUp(until);
}
