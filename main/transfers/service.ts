/**
 * Transfers with context in main: the receiving seat's look-up of a ticket (the platform decides
 * what this seat may see), and the outbox's sends of transfer and handling records under the client
 * id of the local database that queued them (orders/outbox-client.ts). Nothing personal is logged.
 */
import { platformApi } from '../../shared/http';
import { transfersIpc } from '../../shared/transfers/ipc';
import type { DomainService, ServiceContext } from '../ipc/service';
import type { PlatformClient } from '../session/platform-client';
import { platformCaller } from '../session/platform-failure';
import { outboxClientFor } from '../orders/outbox-client';

export interface TransfersServiceOptions {
  platform: PlatformClient;
  /** This installation's id: with the local database's id it names the outbox's client. */
  clientId: string;
}

export function transfersService(ctx: ServiceContext, options: TransfersServiceOptions): DomainService<typeof transfersIpc> {
  const { platform } = options;
  const log = ctx.logger.child('transfers');
  const call = platformCaller(platform, log);
  const outboxClient = outboxClientFor(platform, options.clientId);
  return {
    ipc: transfersIpc,
    handlers: {
      context: ({ ticketId }) => call(transfersIpc.context, () => platform.call(platformApi.transfers.context, { params: { ticketId } })),

      recordTransfer: ({ source, owner, idempotencyKey, clientSeq, ticketId, transferId, transfer }) => {
        const client = outboxClient(transfersIpc.recordTransfer, source, owner);
        return call(transfersIpc.recordTransfer, () =>
          platform.call(platformApi.transfers.recordTransfer, { params: { ticketId, transferId }, idempotencyKey, body: { clientId: client, clientSeq, transfer } }),
        );
      },

      addHandling: ({ source, owner, idempotencyKey, clientSeq, ticketId, handlingId, handling }) => {
        const client = outboxClient(transfersIpc.addHandling, source, owner);
        return call(transfersIpc.addHandling, () =>
          platform.call(platformApi.transfers.addHandling, { params: { ticketId, handlingId }, idempotencyKey, body: { clientId: client, clientSeq, handling } }),
        );
      },
    },
  };
}
