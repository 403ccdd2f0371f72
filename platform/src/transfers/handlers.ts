import type { transferRoutes } from '../../../shared/transfers/routes';
import type { HandlingInput, TransferInput } from '../../../shared/transfers/routes';
import { appendAudit } from '../audit/audit-chain';
import { idempotent } from '../idempotency';
import type { HandlerTable } from '../handler';
import { addHandling, recordTransfer, ticketContext } from './repository';

export const transferHandlers: HandlerTable<typeof transferRoutes> = {
  context: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const body = await ticketContext(tx, { user: ctx.user, ticketId: ctx.params.ticketId, cipher: ctx.cipher });
      // A pop of a transferred caller is a view of their data: attributable like a history look-up.
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'personalData.ticket', subjectType: 'order', subjectId: body.order.id });
      return { body };
    }),

  recordTransfer: async (ctx) => {
    const r = await idempotent('tickets.recordTransfer', ctx, async (tx) => {
      const record = await recordTransfer(tx, { user: ctx.user, ticketId: ctx.params.ticketId, transferId: ctx.params.transferId, input: ctx.body.transfer as TransferInput });
      await appendAudit(tx, {
        actorId: ctx.user.sub,
        actorAccount: ctx.user.acct,
        action: 'order.transfer',
        subjectType: 'order',
        subjectId: ctx.params.ticketId,
        detail: { kind: record.kind, target: record.targetNumber, outcome: record.outcome },
      });
      return { status: 200, body: record };
    });
    return { status: r.status, body: r.body as never };
  },

  addHandling: async (ctx) => {
    const r = await idempotent('tickets.addHandling', ctx, async (tx) => {
      const record = await addHandling(tx, { user: ctx.user, ticketId: ctx.params.ticketId, handlingId: ctx.params.handlingId, input: ctx.body.handling as HandlingInput, cipher: ctx.cipher });
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'order.handling', subjectType: 'order', subjectId: ctx.params.ticketId });
      return { status: 200, body: record };
    });
    return { status: r.status, body: r.body as never };
  },
};
