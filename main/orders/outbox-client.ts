/**
 * The client id the outbox's mutations carry to the platform. The platform numbers each client's
 * mutations (a new key with a number at or below the last one is refused as replayed), and the
 * numbers come from the local database's counter. So the id is per local database: a wiped or
 * replaced database (counter back at 1) is a new client rather than thousands of refusals. It is
 * derived, not random, so that a resend after a restart goes under the same id.
 */
import crypto from 'node:crypto';
import type { ErrorCodeOf, InvokeDef } from '../../shared/ipc/contract';
import { channelError } from '../ipc/service';
import type { PlatformClient } from '../session/platform-client';

export function outboxClientId(installationId: string, source: string): string {
  const tail = crypto.createHash('sha256').update(`${installationId}\0${source}`).digest('hex').slice(0, 24);
  // ws-<24 hex>-<24 hex>: 52 characters, within the platform's 64.
  return `${installationId}-${tail}`;
}

/**
 * The client id for entries of local database `source`, queued by `owner`. An entry is sent only
 * under its own agent's session: after a sign-out or an account switch mid-send it waits
 * (signed_out, retried) rather than reaching the platform as another agent's.
 */
export function outboxClientFor(platform: Pick<PlatformClient, 'status'>, installationId: string) {
  return <D extends InvokeDef>(def: D, source: string, owner: string | undefined): string => {
    const account = platform.status().user?.account;
    if (owner !== undefined && owner !== account) throw channelError(def, 'signed_out' as ErrorCodeOf<D>, 'This entry waits for its own agent to sign in');
    return outboxClientId(installationId, source);
  };
}
