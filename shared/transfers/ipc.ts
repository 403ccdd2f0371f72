/**
 * IPC for transfers with context: the receiving seat's look-up of a ticket's context, and the
 * outbox's sends of transfer and handling records (main adds the client id, as for orders).
 */
import { z } from 'zod';
import { defineInvoke } from '../ipc/contract';
import { OUTBOX_ERRORS, PLATFORM_ERRORS, clientSeqSchema, idempotencyKeySchema, outboxSender } from '../orders/ipc';
import { handlingInputSchema, handlingRecordSchema, ticketContextSchema, ticketIdSchema, transferInputSchema, transferRecordSchema } from './routes';

export const transfersIpc = {
  /** A ticket's context from the platform; not_found whether it does not exist or is not for this seat. */
  context: defineInvoke('transfers:context', z.object({ ticketId: ticketIdSchema }).strict(), ticketContextSchema, { errors: [...PLATFORM_ERRORS, 'not_found'] }),
  /** Send one transfer record (queued in the outbox). */
  recordTransfer: defineInvoke(
    'transfers:recordTransfer',
    z.object({ ...outboxSender, idempotencyKey: idempotencyKeySchema, clientSeq: clientSeqSchema, ticketId: ticketIdSchema, transferId: z.string().uuid(), transfer: transferInputSchema }).strict(),
    transferRecordSchema,
    { errors: [...OUTBOX_ERRORS, 'not_found', 'conflict', 'invalid'] },
  ),
  /** Send one handling record (queued in the outbox). */
  addHandling: defineInvoke(
    'transfers:addHandling',
    z.object({ ...outboxSender, idempotencyKey: idempotencyKeySchema, clientSeq: clientSeqSchema, ticketId: ticketIdSchema, handlingId: z.string().uuid(), handling: handlingInputSchema }).strict(),
    handlingRecordSchema,
    { errors: [...OUTBOX_ERRORS, 'not_found', 'conflict', 'invalid'] },
  ),
} as const;
