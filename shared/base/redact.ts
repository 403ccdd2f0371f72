import { classifyPhone } from './phone-number';

/**
 * Redaction of personal data and credentials before anything is written to a log.
 * Logs leave the seat (support tickets, log shipping), so phone numbers, SIP user parts,
 * passwords and tokens must never reach them. Over-redaction is acceptable; leaks are not.
 */

// Resident ID numbers (18 characters), Chinese mobiles (with optional +86/0086), landlines with
// area code, and any other run of 7+ digits. Digit look-arounds keep one number from being split.
const ID_CARD = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;
const PHONE_PATTERNS: RegExp[] = [
  /(?<!\d)(?:\+?86[-\s]?|0086[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)/g,
  /(?<!\d)0\d{2,3}[-\s]?\d{7,8}(?!\d)/g,
  /\d{7,}/g,
];
const SIP_URI = /\b(sips?):([^@\s;>"']+)@/gi;
const AUTH_HEADER = /\b(authorization|proxy-authorization)\s*:\s*[^\r\n]*/gi;
const SECRET_KEY = /pass(word)?|secret|token|authorization|credential|cookie|ha1|nonce/i;
const PERSONAL_KEY = /phone|mobile|msisdn|caller(number|id)?|callee|contact|idcard|identity|address/i;

/** Redact free text. */
export function redactText(text: string): string {
  let out = text.replace(AUTH_HEADER, '$1: [REDACTED]');
  out = out.replace(SIP_URI, (_m, scheme: string) => `${scheme}:[USER]@`);
  out = out.replace(ID_CARD, '[ID]');
  for (const pattern of PHONE_PATTERNS) out = out.replace(pattern, '[PHONE]');
  out = out.replace(/("?(?:password|token|secret)"?\s*[:=]\s*)("[^"]*"|[^\s,}]+)/gi, '$1[REDACTED]');
  return out;
}

/** Redact a structured value (log context). Keys that name secrets or personal data are masked. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[DEPTH]';
  if (typeof value === 'string') return redactText(value);
  if (typeof value === 'number') return /\d{7,}/.test(String(value)) ? '[PHONE]' : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEY.test(key)) out[key] = '[REDACTED]';
    else if (PERSONAL_KEY.test(key)) out[key] = v == null ? v : '[PERSONAL]';
    else out[key] = redactValue(v, depth + 1);
  }
  return out;
}

/**
 * Mask a phone number for display: 13812341234 → 138****1234 (the country code +86 / 0086 of a
 * mobile is dropped first). At least four digits are always hidden: a short number (a 7- or
 * 8-digit local landline) shows only its last four, one under 7 digits none.
 */
export function maskPhone(phone: string): string {
  let digits = phone.replace(/\D/g, '');
  const mobile = /^(?:0086|86)(1[3-9]\d{9})$/.exec(digits);
  if (mobile) digits = mobile[1]!;
  if (digits.length < 7) return '*'.repeat(digits.length);
  if (digits.length < 11) return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

/**
 * A caller's number as shown when there is no reason to see it in full: a mobile or landline
 * number (a person's) masked, a short service number (12366) or a SIP extension as it is.
 */
export function maskPersonalNumber(number: string): string {
  const kind = classifyPhone(number);
  return kind === 'mobile' || kind === 'landline' ? maskPhone(number) : number;
}
