/**
 * What the softphone does when the registrar refuses a REGISTER — the registration retry policy,
 * pure so that it can be tested code by code (renderer/src/phone/sip-service.ts applies it).
 *
 *   401 / 403 / 407      → final, failure 'auth': the credentials are wrong (SIP.js has already
 *                          answered the digest challenge once). Retrying would only lock the
 *                          account on the registrar or the fail2ban in front of it.
 *   408, 5xx             → retry with full-jitter backoff (the registrar is overloaded, restarting
 *                          or a proxy timed out): the seat must come back by itself.
 *   any other 3xx-4xx,
 *   6xx (global failure),
 *   no code              → final, failure 'rejected': the same REGISTER would be refused again.
 *
 * Transport errors and timeouts without a response are not rejections: the caller retries them
 * (see sip-service.ts, `scheduleRetry`).
 */
export type RegisterRejection = { readonly retry: true } | { readonly retry: false; readonly failure: 'auth' | 'rejected' };

const AUTH_CODES: ReadonlySet<number> = new Set([401, 403, 407]);

/** The decision for a REGISTER refused with this final response code. */
export function registerRejection(code: number | undefined): RegisterRejection {
  if (code !== undefined && AUTH_CODES.has(code)) return { retry: false, failure: 'auth' };
  if (code === 408 || (code !== undefined && code >= 500 && code <= 599)) return { retry: true };
  return { retry: false, failure: 'rejected' };
}
