/**
 * The client id the outbox's mutations carry to the platform. The platform numbers each client's
 * mutations (a new key with a number at or below the last one is refused as replayed), and the
 * numbers come from the local database's counter. So the id is per local database: a wiped or
 * replaced database (counter back at 1) is a new client rather than thousands of refusals. It is
 * derived, not random, so that a resend after a restart goes under the same id.
 */
import crypto from 'node:crypto';

export function outboxClientId(installationId: string, source: string): string {
  const tail = crypto.createHash('sha256').update(`${installationId}\0${source}`).digest('hex').slice(0, 24);
  // ws-<24 hex>-<24 hex>: 52 characters, within the platform's 64.
  return `${installationId}-${tail}`;
}
