import type { queueRoutes } from '../../../shared/queue/routes';
import { shiftStart } from '../../../shared/queue/shift';
import { ApiProblem } from '../errors';
import type { Queryable } from '../db/database';
import { EventHub } from './event-hub';
import { agentStateEvent, CALL_COLUMNS, callView, publishCall, readAgentState, setAgentState, type CallRow, type SeatRow, type StateRow } from './queue-store';
import type { HandlerTable } from '../handler';
import { DEFAULT_THRESHOLDS, queueThresholdsSchema } from '../../../shared/queue/thresholds';

const thresholdsKey = (org: string) => `queue.thresholds.${org}`;

/** How often a seat's workstation beats (the distribution gives it 30 s). */
const HEARTBEAT_S = 10;

const seatView = (s: SeatRow) => ({
  userId: s.user_id,
  sipUser: s.sip_user,
  ...(s.lines ? { lines: s.lines } : {}),
  heartbeatAt: new Date(s.heartbeat_at).getTime(),
  ...(s.offered_call_id ? { offeredCallId: s.offered_call_id } : {}),
});

/** Leaving after-call work (or any state but a call) ends the wrap-up of the agent's finished calls. */
async function endWrapUp(tx: Queryable, userId: string, at: Date): Promise<void> {
  const r = await tx.query<CallRow>(
    `update queue_calls set wrap_ended_at = greatest($2::timestamptz, talk_ended_at)
     where agent_id = $1 and state = 'answered' and talk_ended_at is not null and wrap_ended_at is null returning ${CALL_COLUMNS}`,
    [userId, at],
  );
  for (const row of r.rows) await publishCall(tx, row);
}

