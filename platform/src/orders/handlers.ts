import type { z } from 'zod';
import type { createBodySchema, Order, orderRoutes, PushResult, pushMutationSchema } from '../../../shared/orders/routes';
import type { FollowUpInput, OrderInput } from '../../../shared/orders/work-order';
import { ApiProblem } from '../errors';
import type { RequestContext } from '../context';
import { appendAudit } from '../audit/audit-chain';
import { idempotent, replayStored, requestHash } from '../idempotency';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import {
  actOnOrder,
  addFollowUp,
  callerHistory,
  createOrder,
  createOrdersBatch,
  ensureDaySequence,
  getOrder,
  isConfiguredReason,
  listChanges,
  loadOrder,
  similarOrders,
  updateDraft,
} from './repository';
import type { HandlerTable } from '../handler';
import type { CreateOrderArgs, DeadlinePlanner } from './repository';
import { deadlineFor } from '../../../shared/orders/deadline';
import type { Services } from '../context';
import type { Queryable } from '../db/database';
import { isValidPhone } from '../../../shared/base/phone-number';


type CreateBody = z.output<typeof createBodySchema>;

/**
 * A not-accepted reason must be one of the configured list (reference.outOfScope), not any code.
 * 400 invalid_request with the issue path 'order.notAcceptedReason'.
 */
async function checkReason(db: Queryable, input: OrderInput): Promise<void> {
  if (input.notAcceptedReason === undefined || (await isConfiguredReason(db, input.notAcceptedReason))) return;
  throw new ApiProblem('invalid_request', `Unknown not-accepted reason ${input.notAcceptedReason}`, [
    { path: 'order.notAcceptedReason', message: 'not one of the configured out-of-scope reasons' },
  ]);
}

/** checkReason for a creation; a replay of a key already used still gets its stored reply (the list may have changed since). */
async function checkReasonOrReplay(ctx: RequestContext<unknown, unknown, unknown>, key: string, body: CreateBody): Promise<{ status: number; body: unknown } | undefined> {
  try {
    await checkReason(ctx.db, body.order as OrderInput);
    return undefined;
  } catch (error) {
    const claimed = await ctx.db.query('select 1 from idempotency_keys where key = $1', [key]);
    if (claimed.rows.length === 0) throw error;
    return replayStored(ctx.db, { key, clientId: body.clientId, hash: requestHash('orders.create', undefined, body) });
  }
}

/** The arguments of one creation; the request hash is the single create's, so a key means the same in both paths. */
async function createArgs(ctx: RequestContext<unknown, unknown, unknown>, key: string, body: CreateBody): Promise<CreateOrderArgs> {
  const input = body.order as OrderInput;
  const deadline = body.submit && input.disposition === 'dispatched' ? await planner(ctx).forInput(ctx.db, shanghaiDate(Date.now()), input) : undefined;
  return {
    user: ctx.user,
    clientId: body.clientId,
    clientSeq: body.clientSeq,
    idempotencyKey: key,
    requestHash: requestHash('orders.create', undefined, body),
    clientOrderId: body.clientOrderId,
    input,
    submit: body.submit,
    cityPrefix: ctx.config.cityPrefix,
    cipher: ctx.cipher,
    deadline,
  };
}

/** One idempotent creation, shared by the single create and the outbox push (same key → same result). */
async function createOnce(ctx: RequestContext<unknown, unknown, unknown>, key: string, body: CreateBody): Promise<{ status: number; body: unknown }> {
  await ensureDaySequence(ctx.db, ctx.config.cityPrefix);
  const replay = await checkReasonOrReplay(ctx, key, body);
  if (replay) return replay;
  const args = await createArgs(ctx, key, body);
  const outcome = await createOrder(ctx.db, args);
  if (outcome.kind === 'created') return { status: 201, body: outcome.order };
  return replayStored(ctx.db, { key, clientId: body.clientId, hash: args.requestHash });
}

type PushItem = z.output<typeof pushMutationSchema>;

/**
 * The stored replies of a push whose every creation was made before, by this client, from these
 * very requests (the same key and request hash) — what a push sent again after a lost answer is.
 * Anything else (a new key among them, a key of another request, one still being processed, a
 * stored refusal) is undefined: the items then go one by one, each with its exact answer.
 */
