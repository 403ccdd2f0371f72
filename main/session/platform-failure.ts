/**
 * What a failed platform call answers over IPC: one of the codes the channel declares. Every
 * domain that calls the platform for the renderer maps failures the same way — unreachable, timed
 * out or rate-limited → unavailable (try later), no session → signed_out, 404 → not_found, 409 →
 * conflict, 400/422 → invalid (where the channel declares them), any other refusal → rejected; the
 * outbox's channels also tell a replayed sequence number (out_of_sequence) and a body too large for
 * the platform (too_large) apart.
 */
import type { ErrorCodeOf, InvokeDef } from '../../shared/ipc/contract';
import { channelError } from '../ipc/service';
import type { Logger } from '../logging/logger';
import { PlatformError, type PlatformClient } from './platform-client';

export type PlatformCode = 'unavailable' | 'signed_out' | 'rejected' | 'not_found' | 'conflict' | 'invalid' | 'out_of_sequence' | 'too_large';

const MESSAGES: Record<PlatformCode, string> = {
  unavailable: 'The platform cannot be reached now',
  signed_out: 'Not signed in to the platform',
  rejected: 'The platform refused the request',
  not_found: 'The platform has no such record',
  conflict: 'The platform has a conflicting change',
  invalid: 'The platform found the request invalid',
  out_of_sequence: 'The platform has a later sequence number from this client and did not use this key',
  too_large: 'The platform refused the request as too large',
};

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
  // Not a refusal of the content: the outbox numbers the entry again and sends it (outbox-sender.ts).
  if (error.apiCode === 'sequence_replayed' && allowed('out_of_sequence')) return 'out_of_sequence';
  // Not a refusal of the content either: the outbox sends the push again in smaller parts.
  if (error.status === 413 && allowed('too_large')) return 'too_large';
  if (error.status === 404 && allowed('not_found')) return 'not_found';
  if (error.status === 409 && allowed('conflict')) return 'conflict';
  if ((error.status === 400 || error.status === 422) && allowed('invalid')) return 'invalid';
  return 'rejected';
}

/**
 * Runs a platform call for channel `def`; a PlatformError becomes the channel's declared error
 * (logged without the request's content), anything else is rethrown as it is.
 */
export function platformCaller(platform: Pick<PlatformClient, 'status'>, log: Logger) {
  return async function call<D extends InvokeDef, T>(def: D, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof PlatformError)) throw error;
      const code = platformCode(error, def.errors, platform);
      log.warn('platform call failed', { channel: def.channel, code, problem: error.code, status: error.status, apiCode: error.apiCode });
      // The platform's own code says which kind (a 409 is a changed order or a replayed sequence number).
      throw channelError(def, code as ErrorCodeOf<D>, error.apiCode ? `${MESSAGES[code]} (${error.apiCode})` : MESSAGES[code]);
    }
  };
}
