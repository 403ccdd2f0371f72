/**
 * Queued calls and agent seats in PostgreSQL: rows ↔ the shared plain data (queue-entry.ts,
 * routes.ts), and the writes every change makes — the call row, its raw event, the live event.
 */
import type { Queryable } from '../db/database';
import type { QueueEntryState } from '../../../shared/queue/queue-entry';
import type { QueueCallView, AgentStateEvent } from '../../../shared/queue/routes';
import type { NotReadyReason } from '../../../shared/agent/state';
import { EventHub } from './event-hub';

export interface CallRow {
  call_id: string;
  line: string;
  org_code: string;
  handle: string;
  state: QueueEntryState['kind'];
  enqueued_at: Date | string;
  since: Date | string;
  offers: number;
  agent_id: string | null;
  reason: 'callerHangup' | 'maxWait' | null;
  while_offered: boolean;
  target: string | null;
  talk_ended_at: Date | string | null;
  wrap_ended_at: Date | string | null;
}

const ms = (d: Date | string): number => new Date(d).getTime();

export function callView(r: CallRow): QueueCallView {
  return {
    callId: r.call_id,
    line: r.line,
    orgCode: r.org_code,
    state: r.state,
    enqueuedAt: ms(r.enqueued_at),
    since: ms(r.since),
    offers: r.offers,
    ...(r.agent_id ? { agentId: r.agent_id } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.while_offered ? { whileOffered: true } : {}),
    ...(r.target ? { target: r.target } : {}),
    ...(r.talk_ended_at ? { talkEndedAt: ms(r.talk_ended_at) } : {}),
    ...(r.wrap_ended_at ? { wrapEndedAt: ms(r.wrap_ended_at) } : {}),
  };
}

/** The state machine's view of a row (the agent named by user id). */
export function entryOf(r: CallRow): QueueEntryState {
  const base = { callId: r.call_id, line: r.line, enqueuedAt: ms(r.enqueued_at), since: ms(r.since), offers: r.offers };
  switch (r.state) {
    case 'waiting':
      return { ...base, kind: 'waiting' };
    case 'offered':
    case 'answered':
      return { ...base, kind: r.state, agentId: r.agent_id ?? '' };
    case 'abandoned':
      return { ...base, kind: 'abandoned', reason: r.reason ?? 'callerHangup', ...(r.while_offered ? { whileOffered: true } : {}) };
    case 'overflowed':
      return { ...base, kind: 'overflowed', target: r.target ?? '' };
  }
}

export const CALL_COLUMNS =
  'call_id, line, org_code, handle, state, enqueued_at, since, offers, agent_id, reason, while_offered, target, talk_ended_at, wrap_ended_at';

/** Write the entry's new state to its row, record the raw event and tell the lead's views. */
export async function saveEntry(tx: Queryable, row: CallRow, next: QueueEntryState, event: { type: string; agentId?: string; detail?: object }): Promise<CallRow> {
  const r = await tx.query<CallRow>(
    `update queue_calls set state = $2, since = $3, offers = $4, agent_id = $5, reason = $6, while_offered = $7, target = $8
     where call_id = $1 returning ${CALL_COLUMNS}`,
    [
      row.call_id,
      next.kind,
      new Date(next.since),
      next.offers,
      next.kind === 'offered' || next.kind === 'answered' ? next.agentId : row.agent_id,
      next.kind === 'abandoned' ? next.reason : null,
      next.kind === 'abandoned' && next.whileOffered === true,
      next.kind === 'overflowed' ? next.target : null,
    ],
  );
  const saved = r.rows[0]!;
  await recordEvent(tx, saved.call_id, event.type, next.since, event.agentId, event.detail);
  await publishCall(tx, saved);
  return saved;
}

export async function recordEvent(tx: Queryable, callId: string, type: string, at: number, agentId?: string, detail?: object): Promise<void> {
  await tx.query('insert into queue_events (call_id, type, agent_id, at, detail) values ($1, $2, $3, $4, $5)', [
    callId,
    type,
    agentId ?? null,
    new Date(at),
    detail ? JSON.stringify(detail) : null,
  ]);
}

export async function publishCall(tx: Queryable, row: CallRow): Promise<void> {
  await EventHub.publish(tx, { type: 'queueCall', orgCode: row.org_code, call: callView(row) });
}

/** A seat in the distribution (agent_sessions) with its agent's organisation. */
export interface SeatRow {
  user_id: string;
  sip_user: string;
  lines: string[] | null;
  heartbeat_at: Date | string;
  offered_call_id: string | null;
  org_code: string;
}

export interface StateRow {
  user_id: string;
  account: string;
  display_name: string;
  org_code: string;
  state: AgentStateEvent['state'];
  reason: AgentStateEvent['reason'] | null;
  since: Date | string;
  set_by: string | null;
}

export const agentStateEvent = (r: StateRow): AgentStateEvent => ({
  type: 'agentState',
  userId: r.user_id,
  account: r.account,
  displayName: r.display_name,
  orgCode: r.org_code,
  state: r.state,
  ...(r.reason ? { reason: r.reason } : {}),
  since: new Date(r.since).toISOString(),
  ...(r.set_by ? { setBy: r.set_by } : {}),
});

/** The agent's state as the platform knows it (null before their first report). */
export async function readAgentState(tx: Queryable, userId: string): Promise<AgentStateEvent | null> {
  const r = await tx.query<StateRow>(
    `select s.user_id, s.state, s.reason, s.since, s.set_by, u.account, u.display_name, u.org_code from agent_states s join users u on u.id = s.user_id where s.user_id = $1`,
    [userId],
  );
  return r.rows[0] ? agentStateEvent(r.rows[0]) : null;
}

/** Set an agent's state (by themselves, the system or a lead) and tell the lead's views. */
export async function setAgentState(
  tx: Queryable,
  userId: string,
  state: AgentStateEvent['state'],
  since: Date,
  reason?: NotReadyReason,
  setBy?: string,
): Promise<AgentStateEvent | undefined> {
  const r = await tx.query<StateRow>(
    `with s as (
       insert into agent_states (user_id, state, reason, since, set_by) values ($1, $2, $3, $4, $5)
       on conflict (user_id) do update set state = excluded.state, reason = excluded.reason, since = excluded.since, set_by = excluded.set_by, updated_at = now()
       returning user_id, state, reason, since, set_by)
     select s.*, u.account, u.display_name, u.org_code from s join users u on u.id = s.user_id`,
    // Who set it is shown, not trusted: a display name is cut to what the live event carries.
    [userId, state, state === 'notReady' ? (reason ?? null) : null, since, setBy ? setBy.slice(0, 64) : null],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const event = agentStateEvent(row);
  await EventHub.publish(tx, event);
  return event;
}
