import type { queueRoutes, AgentStateEvent } from '../../../shared/queue/routes';
import { EventHub } from './event-hub';
import type { HandlerTable } from '../handler';

interface StateRow {
  user_id: string;
  account: string;
  display_name: string;
  org_code: string;
  state: AgentStateEvent['state'];
  reason: AgentStateEvent['reason'] | null;
  since: Date | string;
}

const toEvent = (r: StateRow): AgentStateEvent => ({
  type: 'agentState',
  userId: r.user_id,
  account: r.account,
  displayName: r.display_name,
  orgCode: r.org_code,
  state: r.state,
  ...(r.reason ? { reason: r.reason } : {}),
  since: new Date(r.since).toISOString(),
});

export const queueHandlers: HandlerTable<typeof queueRoutes> = {
  reportAgentState: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const r = await tx.query<StateRow>(
        `with s as (
           insert into agent_states (user_id, state, reason, since) values ($1, $2, $3, $4)
           on conflict (user_id) do update set state = excluded.state, reason = excluded.reason, since = excluded.since, updated_at = now()
           returning user_id, state, reason, since)
         select s.*, u.account, u.display_name, u.org_code from s join users u on u.id = s.user_id`,
        [ctx.user.sub, ctx.body.state, ctx.body.state === 'notReady' ? (ctx.body.reason ?? null) : null, ctx.body.since],
      );
      await EventHub.publish(tx, toEvent(r.rows[0]!));
      return { status: 204, body: null };
    }),

  reportQueue: async (ctx) => {
    await EventHub.publish(ctx.db, { type: 'queue', orgCode: ctx.user.org, at: new Date().toISOString(), ...ctx.body });
    return { status: 204, body: null };
  },

  agentStates: async (ctx) => {
    const r = await ctx.db.query<StateRow>(
      `select s.user_id, s.state, s.reason, s.since, u.account, u.display_name, u.org_code
       from agent_states s join users u on u.id = s.user_id where ($1 or u.org_code = $2) order by u.account`,
      [ctx.user.role === 'admin', ctx.user.org],
    );
    return { body: { agents: r.rows.map(toEvent) } };
  },
};
