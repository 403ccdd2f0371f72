/**
 * The order form's fields as the UI lays them out: their order (Tab order and "first field in
 * error"), their element ids, the lengths the platform accepts (shown as counters; the draft keeps
 * longer text as typed), and the wording of a field error from its code.
 */
import { emptyOrderForm, FIELD_ERROR_CODES, type FieldError, type FieldErrorCode, type OrderFormField } from '../../../../shared/orders/order-form';
import { addressSchema, callerSchema, orderInputSchema } from '../../../../shared/orders/work-order';

/** Every form field in the order the form shows them (groups 来电人 → 诉求 → 地点 → 处置). */
export const FIELD_ORDER = [
  'callerName',
  'gender',
  'callerPhone',
  'contact',
  'company',
  'callerType',
  'channel',
  'requestType',
  'urgency',
  'categoryCode',
  'confidential',
  'title',
  'content',
  'summary',
  'district',
  'street',
  'addressDetail',
  'disposition',
  'knowledgeArticleId',
  'handlingUnit',
  'coUnits',
  'transferTarget',
  'emergencyLine',
  'notAcceptedReason',
] as const satisfies readonly OrderFormField[];

/** All fields of the form (for completeness checks). */
export const ALL_FIELDS = Object.keys(emptyOrderForm()) as OrderFormField[];

export { fieldId } from './field-ids';

/** Most characters the platform accepts, for the free-text fields (from the shared schema). */
export const TEXT_LIMITS = {
  title: orderInputSchema.shape.title.maxLength ?? 100,
  content: orderInputSchema.shape.content.maxLength ?? 4000,
  summary: orderInputSchema.shape.summary.unwrap().maxLength ?? 1000,
  callerName: callerSchema.shape.name.unwrap().maxLength ?? 40,
  company: callerSchema.shape.company.unwrap().maxLength ?? 60,
  addressDetail: addressSchema.shape.detail.unwrap().maxLength ?? 200,
} as const satisfies Partial<Record<OrderFormField, number>>;

/** The i18n key of an error code's wording. */
export function errorKey(code: FieldErrorCode): `orders.error.${FieldErrorCode}` {
  return `orders.error.${code}`;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** An error as the agent reads it next to the field (e.g. 不能超过100个字). */
export function fieldErrorMessage(error: FieldError, t: Translate): string {
  return t(errorKey(FIELD_ERROR_CODES.includes(error.code) ? error.code : 'invalid'), { max: error.max ?? '' });
}

/** The first error of each field. */
export function errorsByField(errors: readonly FieldError[]): Partial<Record<OrderFormField, FieldError>> {
  const out: Partial<Record<OrderFormField, FieldError>> = {};
  for (const e of errors) out[e.field] ??= e;
  return out;
}

/** The field in error that comes first in the form (where focus goes after a failed submit). */
export function firstErrorField(errors: readonly FieldError[]): OrderFormField | undefined {
  const inError = new Set(errors.map((e) => e.field));
  return FIELD_ORDER.find((f) => inError.has(f)) ?? errors[0]?.field;
}
