/**
 * The order form as the agent types it, and the step from it to the order the platform accepts.
 *
 * The form holds plain values (empty string = not filled) so that a half-typed draft can be saved
 * at any keystroke and read back after a crash; `toOrderInput` turns it into an `OrderInput` and
 * validates it with the platform's own schema, reporting each problem against the form field it
 * belongs to as a code the UI words in Chinese (or English) next to that field.
 */
import { z } from 'zod';
import { normalizePhone } from '../base/phone-number';
import { CHANNELS, DISPOSITIONS, EMERGENCY_LINES, REQUEST_TYPES, orderInputSchema, type OrderInput } from './work-order';

/** Drafts keep what was typed, control characters included: the field says what is wrong with it. */
const formText = (max: number) => z.string().max(max);
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.union([z.enum(values), z.literal('')]);

/**
 * Bounds on what a draft may hold: wider than the order's (a pasted 100 KB text is kept, and the
 * field says it is too long) but bounded, so a draft row stays small.
 */
export const DRAFT_TEXT_MAX = 200_000;

export const orderFormSchema = z
  .object({
    channel: z.enum(CHANNELS),
    requestType: choice(REQUEST_TYPES),
    categoryCode: z.string().max(32),
    urgency: z.enum(['normal', 'urgent']),
    confidential: z.boolean(),
    title: formText(DRAFT_TEXT_MAX),
    content: formText(DRAFT_TEXT_MAX),
    summary: formText(DRAFT_TEXT_MAX),
    callerName: formText(DRAFT_TEXT_MAX),
    /** The number the caller called from (from the call; typed for other channels). */
    callerPhone: z.string().max(64),
    contact: z.string().max(64),
    gender: choice(['male', 'female', 'unknown'] as const),
    callerType: choice(['citizen', 'company', 'other'] as const),
    company: formText(DRAFT_TEXT_MAX),
    district: z.string().max(64),
    street: z.string().max(64),
    addressDetail: formText(DRAFT_TEXT_MAX),
    disposition: choice(DISPOSITIONS),
    knowledgeArticleId: z.string().max(64),
    handlingUnit: z.string().max(32),
    coUnits: z.array(z.string().max(32)).max(20),
    transferTarget: z.string().max(32),
    emergencyLine: choice(EMERGENCY_LINES),
    notAcceptedReason: z.string().max(32),
  })
  .strict();
export type OrderForm = z.infer<typeof orderFormSchema>;
export type OrderFormField = keyof OrderForm;

export function emptyOrderForm(init: Partial<OrderForm> = {}): OrderForm {
  return {
    channel: 'phone',
    requestType: '',
    categoryCode: '',
    urgency: 'normal',
    confidential: false,
    title: '',
    content: '',
    summary: '',
    callerName: '',
    callerPhone: '',
    contact: '',
    gender: '',
    callerType: '',
    company: '',
    district: '',
    street: '',
    addressDetail: '',
    disposition: '',
    knowledgeArticleId: '',
    handlingUnit: '',
    coUnits: [],
    transferTarget: '',
    emergencyLine: '',
    notAcceptedReason: '',
    ...init,
  };
}

export const FIELD_ERROR_CODES = ['required', 'tooLong', 'invalid', 'invalidPhone', 'controlChars'] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  field: OrderFormField;
  code: FieldErrorCode;
  /** For tooLong: the most characters allowed. */
  max?: number;
}

/** Where each path of an OrderInput is typed in the form. */
const FIELD_OF_PATH: Readonly<Record<string, OrderFormField>> = {
  'caller.name': 'callerName',
  'caller.phone': 'callerPhone',
  'caller.contact': 'contact',
  'caller.gender': 'gender',
  'caller.callerType': 'callerType',
  'caller.company': 'company',
  'address.district': 'district',
  'address.street': 'street',
  'address.detail': 'addressDetail',
};

function fieldOf(path: readonly PropertyKey[]): OrderFormField | undefined {
  const key = path.map(String).join('.');
  if (key in FIELD_OF_PATH) return FIELD_OF_PATH[key];
  const top = String(path[0] ?? '');
  return top in emptyOrderForm() ? (top as OrderFormField) : undefined;
}

/**
 * The form fields a platform refusal names: its issues' paths ("order.notAcceptedReason",
 * "followUp.caller.phone" …) mapped to where they are typed; paths the form does not hold are left out.
 */
