/**
 * A draft work order: created when a call rings (or when the agent starts one without a call),
 * bound to that call, saved locally at every change and restored after a crash or restart.
 *
 *   open ──submit──► submitted (its outbox entry carries it to the platform)
 *     └──discard──► discarded (kept until the retention purge, never sent)
 *
 * The binding ties the draft to the SIP call and its call-log row: after a restart the draft is
 * still the one of that call, and the call-log row gets the order's id.
 */
import { z } from 'zod';
import { orderFormSchema } from './order-form';

const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const callBindingSchema = z
  .object({
    /** The SIP Call-ID (also the call-log row's id). */
    callId: z.string().min(1).max(128).regex(/^[!-~]+$/),
    direction: z.enum(['inbound', 'outbound']),
    /** The caller's number as received ('' when withheld). */
    remoteNumber: z.string().max(32).regex(/^[\w.+*#-]*$/),
    /** The hotline number the caller dialled (DNIS), when known. */
    dialled: z.string().max(20).regex(/^\d*$/).optional(),
    ringAt: epochMs,
    answerAt: epochMs.optional(),
    endAt: epochMs.optional(),
  })
  .strict();
export type CallBinding = z.infer<typeof callBindingSchema>;

export const DRAFT_STATES = ['open', 'submitted', 'discarded'] as const;

export const draftSchema = z
  .object({
    /** The client order id: the draft, its local order and the platform's order share it. */
    id: z.string().uuid(),
    state: z.enum(DRAFT_STATES),
    call: callBindingSchema.optional(),
    form: orderFormSchema,
    /** 并单: the open platform order this call is added to instead of a new order. */
    mergeInto: z.object({ orderId: z.string().uuid(), orderNo: z.string().max(40) }).strict().optional(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .strict();
export type Draft = z.infer<typeof draftSchema>;
