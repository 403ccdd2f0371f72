/**
 * The keys of the renderer's local database: an AES-256-GCM data key for personal data at rest
 * and an HMAC-SHA-256 key for its blind index (look-ups by number). Created once, kept only in
 * the secret store (safeStorage), handed to the renderer at start. Never logged.
 */
import crypto from 'node:crypto';
import type { LocalKeys } from '../../shared/orders/ipc';
import { SecretsUnavailableError, type SecretName, type SecretStore } from '../secrets/secret-store';

const KEY_BYTES = 32;
const KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;

/** A stored key, or a new one stored first. Each key stands alone: losing one does not replace the other. */
function keyOf(secrets: SecretStore, name: SecretName): string {
  const stored = secrets.get(name);
  if (stored !== undefined && KEY_PATTERN.test(stored)) return stored;
  const created = crypto.randomBytes(KEY_BYTES).toString('base64');
  secrets.set(name, created);
  return created;
}

/** The local keys; throws SecretsUnavailableError when no secure storage can hold them. */
export function localKeys(secrets: SecretStore): LocalKeys {
  // Without encryption a key could not be kept; handing out one that is lost at the next start
  // would make the local database unreadable then. Refuse before touching the store.
  if (secrets.protection() === 'unavailable') throw new SecretsUnavailableError();
  return { dataKey: keyOf(secrets, 'localDataKey'), indexKey: keyOf(secrets, 'localIndexKey') };
}
