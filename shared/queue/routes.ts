/**
 * Live events for the shift lead's view: agent states and queue figures. Reported over HTTP,
 * delivered over one authenticated WebSocket (/v1/events/stream). Every API instance LISTENs on
 * PostgreSQL and fans out to its own sockets, so instances behind a load balancer all deliver
 * every event.
 */
import { z } from 'zod';
import { defineRoute, emptySchema, noContentSchema, timestampSchema, uuidSchema } from '../http/route';
import { agentStateSchema, notReadyReasonSchema } from '../agent/state';

export const EVENTS_STREAM_PATH = '/v1/events/stream';

export const agentStateEventSchema = z
  .object({
    type: z.literal('agentState'),
    userId: uuidSchema,
    account: z.string(),
    displayName: z.string(),
    orgCode: z.string(),
    state: agentStateSchema,
    reason: notReadyReasonSchema.optional(),
    since: timestampSchema,
  })
  .strict();
export type AgentStateEvent = z.infer<typeof agentStateEventSchema>;

export const queueStatsSchema = z
  .object({
    queue: z.string().min(1).max(32),
    waiting: z.number().int().min(0).max(100_000),
    longestWaitS: z.number().int().min(0).max(86_400),
    offeredToday: z.number().int().min(0),
    answeredToday: z.number().int().min(0),
    answeredWithin15sToday: z.number().int().min(0),
    abandonedToday: z.number().int().min(0),
  })
  .strict();

export const queueEventSchema = queueStatsSchema.extend({ type: z.literal('queue'), orgCode: z.string(), at: timestampSchema }).strict();
export type QueueEvent = z.infer<typeof queueEventSchema>;

export const helloEventSchema = z.object({ type: z.literal('hello'), instance: z.string(), at: timestampSchema }).strict();

export const liveEventSchema = z.discriminatedUnion('type', [agentStateEventSchema, queueEventSchema, helloEventSchema]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

export const queueRoutes = {
  reportAgentState: defineRoute({
    id: 'events.reportAgentState',
    method: 'POST',
    path: '/v1/events/agent-state',
    summary: "Report the signed-in agent's state (ready, not ready with reason, on call …)",
    tag: 'events',
    auth: ['agent', 'subcenter', 'lead'],
    body: z.object({ state: agentStateSchema, reason: notReadyReasonSchema.optional(), since: timestampSchema }).strict(),
    successStatus: 204,
    response: noContentSchema,
  }),
  reportQueue: defineRoute({
    id: 'events.reportQueue',
    method: 'POST',
    path: '/v1/events/queue',
    summary: 'Report queue figures (from the call distribution system)',
    tag: 'events',
    auth: ['lead', 'admin'],
    body: queueStatsSchema,
    successStatus: 204,
    response: noContentSchema,
  }),
  agentStates: defineRoute({
    id: 'events.agentStates',
    method: 'GET',
    path: '/v1/events/agent-states',
    summary: "Current state of every agent of the caller's organisation (snapshot before following the stream)",
    tag: 'events',
    auth: ['lead', 'admin'],
    query: emptySchema,
    successStatus: 200,
    response: z.object({ agents: z.array(agentStateEventSchema) }).strict(),
  }),
} as const;
