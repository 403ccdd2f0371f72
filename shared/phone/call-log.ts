/**
 * The softphone's local call log: one entry per call leg, keyed by its SIP Call-ID. The renderer
 * keeps the entries in IndexedDB (renderer/src/phone/call-log) and links each to its work order.
 * Entries hold personal data (numbers, names): they are validated before they are stored, kept
 * for a limited time only, and numbers are masked whenever they are shown.
 */
import { z } from 'zod';
import { maskPhone } from '../base/redact';
import { isValidPhone, normalizePhone } from '../base/phone-number';
import type { CallDirection, EndReason } from './call-machine';
import { TRANSFER_FAILURES } from './transfer-machine';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_RESULTS = ['answered', 'missed', 'rejected', 'busy', 'cancelled', 'failed', 'transferred', 'connectionLost'] as const;
export const TRANSFER_KINDS = ['blind', 'attended'] as const;

export type CallResult = (typeof CALL_RESULTS)[number];
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** Text that is shown as is: bounded in characters (not UTF-16 units), no control characters. */
const plainText = (max: number) =>
  z
    .string()
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f\u007f-\u009f]/.test(v), 'must not contain control characters')
    .refine((v) => [...v].length <= max, `must be at most ${max} characters`);

/** A number as cleanNumber() leaves it: digits with + * #, or a SIP user part of [\w.+-]; '' when withheld. */
const numberText = z.string().max(32).regex(/^[\w.+*#-]*$/, 'must be a phone number or SIP user part');

/** The SIP Call-ID: printable ASCII without spaces (RFC 3261 "word" characters and @). */
const callIdSchema = z.string().min(1, 'must not be empty').max(128).regex(/^[!-~]+$/, 'must be printable ASCII without spaces');

const epochMs = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const callLogEntrySchema = z
  .object({
    /** The SIP Call-ID of the call leg. */
    id: callIdSchema,
    direction: z.enum(CALL_DIRECTIONS),
    remoteNumber: numberText,
    /** The caller's display name from SIP, plain text (never markup). */
    remoteName: plainText(64),
    /** The hotline number the caller dialled (which merged line they meant). */
    dialled: numberText.optional(),
    /** When the call rang (inbound) or was dialled (outbound). */
    startedAt: epochMs,
    answeredAt: epochMs.optional(),
    endedAt: epochMs.optional(),
    result: z.enum(CALL_RESULTS),
    /** The final SIP status code, when the call failed with one. */
    sipCode: z.number().int().min(100).max(699).optional(),
    /** Where the call was transferred to (set only when the target answered: result 'transferred'). */
    transferTarget: numberText.min(1).optional(),
    transferKind: z.enum(TRANSFER_KINDS).optional(),
    /** The last transfer attempt that failed (the caller came back to the agent), and why. */
    transferFailed: z
      .object({
        target: numberText.min(1),
        kind: z.enum(TRANSFER_KINDS),
        reason: z.enum(TRANSFER_FAILURES),
        sipCode: z.number().int().min(100).max(699).optional(),
      })
      .strict()
      .optional(),
    /** True when the call became a three-way conference. */
    conference: z.boolean().optional(),
    /** The local work-order id the call is linked to (set once the order is created). */
    workOrderId: z.string().min(1).max(64).regex(/^[\w:.-]+$/, 'must be a work-order id').optional(),
    /** The platform account of the agent who took or made the call. */
    agentAccount: plainText(64).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.answeredAt !== undefined && e.answeredAt < e.startedAt) {
      ctx.addIssue({ code: 'custom', path: ['answeredAt'], message: 'must not be before startedAt' });
    }
    if (e.endedAt !== undefined && e.endedAt < (e.answeredAt ?? e.startedAt)) {
      const message = e.answeredAt !== undefined ? 'must not be before answeredAt' : 'must not be before startedAt';
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message });
    }
    if (e.transferKind !== undefined && e.transferTarget === undefined) {
      ctx.addIssue({ code: 'custom', path: ['transferKind'], message: 'needs a transferTarget' });
    }
  });

export type CallLogEntry = z.infer<typeof callLogEntrySchema>;

/** What may be changed on a logged call: everything but its id. */
export type CallLogPatch = Partial<Omit<CallLogEntry, 'id'>>;

/** Why an entry was refused, as "path: message" lines (never the values, which may be personal data). */
export function describeCallLogIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(entry)'}: ${i.message}`).join('; ');
}

/** Talk time: from answer to end (or to `now` while the call is still up); 0 when never answered. */
export function callDurationMs(entry: Pick<CallLogEntry, 'answeredAt' | 'endedAt'>, now?: number): number {
  if (entry.answeredAt === undefined) return 0;
  const end = entry.endedAt ?? now;
  return end === undefined ? 0 : Math.max(0, end - entry.answeredAt);
}

/** Ring/wait time: from ringing or dialling until answered, or until the call ended unanswered. */
export function waitDurationMs(entry: Pick<CallLogEntry, 'startedAt' | 'answeredAt' | 'endedAt'>, now?: number): number {
  const until = entry.answeredAt ?? entry.endedAt ?? now;
  return until === undefined ? 0 : Math.max(0, until - entry.startedAt);
}

/**
 * The log result of an ended call as the call machine reports it. A caller who hangs up before
 * the agent answers is a missed call; an outbound call given up before answer is cancelled.
 */
export function callResultFromEnd(end: { readonly direction: CallDirection; readonly reason: EndReason; readonly answeredAt?: number }): CallResult {
  const unanswered: CallResult = end.direction === 'inbound' ? 'missed' : 'cancelled';
  switch (end.reason) {
    case 'localHangup':
    case 'remoteHangup':
      return end.answeredAt !== undefined ? 'answered' : unanswered;
    case 'cancelled':
      return unanswered;
    case 'noAnswer':
      return end.direction === 'inbound' ? 'missed' : 'failed';
    case 'rejected':
    case 'busy':
    case 'failed':
    case 'transferred':
    case 'connectionLost':
      return end.reason;
  }
}

/**
 * A number for display: personal numbers masked like 138****5678; service numbers and
 * extensions of up to 5 digits (12345, 110, 8001) shown as they are; '' stays ''.
 */
export function maskCallNumber(number: string): string {
  const n = normalizePhone(number);
  if (n === '') return '';
  if (/^\d{1,5}$/.test(n)) return n;
  return maskPhone(n);
}

/** The real number to call back (normalized), or undefined when it was withheld or is not dialable. */
export function callBackNumber(entry: Pick<CallLogEntry, 'remoteNumber'>): string | undefined {
  const n = normalizePhone(entry.remoteNumber);
  return n !== '' && isValidPhone(n) ? n : undefined;
}

/** The stored forms one number may take (as dialled, without or with the country prefix). */
export function numberVariants(number: string): string[] {
  const raw = number.trim();
  const n = normalizePhone(raw);
  if (n === '') return [];
  const variants = /^\d+$/.test(n) ? [raw, n, `+86${n}`, `0086${n}`] : [raw, n];
  return [...new Set(variants)];
}
