/**
 * IPC for work orders. The renderer keeps drafts, orders and the outbox in its local database;
 * main talks to the platform for it (the access token never leaves main): caller history, 并单
 * candidates, pushing outbox entries, and the number's location. Main also holds the keys that
 * encrypt the local database and hands them to the renderer at start.
 */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';
import { PUSH_MAX_MUTATIONS, callerFlagsSchema, orderRoutes, orderSchema, orderSummarySchema, pushResultSchema, similarOrderSchema } from './routes';
import { addressSchema, followUpInputSchema, orderInputSchema } from './work-order';
import { articleIdSchema, articleProblemSchema } from '../knowledge/routes';

/** Why a platform call did not give an answer: the UI says "platform unavailable" and keeps working. */
export const PLATFORM_ERRORS = ['unavailable', 'signed_out', 'rejected'] as const;

export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_:.-]{8,128}$/);
const key = idempotencyKeySchema;
export const clientSeqSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const seq = clientSeqSchema;

/**
 * Who owes an outbox entry: the local database it was queued in (its id, local-db.ts localDbId)
 * and the agent who queued it. Main sends it under the client id of that database (a new or wiped
 * database starts a new sequence on the platform), and only with that agent's session.
 */
export const outboxSender = { source: z.string().uuid(), owner: z.string().min(1).max(64).optional() };
const sender = outboxSender;

/**
 * The outbox's errors: the platform unavailable or refusing, and `out_of_sequence` — the platform
 * already has a later sequence number from this database and did not use the key (the sender
 * numbers the entry again).
 */
// too_large: the platform refused the push's size (a smaller limit than ours): the outbox halves it.
export const OUTBOX_ERRORS = [...PLATFORM_ERRORS, 'out_of_sequence', 'too_large'] as const;

export const numberInfoSchema = z
  .object({
    kind: z.enum(['mobile', 'landline', 'short', 'unknown']),
    /** 号码归属地, e.g. 广东省深圳市 (from libphonenumber's geocoding data). */
    region: z.string().max(60).optional(),
    /** 运营商, e.g. 中国移动. */
    carrier: z.string().max(40).optional(),
  })
  .strict();
export type NumberInfo = z.infer<typeof numberInfoSchema>;

export const localKeysSchema = z
  .object({
    /** AES-256-GCM key for personal data at rest (base64, 32 bytes). */
    dataKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
    /** HMAC-SHA-256 key for look-ups by number (blind index; base64, 32 bytes). */
    indexKey: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  })
  .strict();
export type LocalKeys = z.infer<typeof localKeysSchema>;

export const callerHistorySchema = z.object({ orders: z.array(orderSummarySchema), total: z.number().int().nonnegative(), flags: callerFlagsSchema }).strict();
export type CallerHistory = z.infer<typeof callerHistorySchema>;

export const localDataReportSchema = z
  .object({
    /** The database's own random id, made when it was created. */
    dbId: z.string().uuid(),
    /** Entries it still owes the platform (all agents'). */
    pending: z.number().int().nonnegative().max(10_000_000),
  })
  .strict();
export type LocalDataReport = z.infer<typeof localDataReportSchema>;

export const localDataVerdictSchema = z.union([
  z.object({ wiped: z.literal(false) }).strict(),
  z
    .object({
      /** The database main knew is gone: this one was created since. */
      wiped: z.literal(true),
      /** Entries the lost database still owed the platform at its last report. */
      lostPending: z.number().int().nonnegative(),
      lastSeenAt: z.number().int().nonnegative(),
    })
    .strict(),
]);
export type LocalDataVerdict = z.infer<typeof localDataVerdictSchema>;

export const ordersIpc = {
  /** The local database reports itself; main says whether the one it knew was wiped (local-data-marker.ts). */
  reportLocalData: defineInvoke('orders:reportLocalData', localDataReportSchema, localDataVerdictSchema),
  /** The local database's keys (created on first use, kept in the secret store). */
  localKeys: defineInvoke('orders:localKeys', z.undefined(), localKeysSchema, { errors: ['secrets_unavailable'] }),
  /** Location and carrier of a number, offline. */
  numberInfo: defineInvoke('orders:numberInfo', z.object({ phone: z.string().max(32) }).strict(), numberInfoSchema),
  /** The caller's earlier orders on the platform. */
  history: defineInvoke('orders:history', z.object({ phone: z.string().max(32) }).strict(), callerHistorySchema, { errors: PLATFORM_ERRORS }),
  /** Open orders that may be the same matter (并单 candidates). */
  similar: defineInvoke(
    'orders:similar',
    z.object({ phone: z.string().max(32).optional(), address: addressSchema.optional(), categoryCode: z.string().max(32).optional() }).strict(),
    z.object({ orders: z.array(similarOrderSchema) }).strict(),
    { errors: PLATFORM_ERRORS },
  ),
  /** Push queued creations in sequence order (main adds the client id of their database). */
  push: defineInvoke(
    'orders:push',
    z
      .object({
        ...sender,
        mutations: z
          .array(z.object({ idempotencyKey: key, clientSeq: seq, clientOrderId: z.string().uuid(), submit: z.boolean(), order: orderInputSchema }).strict())
          .min(1)
          .max(PUSH_MAX_MUTATIONS),
      })
      .strict(),
    z.object({ results: z.array(pushResultSchema) }).strict(),
    { errors: OUTBOX_ERRORS },
  ),
  /** Send one 并单 follow-up. */
  followUp: defineInvoke(
    'orders:followUp',
    z.object({ ...sender, idempotencyKey: key, clientSeq: seq, orderId: z.string().uuid(), followUp: followUpInputSchema }).strict(),
    orderSchema,
    { errors: [...OUTBOX_ERRORS, 'not_found', 'conflict', 'invalid'] },
  ),
  /** Record a reveal of a live caller's number on the platform's audit log. */
  recordReveal: defineInvoke(
    'orders:recordReveal',
    z.object({ ...sender, idempotencyKey: key, clientSeq: seq, phone: z.string().max(20), purpose: z.string().min(2).max(200), callId: z.string().max(128).optional() }).strict(),
    z.object({ recorded: z.literal(true) }).strict(),
    { errors: [...OUTBOX_ERRORS, 'invalid'] },
  ),
  /** Send an agent's report on a knowledge article (queued in the outbox like the rest). */
  reportArticle: defineInvoke(
    'orders:reportArticle',
    z
      .object({
        ...sender,
        idempotencyKey: key,
        clientSeq: seq,
        articleId: articleIdSchema,
        articleVersion: z.number().int().positive(),
        problem: articleProblemSchema,
        comment: z.string().max(1000).optional(),
      })
      .strict(),
    z.object({ id: z.string().uuid() }).strict(),
    { errors: [...OUTBOX_ERRORS, 'not_found', 'invalid'] },
  ),
  /** One order as the platform has it now (masked). */
  get: defineInvoke('orders:get', z.object({ id: z.string().uuid() }).strict(), orderSchema, { errors: [...PLATFORM_ERRORS, 'not_found'] }),
  /** One page of the platform's order change feed after a checkpoint ('now': where a new reader starts). */
  changes: defineInvoke(
    'orders:changes',
    z.object({ after: z.string().regex(/^(now|\d+(:\d+)?)$/).max(41) }).strict(),
    orderRoutes.changes.response,
    { errors: PLATFORM_ERRORS },
  ),
} as const;
