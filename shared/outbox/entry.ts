/**
 * The outbox entry: one mutation the workstation owes the platform, written in the same local
 * transaction as the change it carries (transactional outbox), sent by one sender in per-client
 * sequence, each with its own idempotency key so that a resend after a lost reply is harmless.
 *
 *   pending ──send──► done      2xx, or the answer stored under its key replayed
 *     │ ▲
 *     │ └── network, timeout, 408/429/5xx: pending again, nextAttemptAt after a backoff;
 *     │     its sequence number already passed (key unused): numbered again, due at once
 *     └───► failed          4xx (validation, conflict): "needs attention", never dropped; a
 *                           corrected order replaces it with a new entry
 *
 * 'sending' was written by earlier versions while a request was out; a crash leaves an entry
 * pending (sent again with its key), so the state is only read, as pending.
 *
 * The payload holds personal data: locally it is stored encrypted; this schema is what it is once
 * opened. Per-order order is kept by `clientSeq`: an entry is sent only after the earlier entries
 * of the same order (`orderKey`) are done.
 */
import { z } from 'zod';
import { followUpInputSchema, orderInputSchema } from '../orders/work-order';
import { articleIdSchema, articleProblemSchema } from '../knowledge/routes';
import { handlingInputSchema, ticketIdSchema, transferInputSchema } from '../transfers/routes';

export const OUTBOX_STATES = ['pending', 'sending', 'done', 'failed'] as const;
export const OUTBOX_KINDS = ['order.create', 'order.followUp', 'caller.reveal', 'knowledge.feedback', 'ticket.transfer', 'ticket.handling'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const outboxPayloadSchema = z.discriminatedUnion('kind', [
  /** A new order, submitted at once (the platform numbers it). */
  z.object({ kind: z.literal('order.create'), order: orderInputSchema }).strict(),
  /** 并单: this call added to an existing platform order. */
  z.object({ kind: z.literal('order.followUp'), orderId: z.string().uuid(), followUp: followUpInputSchema }).strict(),
  /** The agent revealed a caller's full number on purpose: the platform audits it. */
  z.object({ kind: z.literal('caller.reveal'), phone: z.string().max(20), purpose: z.string().min(2).max(200), callId: z.string().max(128).optional() }).strict(),
  /** The agent reported a problem with a knowledge article (wrong, outdated, unclear). */
  z
    .object({
      kind: z.literal('knowledge.feedback'),
      articleId: articleIdSchema,
      articleVersion: z.number().int().positive(),
      problem: articleProblemSchema,
      comment: z.string().max(1000).optional(),
    })
    .strict(),
  /** A transfer of the caller, recorded on the order (first pending, then its outcome). */
  z.object({ kind: z.literal('ticket.transfer'), ticketId: ticketIdSchema, transferId: z.string().uuid(), transfer: transferInputSchema }).strict(),
  /** A seat's handling record (办理情况) on a transferred order. */
  z.object({ kind: z.literal('ticket.handling'), ticketId: ticketIdSchema, handlingId: z.string().uuid(), handling: handlingInputSchema }).strict(),
]);
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;
export type OutboxKind = OutboxPayload['kind'];

export const outboxErrorSchema = z
  .object({
    /** The platform's error code, or 'unreachable' / 'timeout' for the network. */
    code: z.string().max(64),
    message: z.string().max(500),
    status: z.number().int().optional(),
  })
  .strict();

export const outboxEntrySchema = z
  .object({
    /** Also the Idempotency-Key sent with it. */
    mutationId: z.string().uuid(),
    /** This client's sequence number (strictly increasing per installation). */
    clientSeq: z.number().int().positive(),
    /** The local order (draft id) the entry belongs to: its sync state and number come back to it. */
    clientOrderId: z.string().uuid(),
    /**
     * The order the mutation changes when that is not `clientOrderId`'s own: the platform order a
     * 并单 follow-up is added to. Entries of one order (this, else clientOrderId) go in sequence.
     */
    subject: z.string().uuid().optional(),
    kind: z.enum(OUTBOX_KINDS),
    state: z.enum(OUTBOX_STATES),
    attempts: z.number().int().nonnegative(),
    createdAt: epochMs,
    nextAttemptAt: epochMs,
    lastError: outboxErrorSchema.optional(),
    /**
     * The agent account that queued it: on a shared seat the sender sends only the signed-in
     * agent's entries, so each order reaches the platform as its own agent's. Absent on entries
     * written before accounts were recorded: those go with any agent's session.
     */
    owner: z.string().min(1).max(64).optional(),
  })
  .strict();
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/**
 * Whether an entry changes an order: those go in sequence per order and bring the order back.
 * A reveal record or an article report stands alone (its `clientOrderId` only names where it came from).
 */
export const changesOrder = (e: Pick<OutboxEntry, 'kind'>): boolean => e.kind === 'order.create' || e.kind === 'order.followUp';

/**
 * Whether an entry waits for the earlier entries of its order: those that change an order, and the
 * records added to one (a transfer or handling record names the order by its ticket: it must not
 * reach the platform before the order it is recorded on).
 */
export const sequenced = (e: Pick<OutboxEntry, 'kind'>): boolean => changesOrder(e) || e.kind === 'ticket.transfer' || e.kind === 'ticket.handling';

/** The order an entry changes: its entries reach the platform in the order they were queued. */
export const orderKey = (e: Pick<OutboxEntry, 'clientOrderId' | 'subject'>): string => e.subject ?? e.clientOrderId;