async function replayedPush(db: Queryable, clientId: string, items: readonly PushItem[]): Promise<PushResult[] | undefined> {
  const stored = await db.query<{ key: string; request_hash: string; client_id: string; status: number | null; response: unknown }>(
    'select key, request_hash, client_id, status, response from idempotency_keys where key = any($1::text[])',
    [items.map((m) => m.idempotencyKey)],
  );
  if (stored.rows.length !== items.length) return undefined;
  const byKey = new Map(stored.rows.map((r) => [r.key, r]));
  const results: PushResult[] = [];
  for (const m of items) {
    const row = byKey.get(m.idempotencyKey);
    const body = { clientId, clientSeq: m.clientSeq, clientOrderId: m.clientOrderId, submit: m.submit, order: m.order };
    if (!row || row.client_id !== clientId || row.status !== 201 || row.request_hash !== requestHash('orders.create', undefined, body)) return undefined;
    results.push({ idempotencyKey: m.idempotencyKey, status: 201, order: row.response as Order });
  }
  return results;
}

/** Deadlines from the policy and the working-day calendar of the database. */
function planner(s: Services): DeadlinePlanner {
  return {
    async forInput(tx, start, input) {
      const { policy, calendar } = await s.calendar.current(tx);
      return deadlineFor(policy, calendar, input, start);
    },
    async add(tx, start, days) {
      return (await s.calendar.get(tx)).addWorkingDays(start, days);
    },
    async maxExtensionDays(tx) {
      return (await s.calendar.current(tx)).policy.maxExtensionWorkingDays;
    },
  };
}

