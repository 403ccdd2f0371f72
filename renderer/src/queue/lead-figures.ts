/**
 * What the lead's view shows, computed from the store's plain data with the shared definitions
 * (shared/queue/figures.ts): the shift's and the last 15 minutes' figures, overall and per line,
 * the calls waiting, every agent's row, and the shift's trend in 15-minute steps.
 */
import { queueFigures, queueFiguresByLine, type QueueCall, type QueueFigures } from '../../../shared/queue/figures';
import { queueCallOf } from '../../../shared/queue/call-view';
import { breaches, type Breach, type QueueThresholds } from '../../../shared/queue/thresholds';
import type { AgentStateEvent, QueueCallView } from '../../../shared/queue/routes';
import type { QueueState } from './queue-store';

export const RECENT_MS = 15 * 60_000;

export interface WaitingRow {
  callId: string;
  line: string;
  waitMs: number;
  /** An agent's phone rings for it now. */
  offered: boolean;
}

export interface AgentRow {
  userId: string;
  name: string;
  account: string;
  state: AgentStateEvent['state'];
  reason?: AgentStateEvent['reason'];
  setBy?: string;
  inStateMs: number;
  /** Signed in to the distribution (a seat heard from). */
  seated: boolean;
  /** Talking now: how long. */
  callMs?: number;
  handled: number;
  averageHandleMs: number | null;
}

export interface LeadFigures {
  shift: QueueFigures;
  recent: QueueFigures;
  shiftByLine: Record<string, QueueFigures>;
  recentByLine: Record<string, QueueFigures>;
  waiting: WaitingRow[];
  agents: AgentRow[];
  breaches: Breach[];
}

export function leadFigures(s: Pick<QueueState, 'calls' | 'agents' | 'seats' | 'from'>, thresholds: QueueThresholds, now: number): LeadFigures {
  const views = Object.values(s.calls);
  const calls = views.map(queueCallOf);
  const shiftWindow = { from: s.from, to: now + 1, now };
  const recentWindow = { from: now - RECENT_MS, to: now + 1, now };
  const waiting = views
    .filter((c) => c.state === 'waiting' || c.state === 'offered')
    .sort((a, b) => a.enqueuedAt - b.enqueuedAt)
    .map((c) => ({ callId: c.callId, line: c.line, waitMs: Math.max(0, now - c.enqueuedAt), offered: c.state === 'offered' }));
  const recent = queueFigures(calls, recentWindow);
  return {
    shift: queueFigures(calls, shiftWindow),
    recent,
    shiftByLine: queueFiguresByLine(calls, shiftWindow),
    recentByLine: queueFiguresByLine(calls, recentWindow),
    waiting,
    agents: agentRows(s, views, now),
    breaches: breaches({ longestWaitingMs: waiting[0]?.waitMs ?? 0, waiting: waiting.length, recentWithinTargetRate: recent.withinTargetRate }, thresholds),
  };
}

function agentRows(s: Pick<QueueState, 'agents' | 'seats' | 'from'>, views: QueueCallView[], now: number): AgentRow[] {
  const answeredBy = new Map<string, QueueCallView[]>();
  for (const c of views) {
    if (c.state !== 'answered' || !c.agentId) continue;
    const list = answeredBy.get(c.agentId) ?? [];
    list.push(c);
    answeredBy.set(c.agentId, list);
  }
  return Object.values(s.agents)
    .map((a) => {
      const mine = answeredBy.get(a.userId) ?? [];
      const talking = mine.find((c) => c.talkEndedAt === undefined);
      const inShift = mine.filter((c) => c.since >= s.from);
      const handles = inShift.filter((c) => c.wrapEndedAt !== undefined).map((c) => c.wrapEndedAt! - c.since);
      return {
        userId: a.userId,
        name: a.displayName,
        account: a.account,
        state: a.state,
        ...(a.reason ? { reason: a.reason } : {}),
        ...(a.setBy ? { setBy: a.setBy } : {}),
        inStateMs: Math.max(0, now - Date.parse(a.since)),
        seated: s.seats[a.userId] !== undefined,
        ...(talking ? { callMs: Math.max(0, now - talking.since) } : {}),
        handled: inShift.length,
        averageHandleMs: handles.length ? handles.reduce((x, y) => x + y, 0) / handles.length : null,
      };
    })
    .sort((x, y) => x.account.localeCompare(y.account));
}

export interface TrendPoint {
  /** Start of the 15-minute step (epoch ms). */
  at: number;
  offered: number;
  answered: number;
  abandoned: number;
  withinTargetRate: number | null;
}

/** The shift in 15-minute steps up to now (the current step so far). */
export function trend(calls: readonly QueueCall[], from: number, now: number): TrendPoint[] {
  const points: TrendPoint[] = [];
  for (let at = from; at <= now; at += RECENT_MS) {
    const f = queueFigures(calls, { from: at, to: at + RECENT_MS, now });
    points.push({ at, offered: f.offered, answered: f.answered, abandoned: f.abandoned, withinTargetRate: f.withinTargetRate });
  }
  return points;
}
