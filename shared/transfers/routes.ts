/**
 * Transfers with context (双向一键转接, 三方通话): the platform is the source of truth of what
 * travels with a transferred caller. A transfer names the order by its *ticket* — the order's
 * client id, fixed from the first keystroke of the draft, so a seat can reference it before (or
 * without) the platform having numbered the order — in the `X-Ticket-Id` header of the INVITE the
 * target receives. The target's screen-pop asks the platform for the ticket's context; the platform
 * shows it only to those who may see the order (its centre, and organisations it was transferred to).
 *
 * Every transfer is recorded on the order (who, to whom, when, kind, outcome) and a sub-center
 * records its handling on the same order; both go through the seat's outbox (idempotent, in the
 * order's sequence).
 */
import { z } from 'zod';
import { defineRoute, emptySchema, textSchema, timestampSchema, uuidSchema } from '../http/route';
import { clientIdSchema } from '../session/routes';
import { callerFlagsSchema, orderSchema, orderSummarySchema } from '../orders/routes';

const SEATS = ['agent', 'subcenter', 'lead'] as const;

/** The order's client id (a UUID): what `X-Ticket-Id` carries. */
export const ticketIdSchema = uuidSchema;

/**
 * blind: the caller goes straight to the target; attended: the agent consults first; threeWay:
 * the agent introduces the caller in a three-way call, then drops out; emergency: 110/119/120/122.
 */
export const TRANSFER_KINDS = ['blind', 'attended', 'threeWay', 'emergency'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/**
 * pending: under way (recorded before the caller leaves, so the target may see the order while
 * ringing); connected: the target took the caller; failed: the caller came back to the seat;
 * readOut: an emergency line's number was read to the caller instead of a transfer.
 */
export const TRANSFER_OUTCOMES = ['pending', 'connected', 'failed', 'readOut'] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

/** Why a transfer failed (the softphone's transfer machine, plus a consultation that failed). */
export const TRANSFER_FAILURE_REASONS = ['referRejected', 'busy', 'declined', 'noAnswer', 'notFound', 'failed', 'timeout', 'subscriptionEnded', 'callEnded', 'cancelled'] as const;

export const transferInputSchema = z
  .object({
    kind: z.enum(TRANSFER_KINDS),
    /** The number dialled (a directory entry's number, or typed). */
    targetNumber: z.string().regex(/^\d{3,12}$/),
    outcome: z.enum(TRANSFER_OUTCOMES),
    reason: z.enum(TRANSFER_FAILURE_REASONS).optional(),
    startedAt: timestampSchema,
    endedAt: timestampSchema.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.outcome === 'failed' && !t.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a failed transfer says why' });
    if (t.outcome !== 'failed' && t.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only a failed transfer has a reason' });
    if (t.outcome !== 'pending' && !t.endedAt) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'a finished transfer has its end' });
  });
export type TransferInput = z.infer<typeof transferInputSchema>;

export const transferRecordSchema = z
  .object({
    id: uuidSchema,
    kind: z.enum(TRANSFER_KINDS),
    targetNumber: z.string(),
    /** The directory's name of the target at the time. */
    targetName: z.string().optional(),
    /** The organisation that received the caller (a sub-center, a dual-number line), if known. */
    targetOrg: z.string().optional(),
    outcome: z.enum(TRANSFER_OUTCOMES),
    reason: z.enum(TRANSFER_FAILURE_REASONS).optional(),
    startedAt: timestampSchema,
    endedAt: timestampSchema.optional(),
    by: z.string(),
    byName: z.string(),
    byOrg: z.string(),
  })
  .strict();
export type TransferRecord = z.infer<typeof transferRecordSchema>;

export const handlingInputSchema = z
  .object({
    /** What the seat did or told the caller (办理情况). */
    text: textSchema(2000).min(1),
    at: timestampSchema,
  })
  .strict();
export type HandlingInput = z.infer<typeof handlingInputSchema>;

export const handlingRecordSchema = z
  .object({ id: uuidSchema, text: z.string(), at: timestampSchema, by: z.string(), byName: z.string(), byOrg: z.string() })
  .strict();
export type HandlingRecord = z.infer<typeof handlingRecordSchema>;

/** What the receiving seat's screen-pop shows: the order, its transfers and handling, the caller's history. */
export const ticketContextSchema = z
  .object({
    order: orderSchema,
    transfers: z.array(transferRecordSchema),
    handling: z.array(handlingRecordSchema),
    history: z.object({ orders: z.array(orderSummarySchema), total: z.number().int().nonnegative(), flags: callerFlagsSchema }).strict(),
  })
  .strict();
export type TicketContext = z.infer<typeof ticketContextSchema>;

const mutation = { clientId: clientIdSchema, clientSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) };
const ticketParams = z.object({ ticketId: ticketIdSchema }).strict();

export const transferRoutes = {
  context: defineRoute({
    id: 'tickets.context',
    method: 'GET',
    path: '/v1/tickets/:ticketId',
    summary: "A transferred call's context: the order (by its client id), its transfers and handling records, and the caller's earlier orders",
    tag: 'tickets',
    auth: SEATS,
    params: ticketParams,
    query: emptySchema,
    successStatus: 200,
    response: ticketContextSchema,
  }),
  recordTransfer: defineRoute({
    id: 'tickets.recordTransfer',
    method: 'PUT',
    path: '/v1/tickets/:ticketId/transfers/:transferId',
    summary: 'Record a transfer of the caller on the order: first as pending (before the caller leaves), then its outcome; a final outcome never changes',
    tag: 'tickets',
    auth: SEATS,
    idempotent: true,
    params: z.object({ ticketId: ticketIdSchema, transferId: uuidSchema }).strict(),
    body: z.object({ ...mutation, transfer: transferInputSchema }).strict(),
    successStatus: 200,
    response: transferRecordSchema,
  }),
  addHandling: defineRoute({
    id: 'tickets.addHandling',
    method: 'PUT',
    path: '/v1/tickets/:ticketId/handling/:handlingId',
    summary: "Add a seat's handling record (办理情况) to a transferred order; the order's centre sees it",
    tag: 'tickets',
    auth: SEATS,
    idempotent: true,
    params: z.object({ ticketId: ticketIdSchema, handlingId: uuidSchema }).strict(),
    body: z.object({ ...mutation, handling: handlingInputSchema }).strict(),
    successStatus: 200,
    response: handlingRecordSchema,
  }),
} as const;