export const orderHandlers: HandlerTable<typeof orderRoutes> = {
  create: async (ctx) => {
    const key = ctx.idempotencyKey;
    if (!key) throw new ApiProblem('invalid_request', 'Idempotency-Key header is required', [{ path: 'Idempotency-Key', message: 'required' }]);
    const r = await createOnce(ctx, key, ctx.body);
    return { status: r.status, body: r.body as never };
  },

  push: async (ctx) => {
    // A push sent again whole (its answer was lost on the way): the stored replies in one read.
    const replayed = await replayedPush(ctx.db, ctx.body.clientId, ctx.body.mutations);
    if (replayed) return { body: { results: replayed } };
    // Fast path: the whole batch in one statement when every item is new and in sequence.
    await ensureDaySequence(ctx.db, ctx.config.cityPrefix);
    const reasonsOk = await Promise.all(ctx.body.mutations.map((m) => checkReason(ctx.db, m.order as OrderInput).then(() => true, () => false)));
    const args = await Promise.all(ctx.body.mutations.map((m) => createArgs(ctx, m.idempotencyKey, { clientId: ctx.body.clientId, clientSeq: m.clientSeq, clientOrderId: m.clientOrderId, submit: m.submit, order: m.order })));
    const created = reasonsOk.every(Boolean) ? await createOrdersBatch(ctx.db, args) : undefined;
    if (created) return { body: { results: created.map((order, i) => ({ idempotencyKey: args[i]!.idempotencyKey, status: 201, order })) } };
    // Otherwise one by one, in sequence order, each with its own result.
    const results: PushResult[] = [];
    for (const m of ctx.body.mutations) {
      const body = { clientId: ctx.body.clientId, clientSeq: m.clientSeq, clientOrderId: m.clientOrderId, submit: m.submit, order: m.order };
      try {
        const r = await createOnce(ctx, m.idempotencyKey, body);
        results.push({ idempotencyKey: m.idempotencyKey, status: r.status, order: r.body as Order });
      } catch (error) {
        if (!(error instanceof ApiProblem)) throw error;
        // The issues say which field: the workstation marks it on the form for the agent to correct.
        results.push({ idempotencyKey: m.idempotencyKey, status: error.status, error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } });
      }
    }
    return { body: { results } };
  },

  update: async (ctx) => {
    const r = await idempotent('orders.update', ctx, async (tx) => {
      await checkReason(tx, ctx.body.order as OrderInput);
      await updateDraft(tx, { user: ctx.user, id: ctx.params.id, baseVersion: ctx.body.baseVersion, input: ctx.body.order as OrderInput, cipher: ctx.cipher });
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'order.update', subjectType: 'order', subjectId: ctx.params.id });
      return { status: 200, body: await getOrder(tx, ctx.params.id, ctx.user, ctx.cipher) };
    });
    return { status: r.status, body: r.body as never };
  },

  act: async (ctx) => {
    const r = await idempotent('orders.act', ctx, async (tx) => {
      const { action, baseVersion, reason, extensionDays, handlingUnit, solved, satisfied } = ctx.body;
      await actOnOrder(tx, { user: ctx.user, id: ctx.params.id, baseVersion, action, reason, extensionDays, handlingUnit, solved, satisfied, plan: planner(ctx), cipher: ctx.cipher });
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: `order.${action}`, subjectType: 'order', subjectId: ctx.params.id });
      return { status: 200, body: await getOrder(tx, ctx.params.id, ctx.user, ctx.cipher) };
    });
    return { status: r.status, body: r.body as never };
  },

  get: async (ctx) => ({ body: await getOrder(ctx.db, ctx.params.id, ctx.user, ctx.cipher) }),

  reveal: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const row = await loadOrder(tx, ctx.params.id, ctx.user);
      const caller = ctx.cipher.decryptJson<OrderInput['caller']>(row.caller_enc);
      await appendAudit(tx, {
        actorId: ctx.user.sub,
        actorAccount: ctx.user.acct,
        action: 'personalData.reveal',
        subjectType: 'order',
        subjectId: row.id,
        detail: { purpose: ctx.body.purpose },
      });
      const body: { phone: string; name?: string; contact?: string } = { phone: caller.phone };
      if (caller.name) body.name = caller.name;
      if (caller.contact) body.contact = caller.contact;
      return { body };
    }),

  changes: async (ctx) => ({ body: await listChanges(ctx.db, ctx.user, ctx.query.after, ctx.query.limit, ctx.cipher) }),

  history: async (ctx) => {
    if (!isValidPhone(ctx.body.phone)) throw new ApiProblem('invalid_request', 'Not a valid phone number', [{ path: 'phone', message: 'invalid' }]);
    return ctx.db.transaction(async (tx) => {
      const index = ctx.cipher.phoneIndex(ctx.body.phone);
      const result = await callerHistory(tx, ctx.user, index, ctx.body.limit);
      // The look-up itself is a view of a caller's data: attributable (谁使用、谁负责).
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'personalData.history', subjectType: 'caller', subjectId: index.slice(0, 16), detail: { results: result.total } });
      return { body: result };
    });
  },

  similar: async (ctx) => {
    const { phone, address, categoryCode, limit } = ctx.body;
    if (phone !== undefined && !isValidPhone(phone)) throw new ApiProblem('invalid_request', 'Not a valid phone number', [{ path: 'phone', message: 'invalid' }]);
    const phoneIndex = phone === undefined ? undefined : ctx.cipher.phoneIndex(phone);
    const addressIndex = ctx.cipher.addressIndex(address);
    if (!phoneIndex && !addressIndex) return { body: { orders: [] } };
    return ctx.db.transaction(async (tx) => {
      const orders = await similarOrders(tx, ctx.user, { phoneIndex, addressIndex, topCategory: categoryCode?.split('.')[0], limit });
      // Like the history look-up: attributable, naming the caller (or address) by blind index only.
      await appendAudit(tx, {
        actorId: ctx.user.sub,
        actorAccount: ctx.user.acct,
        action: 'personalData.similar',
        subjectType: phoneIndex ? 'caller' : 'address',
        subjectId: (phoneIndex ?? addressIndex!).slice(0, 16),
        detail: { results: orders.length, by: [...(phoneIndex ? ['caller'] : []), ...(addressIndex ? ['address'] : [])] },
      });
      return { body: { orders } };
    });
  },

  followUp: async (ctx) => {
    const r = await idempotent('orders.followUp', ctx, async (tx) => {
      await addFollowUp(tx, { user: ctx.user, id: ctx.params.id, input: ctx.body.followUp as FollowUpInput, cipher: ctx.cipher });
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'order.followUp', subjectType: 'order', subjectId: ctx.params.id });
      return { status: 200, body: await getOrder(tx, ctx.params.id, ctx.user, ctx.cipher) };
    });
    return { status: r.status, body: r.body as never };
  },

  revealCaller: async (ctx) => {
    if (!isValidPhone(ctx.body.phone)) throw new ApiProblem('invalid_request', 'Not a valid phone number', [{ path: 'phone', message: 'invalid' }]);
    const r = await idempotent('callers.reveal', ctx, async (tx) => {
      const detail: Record<string, string> = { purpose: ctx.body.purpose };
      if (ctx.body.callId) detail.callId = ctx.body.callId;
      // The subject is the number's blind index (as for history look-ups), never the number.
      await appendAudit(tx, {
        actorId: ctx.user.sub,
        actorAccount: ctx.user.acct,
        action: 'personalData.reveal',
        subjectType: 'caller',
        subjectId: ctx.cipher.phoneIndex(ctx.body.phone).slice(0, 16),
        detail,
      });
      return { status: 200, body: { recorded: true } };
    });
    return { status: r.status, body: r.body as never };
  },
};
