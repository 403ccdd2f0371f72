/**
 * Work orders in main: the local database's keys, the number's location (offline), and the
 * platform calls the renderer makes for orders — through the session's platform client, so the
 * access token never leaves main. Mutations carry this installation's client id and the
 * renderer's sequence number and idempotency key, so a retried push or follow-up is applied once.
 *
 * Platform failures reach the renderer as the channel's declared codes: unreachable or timed out →
 * unavailable (the outbox keeps the entry), no session → signed_out, 404 → not_found, 409 →
 * conflict, 400/422 → invalid (where the channel declares them), any other refusal → rejected.
 * Nothing personal (numbers, names, content) is passed to the logger.
 */
import type { z } from 'zod';
import { normalizePhone } from '../../shared/base/phone-number';
import { platformApi } from '../../shared/http';
import type { RouteDef } from '../../shared/http/route';
import type { ErrorCodeOf, InvokeDef } from '../../shared/ipc/contract';
import { ordersIpc } from '../../shared/orders/ipc';
import { channelError, type DomainService, type ServiceContext } from '../ipc/service';
import { SecretsUnavailableError } from '../secrets/secret-store';
import { PlatformError, type PlatformClient } from '../session/platform-client';
import { localKeys } from './local-keys';
import { sharedNumberInfoIndex, type NumberInfoIndex } from './number-info';

export interface OrdersServiceOptions {
  /** The session's client (what every domain calls the platform through). */
  platform: PlatformClient;
  /** This installation's id (main/session/installation-id.ts): scopes sequence numbers and keys. */
  clientId: string;
  /** The number location index (default: the process-wide one over the package's data). */
  numbers?: NumberInfoIndex;
}

/** The request body a route declares (checked here; the client sends what it is given). */
type BodyOf<R extends RouteDef> = z.input<NonNullable<R['body']>>;

type PlatformCode = 'unavailable' | 'signed_out' | 'rejected' | 'not_found' | 'conflict' | 'invalid';

const MESSAGES: Record<PlatformCode, string> = {
  unavailable: 'The platform cannot be reached now',
  signed_out: 'Not signed in to the platform',
  rejected: 'The platform refused the request',
  not_found: 'The platform has no such order',
  conflict: 'The platform has a conflicting change',
  invalid: 'The platform found the request invalid',
};

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

  /** What a failed platform call answers: one of the codes `def` declares. */
  function failure<D extends InvokeDef>(def: D, error: unknown): unknown {
    if (!(error instanceof PlatformError)) return error;
    const code = platformCode(error, def.errors, platform);
    log.warn('platform call failed', { channel: def.channel, code, problem: error.code, status: error.status, apiCode: error.apiCode });
    // The platform's own code says which kind (a 409 is a changed order or a replayed sequence number).
    return channelError(def, code as ErrorCodeOf<D>, error.apiCode ? `${MESSAGES[code]} (${error.apiCode})` : MESSAGES[code]);
  }

  async function call<D extends InvokeDef, T>(def: D, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw failure(def, error);
    }
  }

  return {
    ipc: ordersIpc,
    handlers: {
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

      push: ({ mutations }) =>
        call(ordersIpc.push, () =>
          platform.call(platformApi.orders.push, {
            body: { clientId, mutations } satisfies BodyOf<typeof platformApi.orders.push>,
          }),
        ),

      followUp: ({ idempotencyKey, clientSeq, orderId, followUp }) =>
        call(ordersIpc.followUp, () =>
          platform.call(platformApi.orders.followUp, {
            params: { id: orderId },
            idempotencyKey,
            body: { clientId, clientSeq, followUp } satisfies BodyOf<typeof platformApi.orders.followUp>,
          }),
        ),

      recordReveal: ({ idempotencyKey, clientSeq, phone, purpose, callId }) =>
        call(ordersIpc.recordReveal, () =>
          platform.call(platformApi.orders.revealCaller, {
            idempotencyKey,
            body: { clientId, clientSeq, phone: normalizePhone(phone), purpose, ...(callId !== undefined && { callId }) } satisfies BodyOf<typeof platformApi.orders.revealCaller>,
          }),
        ),

      get: ({ id }) => call(ordersIpc.get, () => platform.call(platformApi.orders.get, { params: { id } })),
    },
  };
}

/** The declared code for a platform failure (see the file comment). */
export function platformCode(error: PlatformError, declared: readonly string[], platform: Pick<PlatformClient, 'status'>): PlatformCode {
  switch (error.code) {
    case 'unreachable':
    case 'invalid_response':
    case 'rate_limited':
      // Not an answer to this request: try again later (the outbox keeps the entry).
      return 'unavailable';
    case 'session_expired':
      return 'signed_out';
    default:
      break;
  }
  // A 401/403 that ended the session (refresh refused) means signed out, not a refusal of the request.
  if (error.status === 401 || (error.status === 403 && platform.status().state === 'signedOut')) return 'signed_out';
  const allowed = (code: PlatformCode) => declared.includes(code);
  if (error.status === 404 && allowed('not_found')) return 'not_found';
  if (error.status === 409 && allowed('conflict')) return 'conflict';
  if ((error.status === 400 || error.status === 422) && allowed('invalid')) return 'invalid';
  return 'rejected';
}
