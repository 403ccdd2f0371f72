import { z } from 'zod';
import { apiErrorSchema, defineRoute, dateSchema, emptySchema, textSchema, timestampSchema, uuidSchema } from '../http/route';
import { clientIdSchema } from '../session/routes';
import { DISPOSITIONS, EMERGENCY_LINES, ORDER_ACTIONS, addressSchema, callInfoSchema, followUpInputSchema, orderInputSchema, orderStatusSchema, reasonCodeSchema, CHANNELS, REQUEST_TYPES } from './work-order';

const ALL = ['agent', 'subcenter', 'lead', 'admin'] as const;

/** Caller data as returned: masked unless revealed on purpose (see orders.reveal). */
export const maskedCallerSchema = z
  .object({
    name: z.string().optional(),
    phone: z.string(),
    contact: z.string().optional(),
    gender: z.enum(['male', 'female', 'unknown']).optional(),
    callerType: z.enum(['citizen', 'company', 'other']).optional(),
    company: z.string().optional(),
  })
  .strict();

export const orderSchema = z
  .object({
    id: uuidSchema,
    orderNo: z.string(),
    clientOrderId: uuidSchema,
    status: orderStatusSchema,
    version: z.number().int().positive(),
    orgCode: z.string(),
    createdBy: z.string(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
    channel: z.enum(CHANNELS),
    requestType: z.enum(REQUEST_TYPES),
    categoryCode: z.string().optional(),
    urgency: z.enum(['normal', 'urgent']),
    confidential: z.boolean(),
    title: z.string(),
    content: z.string(),
    summary: z.string().optional(),
    caller: maskedCallerSchema,
    address: addressSchema.optional(),
    disposition: z.enum(DISPOSITIONS),
    knowledgeArticleId: z.string().optional(),
    handlingUnit: z.string().optional(),
    coUnits: z.array(z.string()),
    transferTarget: z.string().optional(),
    emergencyLine: z.enum(EMERGENCY_LINES).optional(),
    notAcceptedReason: reasonCodeSchema.optional(),
    call: callInfoSchema.optional(),
    deadline: dateSchema.optional(),
    /** The deadline runs into a year whose holiday notice is not loaded: it may be wrong. */
    deadlineUncertain: z.boolean().optional(),
    returnCount: z.number().int().nonnegative(),
    extensionDays: z.number().int().nonnegative(),
    callback: z.object({ solved: z.boolean(), satisfied: z.boolean() }).strict().optional(),
    /** Calls added to this order later (并单). */
    followUpCount: z.number().int().nonnegative(),
  })
  .strict();
export type Order = z.infer<typeof orderSchema>;

export const orderSummarySchema = orderSchema.pick({
  id: true,
  orderNo: true,
  status: true,
  createdAt: true,
  requestType: true,
  categoryCode: true,
  title: true,
  disposition: true,
  handlingUnit: true,
  confidential: true,
  deadline: true,
});
export type OrderSummary = z.infer<typeof orderSummarySchema>;

/** What the screen-pop flags about a caller, counted over all their orders (not only those listed). */
export const callerFlagsSchema = z
  .object({
    /** Orders still being handled. */
    openOrders: z.number().int().nonnegative(),
    /** Orders created in the last 30 days (repeat caller when > 0). */
    last30Days: z.number().int().nonnegative(),
    /** The caller asked for confidentiality (保密) on an earlier order. */
    confidentialBefore: z.boolean(),
  })
  .strict();
export type CallerFlags = z.infer<typeof callerFlagsSchema>;

/** An open order that may be the same matter as the call being typed (并单 candidate). */
export const similarOrderSchema = orderSummarySchema.extend({ matchedBy: z.array(z.enum(['caller', 'address'])).min(1) }).strict();
export type SimilarOrder = z.infer<typeof similarOrderSchema>;

/** Every mutation names its client (workstation install) and that client's next sequence number. */
const mutation = {
  clientId: clientIdSchema,
  clientSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
};

/** What a life-cycle action said, in the feed: the reason of a return or an extension, a supervision note, a call-back's result, where the order went. */
export const changeDetailSchema = z
  .object({
    reason: z.string().max(500).optional(),
    extensionDays: z.number().int().positive().optional(),
    handlingUnit: z.string().max(32).optional(),
    solved: z.boolean().optional(),
    satisfied: z.boolean().optional(),
    /** A handling record's text (办理情况), or where a transfer went. */
    note: z.string().max(500).optional(),
    /** The organisation that handled, or took the transfer. */
    org: z.string().max(32).optional(),
  })
  .strict();
export type ChangeDetail = z.infer<typeof changeDetailSchema>;

export const orderChangeSchema = z
  .object({
    /** Position in the feed ("xid:seq"); pass the last one back as `after`. */
    seq: z.string().regex(/^\d+:\d+$/),
    orderId: uuidSchema,
    orderNo: z.string(),
    action: z.enum(['create', 'update', ...ORDER_ACTIONS, 'followUp', 'transfer', 'handling']),
    status: orderStatusSchema,
    at: timestampSchema,
    detail: changeDetailSchema.optional(),
  })
  .strict();
export type OrderChange = z.infer<typeof orderChangeSchema>;

const idParams = z.object({ id: uuidSchema }).strict();

export const createBodySchema = z.object({ ...mutation, clientOrderId: uuidSchema, submit: z.boolean(), order: orderInputSchema }).strict();

/**
 * An outbox push's limits: at most this many creations, in a body of at most this many bytes (a
 * backlog of long complaints is cut by size before it reaches the count). The workstation packs its
 * pushes within both and halves one that a platform with a smaller limit refuses as too large.
 */
export const PUSH_MAX_MUTATIONS = 500;
export const PUSH_MAX_BODY_BYTES = 2 * 1024 * 1024;

/** One queued creation in an outbox push; the same fields as a single create plus its key. */
export const pushMutationSchema = z
  .object({
    idempotencyKey: z.string().regex(/^[A-Za-z0-9_:.-]{8,128}$/),
    clientSeq: mutation.clientSeq,
    clientOrderId: uuidSchema,
    submit: z.boolean(),
    order: orderInputSchema,
  })
  .strict();

export const pushResultSchema = z.union([
  z.object({ idempotencyKey: z.string(), status: z.number().int(), order: orderSchema }).strict(),
  z.object({ idempotencyKey: z.string(), status: z.number().int(), error: apiErrorSchema.shape.error }).strict(),
]);
export type PushResult = z.infer<typeof pushResultSchema>;

export const orderRoutes = {
  create: defineRoute({
    id: 'orders.create',
    method: 'POST',
    path: '/v1/orders',
    summary: 'Create a work order (numbered by the platform); optionally submit it at once',
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead'],
    idempotent: true,
    body: createBodySchema,
    successStatus: 201,
    response: orderSchema,
  }),
  push: defineRoute({
    id: 'orders.push',
    method: 'POST',
    path: '/v1/orders/push',
    summary:
      "Push a batch of one client's queued creations in sequence order (the outbox's path after an outage); each is applied exactly as a single create with its own Idempotency-Key, and gets its own result",
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead'],
    body: z.object({ clientId: clientIdSchema, mutations: z.array(pushMutationSchema).min(1).max(PUSH_MAX_MUTATIONS) }).strict(),
    maxBodyBytes: PUSH_MAX_BODY_BYTES,
    successStatus: 200,
    response: z.object({ results: z.array(pushResultSchema) }).strict(),
  }),
  update: defineRoute({
    id: 'orders.update',
    method: 'PUT',
    path: '/v1/orders/:id',
    summary: 'Replace the content of a draft work order',
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead'],
    idempotent: true,
    params: idParams,
    body: z.object({ ...mutation, baseVersion: z.number().int().positive(), order: orderInputSchema }).strict(),
    successStatus: 200,
    response: orderSchema,
  }),
  act: defineRoute({
    id: 'orders.act',
    method: 'POST',
    path: '/v1/orders/:id/actions',
    summary: 'Apply a life-cycle action: submit, return, redispatch, extend, reply, close, callback, supervise (督办 note)',
    tag: 'orders',
    auth: ALL,
    idempotent: true,
    params: idParams,
    body: z
      .object({
        ...mutation,
        baseVersion: z.number().int().positive(),
        action: z.enum(ORDER_ACTIONS),
        reason: textSchema(500).optional(),
        extensionDays: z.number().int().min(1).max(30).optional(),
        handlingUnit: z.string().max(32).optional(),
        solved: z.boolean().optional(),
        satisfied: z.boolean().optional(),
      })
      .strict(),
    successStatus: 200,
    response: orderSchema,
  }),
  get: defineRoute({
    id: 'orders.get',
    method: 'GET',
    path: '/v1/orders/:id',
    summary: 'One work order (caller data masked)',
    tag: 'orders',
    auth: ALL,
    params: idParams,
    query: emptySchema,
    successStatus: 200,
    response: orderSchema,
  }),
  reveal: defineRoute({
    id: 'orders.reveal',
    method: 'POST',
    path: '/v1/orders/:id/reveal',
    summary: "Reveal the caller's full phone number and name, on purpose; every reveal is audited",
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead', 'admin'],
    params: idParams,
    body: z.object({ purpose: textSchema(200).min(2) }).strict(),
    successStatus: 200,
    response: z.object({ name: z.string().optional(), phone: z.string(), contact: z.string().optional() }).strict(),
  }),
  changes: defineRoute({
    id: 'orders.changes',
    method: 'GET',
    path: '/v1/orders/changes',
    summary: "Status changes of visible orders after a checkpoint, in a deterministic order ('now': no changes, the checkpoint to start a new reader from)",
    tag: 'orders',
    auth: ALL,
    query: z
      .object({
        after: z.string().regex(/^(now|\d+(:\d+)?)$/).max(41).default('0'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    successStatus: 200,
    response: z.object({ changes: z.array(orderChangeSchema), checkpoint: z.string(), hasMore: z.boolean() }).strict(),
  }),
  history: defineRoute({
    id: 'callers.history',
    method: 'POST',
    path: '/v1/callers/history',
    summary: "A caller's earlier work orders, found by phone number through a keyed hash (the number is never stored in clear)",
    tag: 'callers',
    auth: ['agent', 'subcenter', 'lead', 'admin'],
    body: z.object({ phone: z.string().max(20), limit: z.number().int().min(1).max(50).default(10) }).strict(),
    successStatus: 200,
    response: z.object({ orders: z.array(orderSummarySchema), total: z.number().int().nonnegative(), flags: callerFlagsSchema }).strict(),
  }),
  similar: defineRoute({
    id: 'orders.similar',
    method: 'POST',
    path: '/v1/orders/similar',
    summary: 'Open orders of the same caller (keyed hash) or at the same address, optionally in the same top-level category: candidates for 并单',
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead'],
    body: z
      .object({
        phone: z.string().max(20).optional(),
        address: addressSchema.optional(),
        categoryCode: z.string().max(32).regex(/^[0-9.]+$/).optional(),
        limit: z.number().int().min(1).max(20).default(5),
      })
      .strict(),
    successStatus: 200,
    response: z.object({ orders: z.array(similarOrderSchema) }).strict(),
  }),
  followUp: defineRoute({
    id: 'orders.followUp',
    method: 'POST',
    path: '/v1/orders/:id/follow-ups',
    summary: 'Add a later call about the same matter to an open order (并单): a follow-up record; the order is not duplicated',
    tag: 'orders',
    auth: ['agent', 'subcenter', 'lead'],
    idempotent: true,
    params: idParams,
    body: z.object({ ...mutation, followUp: followUpInputSchema }).strict(),
    successStatus: 200,
    response: orderSchema,
  }),
  revealCaller: defineRoute({
    id: 'callers.reveal',
    method: 'POST',
    path: '/v1/callers/reveals',
    summary: "Record that an agent revealed a live caller's full number on purpose (the workstation has it from the call; the audit log gets who, when, why)",
    tag: 'callers',
    auth: ['agent', 'subcenter', 'lead', 'admin'],
    idempotent: true,
    body: z.object({ ...mutation, phone: z.string().max(20), purpose: textSchema(200).min(2), callId: z.string().max(128).optional() }).strict(),
    successStatus: 200,
    response: z.object({ recorded: z.literal(true) }).strict(),
  }),
} as const;
