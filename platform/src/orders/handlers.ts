import type { z } from 'zod';
import type { createBodySchema, Order, orderRoutes, PushResult } from '../../../shared/orders/routes';
import type { OrderInput } from '../../../shared/orders/work-order';
import { ApiProblem } from '../errors';
import type { RequestContext } from '../context';
import { appendAudit } from '../audit/audit-chain';
import { replayStored, requestHash, runIdempotent } from '../idempotency';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import { actOnOrder, callerHistory, createOrder, createOrdersBatch, ensureDaySequence, getOrder, listChanges, loadOrder, updateDraft } from './repository';
import type { HandlerTable } from '../handler';
import type { CreateOrderArgs, DeadlinePlanner } from './repository';
import { deadlineFor } from '../../../shared/orders/deadline';
import type { Services } from '../context';
import { isValidPhone } from '../../../shared/base/phone-number';

/** Run a mutation once per Idempotency-Key, inside one transaction with its audit entry. */
function idempotent<P, B extends { clientId: string; clientSeq: number }>(
  routeId: string,
  ctx: RequestContext<P, unknown, B>,
  run: (tx: Parameters<Parameters<RequestContext['db']['transaction']>[0]>[0]) => Promise<{ status: number; body: unknown }>,
) {
  const key = ctx.idempotencyKey;
  if (!key) throw new ApiProblem('invalid_request', 'Idempotency-Key header is required', [{ path: 'Idempotency-Key', message: 'required' }]);
  return ctx.db.transaction((tx) =>
    runIdempotent(tx, { key, clientId: ctx.body.clientId, clientSeq: ctx.body.clientSeq, routeId, hash: requestHash(routeId, ctx.params, ctx.body) }, () => run(tx)),
  );
}

type CreateBody = z.output<typeof createBodySchema>;

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
  const args = await createArgs(ctx, key, body);
  const outcome = await createOrder(ctx.db, args);
  if (outcome.kind === 'created') return { status: 201, body: outcome.order };
  return replayStored(ctx.db, { key, clientId: body.clientId, hash: args.requestHash });
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
    // Fast path: the whole batch in one statement when every item is new and in sequence.
    await ensureDaySequence(ctx.db, ctx.config.cityPrefix);
    const args = await Promise.all(ctx.body.mutations.map((m) => createArgs(ctx, m.idempotencyKey, { clientId: ctx.body.clientId, clientSeq: m.clientSeq, clientOrderId: m.clientOrderId, submit: m.submit, order: m.order })));
    const created = await createOrdersBatch(ctx.db, args);
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
        results.push({ idempotencyKey: m.idempotencyKey, status: error.status, error: { code: error.code, message: error.message } });
      }
    }
    return { body: { results } };
  },

  update: async (ctx) => {
    const r = await idempotent('orders.update', ctx, async (tx) => {
      await updateDraft(tx, { user: ctx.user, id: ctx.params.id, baseVersion: ctx.body.baseVersion, input: ctx.body.order as OrderInput, cipher: ctx.cipher });
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'order.update', subjectType: 'order', subjectId: ctx.params.id });
      return { status: 200, body: await getOrder(tx, ctx.params.id, ctx.user, ctx.cipher) };
    });
    return { status: r.status, body: r.body as never };
  },

  act: async (ctx) => {
    const r = await idempotent('orders.act', ctx, async (tx) => {
      const { action, baseVersion, reason, extensionDays, handlingUnit, solved, satisfied } = ctx.body;
      await actOnOrder(tx, { user: ctx.user, id: ctx.params.id, baseVersion, action, reason, extensionDays, handlingUnit, solved, satisfied, plan: planner(ctx) });
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

  changes: async (ctx) => ({ body: await listChanges(ctx.db, ctx.user, ctx.query.after, ctx.query.limit) }),

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
};
