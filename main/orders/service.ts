/**
 * Work orders in main: the local database's keys, the number's location (offline), and the
 * platform calls the renderer makes for orders — through the session's platform client, so the
 * access token never leaves main. Mutations carry the client id of the local database they were
 * queued in (outbox-client.ts) and the renderer's sequence number and idempotency key, so a retried
 * push or follow-up is applied once; an entry goes only with its own agent's session.
 *
 * Platform failures reach the renderer as the channel's declared codes (session/platform-failure.ts):
 * unreachable or timed out → unavailable (the outbox keeps the entry).
 * Nothing personal (numbers, names, content) is passed to the logger.
 */
import type { z } from 'zod';
import { normalizePhone } from '../../shared/base/phone-number';
import { platformApi } from '../../shared/http';
import type { RouteDef } from '../../shared/http/route';
import { ordersIpc } from '../../shared/orders/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';
import { SecretsUnavailableError } from '../secrets/secret-store';
import type { PlatformClient } from '../session/platform-client';
import { platformCaller } from '../session/platform-failure';
import { localKeys } from './local-keys';
import { LocalDataMarker } from './local-data-marker';
import { outboxClientFor } from './outbox-client';
import { sharedNumberInfoIndex, type NumberInfoIndex } from './number-info';

export interface OrdersServiceOptions {
  /** The session's client (what every domain calls the platform through). */
  platform: PlatformClient;
  /** This installation's id (main/session/installation-id.ts): with the local database's id it names the outbox's client (outbox-client.ts). */
  clientId: string;
  /** The number location index (default: the process-wide one over the package's data). */
  numbers?: NumberInfoIndex;
}

/** The request body a route declares (checked here; the client sends what it is given). */
type BodyOf<R extends RouteDef> = z.input<NonNullable<R['body']>>;

export function ordersService(ctx: ServiceContext, options: OrdersServiceOptions): DomainService<typeof ordersIpc> {
  const { platform, clientId } = options;
  const log = ctx.logger.child('orders');
  const numbers = options.numbers ?? sharedNumberInfoIndex();

  // Read the number data now, off the start-up path: the first screen-pop must not wait for it.
  void numbers.warmUp().then(
    (status) => {
      try {
        if (status.loaded) log.info('number location data ready', { prefixes: status.prefixes, ms: status.ms });
        else log.warn('number location data missing: numbers get their kind only', { reason: status.reason, message: status.message });
      } catch {
        // The log may be gone (the core was disposed before the warm-up finished).
      }
    },
    () => undefined,
  );

  const call = platformCaller(platform, log);

  const marker = new LocalDataMarker(ctx.userDataDir);

  const outboxClient = outboxClientFor(platform, clientId);

  return {
    ipc: ordersIpc,
    handlers: {
      reportLocalData: (report) => {
        const verdict = marker.report(report);
        if (verdict.wiped) log.error('local orders database was wiped or replaced since the last start', { lostPending: verdict.lostPending, lastSeenAt: verdict.lastSeenAt });
        return verdict;
      },

      localKeys: () => {
        try {
          return localKeys(ctx.secrets);
        } catch (error) {
          if (error instanceof SecretsUnavailableError) throw channelError(ordersIpc.localKeys, 'secrets_unavailable', error.message);
          throw error;
        }
      },

      numberInfo: ({ phone }) => numbers.lookup(phone),

      history: ({ phone }) => call(ordersIpc.history, () => platform.call(platformApi.orders.history, { body: { phone: normalizePhone(phone) } })),

      similar: ({ phone, address, categoryCode }) =>
        call(ordersIpc.similar, () =>
          platform.call(platformApi.orders.similar, {
            body: { ...(phone !== undefined && { phone: normalizePhone(phone) }), ...(address && { address }), ...(categoryCode !== undefined && { categoryCode }) },
          }),
        ),

      push: ({ source, owner, mutations }) => {
        const client = outboxClient(ordersIpc.push, source, owner);
        return call(ordersIpc.push, () =>
          platform.call(platformApi.orders.push, {
            body: { clientId: client, mutations } satisfies BodyOf<typeof platformApi.orders.push>,
          }),
        );
      },

      followUp: ({ source, owner, idempotencyKey, clientSeq, orderId, followUp }) => {
        const client = outboxClient(ordersIpc.followUp, source, owner);
        return call(ordersIpc.followUp, () =>
          platform.call(platformApi.orders.followUp, {
            params: { id: orderId },
            idempotencyKey,
            body: { clientId: client, clientSeq, followUp } satisfies BodyOf<typeof platformApi.orders.followUp>,
          }),
        );
      },

      recordReveal: ({ source, owner, idempotencyKey, clientSeq, phone, purpose, callId }) => {
        const client = outboxClient(ordersIpc.recordReveal, source, owner);
        return call(ordersIpc.recordReveal, () =>
          platform.call(platformApi.orders.revealCaller, {
            idempotencyKey,
            body: { clientId: client, clientSeq, phone: normalizePhone(phone), purpose, ...(callId !== undefined && { callId }) } satisfies BodyOf<typeof platformApi.orders.revealCaller>,
          }),
        );
      },

      reportArticle: ({ source, owner, idempotencyKey, clientSeq, articleId, articleVersion, problem, comment }) => {
        const client = outboxClient(ordersIpc.reportArticle, source, owner);
        return call(ordersIpc.reportArticle, () =>
          platform.call(platformApi.knowledge.feedback, {
            params: { id: articleId },
            idempotencyKey,
            body: { clientId: client, clientSeq, kind: problem, articleVersion, ...(comment ? { comment } : {}) } satisfies BodyOf<typeof platformApi.knowledge.feedback>,
          }),
        );
      },

      get: ({ id }) => call(ordersIpc.get, () => platform.call(platformApi.orders.get, { params: { id } })),

      changes: ({ after }) => call(ordersIpc.changes, () => platform.call(platformApi.orders.changes, { query: { after, limit: 500 } })),
    },
  };
}
