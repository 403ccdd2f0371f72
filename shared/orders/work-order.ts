/**
 * The work order (工单) and its life cycle (../shared/domain/README.md §4):
 *
 *   draft ──submit──► closed        (answered on the call / not accepted / referred to 110…)
 *     │               transferred ──close──► closed      (sub-center or dual-number line)
 *     └──submit──► dispatched ──reply──► replied ──close──► closed ──callback──► calledBack
 *                   │  ▲   └─extend─► extended ─reply─┘
 *                 return│redispatch        │return
 *                   ▼  │                   ▼
 *                  returned ◄──────────────┘
 *
 *   supervise (督办): a lead's note on an order still being handled (dispatched, extended,
 *   returned, replied, transferred); the status stays as it is.
 */
import { z } from 'zod';
import { isValidPhone } from '../base/phone-number';
import { textSchema } from '../base/text';

const text = textSchema;

export const CHANNELS = ['phone', 'web', 'wechat', 'miniProgram', 'app', 'email', 'sms', 'other'] as const;
export const REQUEST_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const;
export const DISPOSITIONS = ['answered', 'dispatched', 'transferred', 'emergency', 'notAccepted'] as const;
/**
 * The demo city's out-of-scope reasons (不予受理). The list a deployment uses, with the wording read
 * to the caller, is configuration served by the platform (reference.outOfScope); an order names
 * a reason by its code, which the platform checks against its list.
 */
export const NOT_ACCEPTED_REASONS = [
  'litigation',
  'arbitration',
  'disciplineInspection',
  'administrativeReview',
  'informationDisclosure',
  'petition',
  'secretsOrPrivacy',
  'publicOrder',
  'other',
] as const;
export const EMERGENCY_LINES = ['110', '119', '120', '122'] as const;
export const ORDER_STATUSES = ['draft', 'dispatched', 'returned', 'extended', 'replied', 'transferred', 'closed', 'calledBack'] as const;

export const orderStatusSchema = z.enum(ORDER_STATUSES);
/** Statuses of an order that is still being handled (repeat-caller flags, 并单 candidates). */
export const OPEN_STATUSES: readonly OrderStatus[] = ['dispatched', 'returned', 'extended', 'replied', 'transferred'];
export const reasonCodeSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{1,31}$/, 'not a reason code');
export type OrderStatus = z.infer<typeof orderStatusSchema>;

export const phoneSchema = z.string().max(20).refine(isValidPhone, 'not a valid phone number');

export const callerSchema = z
  .object({
    name: text(40).optional(),
    phone: phoneSchema,
    /** Another number to reach the caller, if different. */
    contact: phoneSchema.optional(),
    gender: z.enum(['male', 'female', 'unknown']).optional(),
    callerType: z.enum(['citizen', 'company', 'other']).optional(),
    /** The caller's company or organisation, when calling for one. */
    company: text(60).optional(),
  })
  .strict();

export const addressSchema = z
  .object({
    district: text(40).optional(),
    street: text(40).optional(),
    detail: text(200).optional(),
  })
  .strict();

export const callInfoSchema = z
  .object({
    callId: text(128),
    /** The number the caller dialled (DNIS): tells which merged line they meant. */
    dialled: z.string().max(20).regex(/^\d*$/).optional(),
    recordingId: text(128).optional(),
    /** When the call rang, was answered and ended (ISO timestamps). */
    ringAt: z.string().datetime({ offset: true }).optional(),
    answerAt: z.string().datetime({ offset: true }).optional(),
    endAt: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

export const orderInputSchema = z
  .object({
    channel: z.enum(CHANNELS),
    requestType: z.enum(REQUEST_TYPES),
    categoryCode: z.string().max(32).regex(/^[0-9.]+$/).optional(),
    urgency: z.enum(['normal', 'urgent']),
    confidential: z.boolean(),
    title: text(100).min(1),
    content: text(4000).min(1),
    /** The agent's own summary of the call (坐席摘要). */
    summary: text(1000).optional(),
    caller: callerSchema,
    address: addressSchema.optional(),
    disposition: z.enum(DISPOSITIONS),
    knowledgeArticleId: z.string().max(64).optional(),
    handlingUnit: z.string().max(32).optional(),
    coUnits: z.array(z.string().max(32)).max(10).optional(),
    /** Organisation code of the sub-center / dual line the call was transferred to. */
    transferTarget: z.string().max(32).optional(),
    emergencyLine: z.enum(EMERGENCY_LINES).optional(),
    notAcceptedReason: reasonCodeSchema.optional(),
    call: callInfoSchema.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (o.disposition === 'dispatched') need(!!o.handlingUnit, 'handlingUnit', 'a dispatched order needs a handling unit');
    if (o.disposition === 'transferred') need(!!o.transferTarget, 'transferTarget', 'a transferred order needs a transfer target');
    if (o.disposition === 'emergency') need(!!o.emergencyLine, 'emergencyLine', 'say which emergency line the caller was referred to');
    if (o.disposition === 'notAccepted') need(!!o.notAcceptedReason, 'notAcceptedReason', 'a not-accepted request needs the reason told to the caller');
    if (o.disposition === 'answered') need(!!o.knowledgeArticleId, 'knowledgeArticleId', 'record the knowledge article used for the answer');
  });
export type OrderInput = z.infer<typeof orderInputSchema>;

/** 并单: another call about a matter that already has an open order, added to that order. */
export const followUpInputSchema = z
  .object({
    content: text(4000).min(1),
    /** Who called this time (may differ from the order's caller). */
    caller: callerSchema.optional(),
    call: callInfoSchema.optional(),
  })
  .strict();
export type FollowUpInput = z.infer<typeof followUpInputSchema>;

export const ORDER_ACTIONS = ['submit', 'return', 'redispatch', 'extend', 'reply', 'close', 'callback', 'supervise'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

const TRANSITIONS: Readonly<Record<Exclude<OrderAction, 'submit'>, { from: readonly OrderStatus[]; to: OrderStatus | 'unchanged' }>> = {
  return: { from: ['dispatched', 'extended'], to: 'returned' },
  redispatch: { from: ['returned'], to: 'dispatched' },
  extend: { from: ['dispatched'], to: 'extended' },
  reply: { from: ['dispatched', 'extended'], to: 'replied' },
  close: { from: ['replied', 'transferred'], to: 'closed' },
  callback: { from: ['closed'], to: 'calledBack' },
  supervise: { from: ['dispatched', 'extended', 'returned', 'replied', 'transferred'], to: 'unchanged' },
};

/** The status an order goes to when `action` is applied, or undefined when not allowed. */
export function nextStatus(current: OrderStatus, action: OrderAction, disposition: OrderInput['disposition']): OrderStatus | undefined {
  if (action === 'submit') {
    if (current !== 'draft') return undefined;
    if (disposition === 'dispatched') return 'dispatched';
    if (disposition === 'transferred') return 'transferred';
    return 'closed';
  }
  const t = TRANSITIONS[action];
  if (!t.from.includes(current)) return undefined;
  return t.to === 'unchanged' ? current : t.to;
}
