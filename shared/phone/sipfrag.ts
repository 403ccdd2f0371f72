/**
 * The bodies and headers of a REFER's implicit subscription (RFC 3515, RFC 4488 / RFC 6665):
 * the NOTIFY body is a message/sipfrag (RFC 3420) whose first line is the status line of the
 * referred call ("SIP/2.0 180 Ringing"), and Subscription-State says whether more NOTIFYs follow.
 * Both come from the network: bad input gives a clear error, never a throw.
 */

export type SipfragResult =
  | { readonly ok: true; readonly code: number; readonly reason: string }
  | { readonly ok: false; readonly error: string };

/** Longer bodies are not looked at beyond this (a status line is short). */
const MAX_SCAN = 4096;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: ([^\r\n]*))?$/;

/** The status code and reason phrase of a sipfrag body's status line. */
export function parseSipfrag(body: unknown): SipfragResult {
  if (typeof body !== 'string') return { ok: false, error: 'sipfrag body is missing' };
  const text = body.slice(0, MAX_SCAN).replace(/^\uFEFF/, '').replace(/^[\r\n]+/, '');
  if (text.trim() === '') return { ok: false, error: 'sipfrag body is empty' };
  const line = text.split(/\r?\n/, 1)[0]!.replace(/[ \t]+$/, '');
  if (line.length > 256) return { ok: false, error: 'sipfrag status line is too long' };
  if (!line.startsWith('SIP/')) return { ok: false, error: 'sipfrag does not start with a SIP status line' };
  if (!line.startsWith('SIP/2.0 ')) return { ok: false, error: 'sipfrag names an unsupported SIP version' };
  const m = STATUS_LINE.exec(line);
  if (!m) return { ok: false, error: 'sipfrag status code is not a SIP response code (100-699)' };
  // eslint-disable-next-line no-control-regex
  const reason = (m[2] ?? '').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 64);
  return { ok: true, code: Number(m[1]), reason };
}

export interface SubscriptionState {
  readonly state: 'active' | 'pending' | 'terminated' | 'unknown';
  /** The `reason` parameter of a terminated subscription (noresource, timeout, rejected …). */
  readonly reason?: string;
}

/** The Subscription-State header ("active;expires=60", "terminated;reason=noresource"). */
export function parseSubscriptionState(header: unknown): SubscriptionState {
  if (typeof header !== 'string' || header.length > 512) return { state: 'unknown' };
  const [value, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  const state = value === 'active' || value === 'pending' || value === 'terminated' ? value : 'unknown';
  const reason = params.map((p) => /^reason\s*=\s*([a-z0-9.!%*_+`'~-]{1,32})$/.exec(p)?.[1]).find((r) => r !== undefined);
  return reason !== undefined ? { state, reason } : { state };
}

/** The sipfrag a transferee sends for a response of the referred call ("SIP/2.0 486 Busy Here"). */
export function sipfragFor(code: number, reason: string): string {
  if (!Number.isInteger(code) || code < 100 || code > 699) throw new RangeError(`not a SIP response code: ${code}`);
  // eslint-disable-next-line no-control-regex
  const phrase = reason.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 64).trim();
  return `SIP/2.0 ${code}${phrase ? ` ${phrase}` : ''}`;
}
