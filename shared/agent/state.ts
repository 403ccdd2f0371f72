/** Agent (seat) states. The softphone drives them; the tray, status bar and live queue show them. */
import { z } from 'zod';

export const AGENT_STATES = ['offline', 'ready', 'notReady', 'afterCallWork', 'onCall'] as const;
export const agentStateSchema = z.enum(AGENT_STATES);
export type AgentState = z.infer<typeof agentStateSchema>;

/** Reasons an agent picks. */
export const NOT_READY_REASONS = ['break', 'meal', 'training', 'meeting', 'other'] as const;
/** Reasons only the system gives: the call distribution rang the agent and nobody answered. */
export const SYSTEM_NOT_READY_REASONS = ['noAnswer'] as const;
export const notReadyReasonSchema = z.enum([...NOT_READY_REASONS, ...SYSTEM_NOT_READY_REASONS]);
export type NotReadyReason = z.infer<typeof notReadyReasonSchema>;

export const agentStatusSchema = z
  .object({
    state: agentStateSchema,
    reason: notReadyReasonSchema.optional(),
    /** Epoch milliseconds when the state was entered. */
    since: z.number().int().nonnegative(),
  })
  .strict();
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** Colours used wherever the state is shown (tray icon, status badge); shared so they agree. */
export const AGENT_STATE_COLORS: Readonly<Record<AgentState, string>> = {
  offline: '#8c8c8c',
  ready: '#52c41a',
  notReady: '#faad14',
  afterCallWork: '#1677ff',
  onCall: '#f5222d',
};
