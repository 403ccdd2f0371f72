/**
 * Who gets a call: the routing rule the call distribution asks the platform for, pure so that the
 * platform, the tests and the bench decide the same way.
 *
 * - A call goes to the Ready agent idle the longest (Ready since the earliest moment), among those
 *   who may take its line: an agent with lines (skills) takes only those; one without takes all.
 * - An agent counts only while their workstation is heard from (a heartbeat within the timeout)
 *   and while no other call is being offered to them.
 * - An agent who becomes free takes the call waiting the longest among the lines they may take.
 * Ties (same moment) go by agent id and call id, so a decision never depends on input order.
 */
import type { AgentState } from '../agent/state';

/** An agent as the distribution sees them. */
export interface RoutableAgent {
  readonly agentId: string;
  readonly state: AgentState;
  /** Epoch ms when the agent entered `state`. */
  readonly since: number;
  /** The last heartbeat of the agent's workstation. */
  readonly heartbeatAt: number;
  /** Lines (dialled numbers) this agent takes; absent: every line. */
  readonly lines?: readonly string[];
  /** A call being offered to this agent now (their phone rings). */
  readonly offeredCallId?: string;
}

export interface WaitingCall {
  readonly callId: string;
  readonly line: string;
  readonly enqueuedAt: number;
}

/** A workstation not heard from for this long is not offered calls (it may have crashed). */
export const HEARTBEAT_TIMEOUT_MS = 30_000;

export function takesLine(agent: Pick<RoutableAgent, 'lines'>, line: string): boolean {
  return agent.lines === undefined || agent.lines.includes(line);
}

/** Whether the agent may be offered a call now. */
export function isAvailable(agent: RoutableAgent, now: number, heartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS): boolean {
  return agent.state === 'ready' && agent.offeredCallId === undefined && now - agent.heartbeatAt <= heartbeatTimeoutMs;
}

/** The agent for a call on `line`: the available one Ready the longest; undefined when nobody is free. */
export function chooseAgent(agents: readonly RoutableAgent[], line: string, now: number, heartbeatTimeoutMs = HEARTBEAT_TIMEOUT_MS): RoutableAgent | undefined {
  let best: RoutableAgent | undefined;
  for (const a of agents) {
    if (!isAvailable(a, now, heartbeatTimeoutMs) || !takesLine(a, line)) continue;
    if (!best || a.since < best.since || (a.since === best.since && a.agentId < best.agentId)) best = a;
  }
  return best;
}

/** The call an agent who became free takes: the one waiting the longest on a line they take. */
export function nextCallFor(agent: Pick<RoutableAgent, 'lines'>, waiting: readonly WaitingCall[]): WaitingCall | undefined {
  let best: WaitingCall | undefined;
  for (const c of waiting) {
    if (!takesLine(agent, c.line)) continue;
    if (!best || c.enqueuedAt < best.enqueuedAt || (c.enqueuedAt === best.enqueuedAt && c.callId < best.callId)) best = c;
  }
  return best;
}