export function formFieldsOfIssues(issues: readonly { path: string }[] | undefined): OrderFormField[] {
  const out = new Set<OrderFormField>();
  for (const issue of issues ?? []) {
    const parts = issue.path.split('.').filter(Boolean);
    if (parts[0] === 'order' || parts[0] === 'followUp') parts.shift();
    const field = parts.length > 0 ? fieldOf(parts) : undefined;
    if (field) out.add(field);
  }
  return [...out];
}

const blank = (v: string) => v.trim() === '';
const opt = (v: string) => (blank(v) ? undefined : v.trim());
/** Long free text is kept as typed (line breaks and all); only surrounding blanks go. */
const optText = (v: string) => (blank(v) ? undefined : v.replace(/^\s+|\s+$/g, ''));

/** What the call contributes to the order that the form does not hold. */
export interface OrderCallContext {
  call?: OrderInput['call'];
}

/** The caller as the form has them (empty fields left out); for an order and for a 并单 follow-up. */
export function callerOf(form: OrderForm): OrderInput['caller'] {
  return dropUndefined({
    name: optText(form.callerName),
    phone: normalizePhone(form.callerPhone),
    contact: opt(form.contact) && normalizePhone(form.contact),
    gender: form.gender || undefined,
    callerType: form.callerType || undefined,
    company: optText(form.company),
  });
}

/** Build the order from the form and validate it with the shared schema. */
export function toOrderInput(form: OrderForm, ctx: OrderCallContext = {}): { ok: true; input: OrderInput } | { ok: false; errors: FieldError[] } {
  const caller = callerOf(form);
  const address = { district: opt(form.district), street: opt(form.street), detail: optText(form.addressDetail) };
  const hasAddress = Object.values(address).some((v) => v !== undefined);
  const d = form.disposition;
  const raw = {
    channel: form.channel,
    requestType: form.requestType || undefined,
    categoryCode: opt(form.categoryCode),
    urgency: form.urgency,
    confidential: form.confidential,
    title: optText(form.title) ?? '',
    content: optText(form.content) ?? '',
    summary: optText(form.summary),
    caller,
    address: hasAddress ? dropUndefined(address) : undefined,
    disposition: d || undefined,
    // Only the fields of the chosen disposition travel with the order.
    knowledgeArticleId: d === 'answered' ? opt(form.knowledgeArticleId) : undefined,
    handlingUnit: d === 'dispatched' ? opt(form.handlingUnit) : undefined,
    coUnits: d === 'dispatched' && form.coUnits.length > 0 ? form.coUnits.filter((u) => u !== form.handlingUnit) : undefined,
    transferTarget: d === 'transferred' ? opt(form.transferTarget) : undefined,
    emergencyLine: d === 'emergency' ? form.emergencyLine || undefined : undefined,
    notAcceptedReason: d === 'notAccepted' ? opt(form.notAcceptedReason) : undefined,
    call: ctx.call,
  };
  const parsed = orderInputSchema.safeParse(dropUndefined(raw));
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (!field || seen.has(field)) continue;
    seen.add(field);
    errors.push(describeIssue(field, issue, form));
  }
  return { ok: false, errors };
}

function describeIssue(field: OrderFormField, issue: z.core.$ZodIssue, form: OrderForm): FieldError {
  const value = form[field];
  const empty = typeof value === 'string' ? blank(value) : value === undefined;
  if (issue.code === 'too_big') return { field, code: 'tooLong', max: Number(issue.maximum) };
  if (issue.code === 'too_small' || (empty && issue.code !== 'custom')) return { field, code: 'required' };
  if (issue.code === 'custom') {
    if (/control characters/.test(issue.message)) return { field, code: 'controlChars' };
    if (/phone number/.test(issue.message)) return { field, code: 'invalidPhone' };
    // The disposition's own requirements (a unit for 派单, a reason for 不予受理 …).
    return { field, code: 'required' };
  }
  return { field, code: 'invalid' };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * 即时答复 from a knowledge article: the order is answered on the spot with the article as its
 * basis, and the article's answer wording is added to the agent's summary (once: using the same
 * article again does not repeat it; what the agent typed stays).
 */
export function answerWithArticle(form: OrderForm, article: { id: string; wording: string }): Partial<OrderForm> {
  const wording = article.wording.trim();
  const summary = !wording || form.summary.includes(wording) ? form.summary : form.summary.trim() ? `${form.summary.trimEnd()}\n${wording}` : wording;
  return { disposition: 'answered', knowledgeArticleId: article.id, summary };
}