export const queueHandlers: HandlerTable<typeof queueRoutes> = {
  reportAgentState: async (ctx) => {
    const since = new Date(ctx.body.since);
    await ctx.db.transaction(async (tx) => {
      await setAgentState(tx, ctx.user.sub, ctx.body.state, since, ctx.body.reason);
      if (ctx.body.state !== 'afterCallWork' && ctx.body.state !== 'onCall') await endWrapUp(tx, ctx.user.sub, since);
    });
    if (ctx.body.state === 'ready') await ctx.queue.distribute();
    return { status: 204, body: null };
  },

  reportQueue: async (ctx) => {
    await EventHub.publish(ctx.db, { type: 'queue', orgCode: ctx.user.org, at: new Date().toISOString(), ...ctx.body });
    return { status: 204, body: null };
  },

  agentStates: async (ctx) => {
    const r = await ctx.db.query<StateRow>(
      `select s.user_id, s.state, s.reason, s.since, s.set_by, u.account, u.display_name, u.org_code
       from agent_states s join users u on u.id = s.user_id where ($1 or u.org_code = $2) order by u.account`,
      [ctx.user.role === 'admin', ctx.user.org],
    );
    return { body: { agents: r.rows.map(agentStateEvent) } };
  },

  joinQueue: async (ctx) => {
    const now = new Date(ctx.now());
    const { joined, agent } = await ctx.db.transaction(async (tx) => {
      // A SIP user serves one agent at a time: whoever signs in at it last has it.
      const taken = await tx.query<{ user_id: string; org_code: string }>(
        `delete from agent_sessions s using users u where u.id = s.user_id and s.sip_user = $1 and s.user_id <> $2 returning s.user_id, u.org_code`,
        [ctx.body.sipUser, ctx.user.sub],
      );
      for (const t of taken.rows) await EventHub.publish(tx, { type: 'agentSeat', orgCode: t.org_code, userId: t.user_id, seat: null });
      const r = await tx.query<SeatRow & { fresh: boolean }>(
        `insert into agent_sessions (user_id, session_id, sip_user, lines, started_at, heartbeat_at) values ($1, $2, $3, $4, $5, $5)
         on conflict (user_id) do update set heartbeat_at = excluded.heartbeat_at, sip_user = excluded.sip_user, lines = excluded.lines,
           session_id = excluded.session_id,
           started_at = case when agent_sessions.session_id = excluded.session_id then agent_sessions.started_at else excluded.started_at end
         returning user_id, sip_user, lines, heartbeat_at, offered_call_id, $6::text as org_code, (xmax = 0) as fresh`,
        [ctx.user.sub, ctx.body.sessionId, ctx.body.sipUser, ctx.body.lines ?? null, now, ctx.user.org],
      );
      const seat = r.rows[0]!;
      if (seat.fresh) await EventHub.publish(tx, { type: 'agentSeat', orgCode: ctx.user.org, userId: ctx.user.sub, seat: seatView(seat) });
      return { joined: seat.fresh, agent: await readAgentState(tx, ctx.user.sub) };
    });
    if (joined && agent?.state === 'ready') await ctx.queue.distribute();
    return { body: { agent, heartbeatS: HEARTBEAT_S } };
  },

  leaveQueue: async (ctx) => {
    await ctx.db.transaction(async (tx) => {
      const r = await tx.query('delete from agent_sessions where user_id = $1 returning user_id', [ctx.user.sub]);
      if (r.rowCount > 0) await EventHub.publish(tx, { type: 'agentSeat', orgCode: ctx.user.org, userId: ctx.user.sub, seat: null });
    });
    return { status: 204, body: null };
  },

  snapshot: async (ctx) => {
    const at = ctx.now();
    const from = ctx.query.from ?? shiftStart(at);
    const all = ctx.user.role === 'admin';
    const calls = await ctx.db.query<CallRow>(
      `select ${CALL_COLUMNS} from queue_calls where ($1 or org_code = $2) and (since >= $3 or state in ('waiting', 'offered') or (state = 'answered' and (talk_ended_at is null or wrap_ended_at is null or wrap_ended_at >= $3)))
       order by enqueued_at limit 20000`,
      [all, ctx.user.org, new Date(from)],
    );
    const agents = await ctx.db.query<StateRow>(
      `select s.user_id, s.state, s.reason, s.since, s.set_by, u.account, u.display_name, u.org_code
       from agent_states s join users u on u.id = s.user_id where ($1 or u.org_code = $2) and u.role in ('agent', 'subcenter') order by u.account`,
      [all, ctx.user.org],
    );
    const seats = await ctx.db.query<SeatRow>(
      `select s.user_id, s.sip_user, s.lines, s.heartbeat_at, s.offered_call_id, u.org_code from agent_sessions s join users u on u.id = s.user_id where ($1 or u.org_code = $2)`,
      [all, ctx.user.org],
    );
    const lines = await ctx.db.query<{ line: string; max_wait_s: number; ring_s: number; overflow_to: string | null }>(
      `select line, max_wait_s, ring_s, overflow_to from queue_lines where ($1 or org_code = $2) order by line`,
      [all, ctx.user.org],
    );
    const stored = await ctx.db.query<{ value: unknown }>('select value from settings where key = $1', [thresholdsKey(ctx.user.org)]);
    const thresholds = queueThresholdsSchema.safeParse(stored.rows[0]?.value);
    return {
      body: {
        at,
        from,
        thresholds: thresholds.success ? thresholds.data : DEFAULT_THRESHOLDS,
        calls: calls.rows.map(callView),
        agents: agents.rows.map(agentStateEvent),
        seats: seats.rows.map(seatView),
        lines: lines.rows.map((l) => ({ line: l.line, maxWaitS: l.max_wait_s, ringS: l.ring_s, ...(l.overflow_to ? { overflowTo: l.overflow_to } : {}) })),
      },
    };
  },

  setThresholds: async (ctx) => {
    await ctx.db.query(
      `insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [thresholdsKey(ctx.user.org), JSON.stringify(ctx.body)],
    );
    await EventHub.publish(ctx.db, { type: 'thresholds', orgCode: ctx.user.org, thresholds: ctx.body });
    return { status: 204, body: null };
  },

  setAgentState: async (ctx) => {
    await ctx.db.transaction(async (tx) => {
      const u = await tx.query<{ org_code: string; role: string }>('select org_code, role from users where id = $1', [ctx.params.userId]);
      const target = u.rows[0];
      if (!target || target.org_code !== ctx.user.org || (target.role !== 'agent' && target.role !== 'subcenter')) throw new ApiProblem('not_found', 'No such agent in your organisation');
      const s = await tx.query<{ state: string }>('select state from agent_states where user_id = $1', [ctx.params.userId]);
      // A call in progress is not cut short: the lead's choice applies to Ready (or already Not ready) agents.
      if (s.rows[0] && s.rows[0].state !== 'ready' && s.rows[0].state !== 'notReady') throw new ApiProblem('conflict', 'The agent is on a call or offline');
      const lead = await tx.query<{ display_name: string }>('select display_name from users where id = $1', [ctx.user.sub]);
      await setAgentState(tx, ctx.params.userId, 'notReady', new Date(ctx.now()), ctx.body.reason, lead.rows[0]?.display_name ?? ctx.user.sub);
    });
    return { status: 204, body: null };
  },
};
