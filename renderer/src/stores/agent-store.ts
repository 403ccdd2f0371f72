/**
 * The agent's state (ready / not ready / after-call work / on call). Other modules subscribe to
 * this store to react to state changes; main is told so that the tray shows the state.
 */
import { create } from 'zustand';
import type { AgentStatus, NotReadyReason } from '../../../shared/agent/state';
import { bridge } from '../bridge';

export interface AgentState {
  readonly status: AgentStatus;
}

export const getEmptyAgentState = (): AgentState => ({ status: { state: 'notReady', reason: 'other', since: Date.now() } });

export const useAgentStore = create<AgentState>()(getEmptyAgentState);

function enter(status: AgentStatus): void {
  useAgentStore.setState({ status });
  void bridge().app.setAgentStatus(status);
}

export function setReady(now = Date.now()): void {
  if (useAgentStore.getState().status.state === 'onCall') return;
  enter({ state: 'ready', since: now });
}

export function setNotReady(reason: NotReadyReason, now = Date.now()): void {
  if (useAgentStore.getState().status.state === 'onCall') return;
  enter({ state: 'notReady', reason, since: now });
}

export function toggleReady(now = Date.now()): void {
  const { state } = useAgentStore.getState().status;
  if (state === 'ready') setNotReady('other', now);
  else setReady(now);
}

/** Publish the initial state to main (tray colour) once the bridge is up. */
export function initAgent(): void {
  void bridge().app.setAgentStatus(useAgentStore.getState().status);
}

/** A call was answered: on call until it ends. */
export function enterOnCall(now = Date.now()): void {
  enter({ state: 'onCall', since: now });
}

/** The call ended: after-call work (wrap-up) until the agent sets a state. */
export function enterAfterCallWork(now = Date.now()): void {
  enter({ state: 'afterCallWork', since: now });
}
