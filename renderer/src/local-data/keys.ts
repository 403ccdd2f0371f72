/**
 * The renderer's one LocalCipher, made from the keys main keeps in its secret store (asked for
 * once per page). Everything that stores personal data locally (orders, drafts, outbox, history
 * cache, call log) seals it with this cipher.
 */
import { bridge, call } from '../ipc/bridge';
import { createLocalCipher, type LocalCipher } from './sealed';

let pending: Promise<LocalCipher> | undefined;

export function localCipher(): Promise<LocalCipher> {
  pending ??= call(bridge().orders.localKeys()).then(createLocalCipher);
  // A failure is not cached: the next caller asks main again.
  pending.catch(() => {
    pending = undefined;
  });
  return pending;
}

/** Tests: use this cipher instead of asking main. */
export function setLocalCipherForTests(cipher: LocalCipher | undefined): void {
  pending = cipher ? Promise.resolve(cipher) : undefined;
}
