/**
 * Live events for the shift lead's view: agent states and queue figures. Reported over HTTP,
 * delivered over one authenticated WebSocket (/v1/events/stream). Every API instance LISTENs on
 * PostgreSQL and fans out to its own sockets, so instances behind a load balancer all deliver
 * every event.
 */
import { z } from 'zod';
import { defineRoute, emptySchema, noContentSchema, timestampSchema, uuidSchema } from '../http/route';
import { agentStateSchema, NOT_READY_REASONS, notReadyReasonSchema } from '../agent/state';
import { queueLineSchema } from './switch-events';
import { queueThresholdsSchema } from './thresholds';
import { referenceEventSchema } from '../directory/routes';

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
    /** Who set the state when not the agent: 'system' (the distribution) or a lead's display name. */
    setBy: z.string().max(64).optional(),
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

/** One queued call as the lead's view keeps it (times in epoch ms; see queue-entry.ts, figures.ts). */
export const queueCallSchema = z
  .object({
    callId: z.string().min(1).max(256),
    line: queueLineSchema,
    orgCode: z.string(),
    state: z.enum(['waiting', 'offered', 'answered', 'abandoned', 'overflowed']),
    enqueuedAt: z.number().int().nonnegative(),
    since: z.number().int().nonnegative(),
    offers: z.number().int().nonnegative(),
    agentId: uuidSchema.optional(),
    reason: z.enum(['callerHangup', 'maxWait']).optional(),
    whileOffered: z.boolean().optional(),
    target: z.string().max(64).optional(),
    talkEndedAt: z.number().int().nonnegative().optional(),
    wrapEndedAt: z.number().int().nonnegative().optional(),
  })
  .strict();
export type QueueCallView = z.infer<typeof queueCallSchema>;

export const queueCallEventSchema = z.object({ type: z.literal('queueCall'), call: queueCallSchema, orgCode: z.string() }).strict();

/** An agent's seat as the distribution knows it: signed in to the queue at a SIP user, heard from. */
export const agentSeatSchema = z
  .object({
    userId: uuidSchema,
    sipUser: z.string().max(64),
    lines: z.array(queueLineSchema).optional(),
    heartbeatAt: z.number().int().nonnegative(),
    offeredCallId: z.string().max(256).optional(),
  })
  .strict();
export const agentSeatEventSchema = z
  .object({ type: z.literal('agentSeat'), orgCode: z.string(), userId: uuidSchema, seat: agentSeatSchema.nullable() })
  .strict();

export const thresholdsEventSchema = z.object({ type: z.literal('thresholds'), orgCode: z.string(), thresholds: queueThresholdsSchema }).strict();

export const helloEventSchema = z.object({ type: z.literal('hello'), instance: z.string(), at: timestampSchema }).strict();

export const liveEventSchema = z.discriminatedUnion('type', [
  agentStateEventSchema,
  queueEventSchema,
  queueCallEventSchema,
  agentSeatEventSchema,
  thresholdsEventSchema,
  helloEventSchema,
  referenceEventSchema,
]);
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
  joinQueue: defineRoute({
    id: 'queue.joinQueue',
    method: 'PUT',
    path: '/v1/queue/session',
    summary: "Sign this workstation in to the call distribution at its SIP user, or beat its heart; answers the agent's state as the platform knows it",
    tag: 'queue',
    auth: ['agent', 'subcenter'],
    body: z
      .object({
        sessionId: uuidSchema,
        sipUser: z.string().regex(/^[A-Za-z0-9_.+-]{1,64}$/),
        lines: z.array(queueLineSchema).max(32).optional(),
      })
      .strict(),
    successStatus: 200,
    response: z.object({ agent: agentStateEventSchema.nullable(), heartbeatS: z.number().int().positive() }).strict(),
  }),
  leaveQueue: defineRoute({
    id: 'queue.leaveQueue',
    method: 'DELETE',
    path: '/v1/queue/session',
    summary: 'Sign this workstation out of the call distribution (no more calls offered)',
    tag: 'queue',
    auth: ['agent', 'subcenter'],
    query: emptySchema,
    successStatus: 204,
    response: noContentSchema,
  }),
  snapshot: defineRoute({
    id: 'queue.snapshot',
    method: 'GET',
    path: '/v1/queue/snapshot',
    summary: "The lead's view at once: calls of the shift and in the queue, agents with their states and seats",
    tag: 'queue',
    auth: ['lead', 'admin'],
    query: z.object({ from: z.coerce.number().int().nonnegative().optional() }).strict(),
    successStatus: 200,
    response: z
      .object({
        at: z.number().int(),
        from: z.number().int(),
        calls: z.array(queueCallSchema),
        agents: z.array(agentStateEventSchema),
        seats: z.array(agentSeatSchema),
        lines: z.array(z.object({ line: queueLineSchema, maxWaitS: z.number().int(), ringS: z.number().int(), overflowTo: z.string().optional() }).strict()),
        thresholds: queueThresholdsSchema,
      })
      .strict(),
  }),
  setThresholds: defineRoute({
    id: 'queue.setThresholds',
    method: 'PUT',
    path: '/v1/queue/thresholds',
    summary: "The lead's alert thresholds for their centre (longest wait, calls waiting, recent 15-second rate)",
    tag: 'queue',
    auth: ['lead'],
    body: queueThresholdsSchema,
    successStatus: 204,
    response: noContentSchema,
  }),
  setAgentState: defineRoute({
    id: 'queue.setAgentState',
    method: 'PUT',
    path: '/v1/queue/agents/:userId/state',
    summary: 'A lead sets an agent of their organisation Not ready (with a reason)',
    tag: 'queue',
    auth: ['lead'],
    params: z.object({ userId: uuidSchema }).strict(),
    body: z.object({ state: z.literal('notReady'), reason: z.enum(NOT_READY_REASONS) }).strict(),
    successStatus: 204,
    response: noContentSchema,
  }),
} as const;
