/**
 * IPC for the call distribution: the seat's side (the platform set this agent's state) and the
 * shift lead's view (a snapshot, then the live feed main follows over the platform's WebSocket —
 * the access token stays in main).
 */
import { z } from 'zod';
import { defineEvent, defineInvoke } from '../ipc/contract';
import { NOT_READY_REASONS } from '../agent/state';
import { agentStateEventSchema, liveEventSchema, queueRoutes } from './routes';
import { queueThresholdsSchema } from './thresholds';

export const queueSnapshotSchema = queueRoutes.snapshot.response;
export type QueueSnapshot = z.infer<typeof queueSnapshotSchema>;

/** How the lead's live feed is doing: connecting, live (events flow), or down (retrying). */
export const feedStateSchema = z.object({ state: z.enum(['off', 'connecting', 'live', 'down']), at: z.number().int() }).strict();
export type FeedState = z.infer<typeof feedStateSchema>;

export const stateSetSchema = agentStateEventSchema.pick({ state: true, reason: true, since: true, setBy: true });
export type StateSet = z.infer<typeof stateSetSchema>;

export const queueIpc = {
  /** The lead's view at once: calls of the shift (from `from`, default the shift's start), agents, seats, lines. */
  snapshot: defineInvoke('queue:snapshot', z.object({ from: z.number().int().nonnegative().optional() }).strict(), queueSnapshotSchema, {
    errors: ['unavailable', 'signed_out', 'rejected'],
  }),
  /** A lead sets an agent Not ready with a reason. */
  setAgentNotReady: defineInvoke('queue:setAgentNotReady', z.object({ userId: z.string().uuid(), reason: z.enum(NOT_READY_REASONS) }).strict(), z.null(), {
    errors: ['unavailable', 'signed_out', 'rejected', 'not_found', 'conflict'],
  }),
  /** The centre's alert thresholds (a lead). */
  setThresholds: defineInvoke('queue:setThresholds', queueThresholdsSchema, z.null(), { errors: ['unavailable', 'signed_out', 'rejected'] }),
  /** Ask the platform now for this seat's state (a call offered here stopped ringing unanswered). */
  refresh: defineInvoke('queue:refresh', z.undefined(), z.null()),
  /** Follow the live feed (while the lead's view is open) or stop. */
  follow: defineInvoke('queue:follow', z.object({ on: z.boolean() }).strict(), z.null()),
  onLive: defineEvent('queue:live', liveEventSchema),
  onFeed: defineEvent('queue:feed', feedStateSchema),
  /** The platform set this agent's state: the distribution after a call rang out, or a lead. */
  onStateSet: defineEvent('queue:stateSet', stateSetSchema),
} as const;
