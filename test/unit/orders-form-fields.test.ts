/** The order form's field order, error wording in both languages, and text limits. */
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { enUS } from '../../renderer/src/i18n/en-US';
import { ALL_FIELDS, errorsByField, fieldErrorMessage, fieldId, FIELD_ORDER, firstErrorField, TEXT_LIMITS } from '../../renderer/src/orders/form/fields';
import { emptyOrderForm, FIELD_ERROR_CODES, toOrderInput, type FieldError } from '../../shared/orders/order-form';
import { CHANNELS, DISPOSITIONS, EMERGENCY_LINES, REQUEST_TYPES } from '../../shared/orders/work-order';
import { MERGE_MODES } from '../../shared/directory/routes';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
}

const LOCALES = [
  ['zh-CN', zhCN],
  ['en-US', enUS],
] as const;

describe('field errors are worded in both languages', () => {
  for (const [lng, messages] of LOCALES) {
    it(`${lng}: every error code has a message`, async () => {
      const t = await translator(lng);
      for (const code of FIELD_ERROR_CODES) {
        expect(messages.orders.error[code], `${lng} ${code}`).toBeTruthy();
        const text = fieldErrorMessage({ field: 'title', code, max: 100 }, t);
        expect(text).not.toContain('orders.error');
        expect(text).not.toContain('{{');
      }
      expect(fieldErrorMessage({ field: 'title', code: 'tooLong', max: 100 }, t)).toContain('100');
    });
  }

  it('says it in Chinese as the brief words it', async () => {
    const t = await translator('zh-CN');
    const say = (e: FieldError) => fieldErrorMessage(e, t);
    expect(say({ field: 'title', code: 'required' })).toBe('必填');
    expect(say({ field: 'title', code: 'tooLong', max: 100 })).toBe('不能超过100个字');
    expect(say({ field: 'contact', code: 'invalidPhone' })).toBe('号码格式不正确');
    expect(say({ field: 'content', code: 'controlChars' })).toBe('含有不可见的控制字符');
    expect(say({ field: 'categoryCode', code: 'invalid' })).toBe('内容无效');
  });

  it('words every error the shared validation gives for a real form', async () => {
    const t = await translator('zh-CN');
    const result = toOrderInput(emptyOrderForm({ title: 'x'.repeat(100_000), content: 'a\u0007b', contact: '12', disposition: 'dispatched', callerPhone: '13812341234' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = errorsByField(result.errors);
    expect(fieldErrorMessage(byField.title!, t)).toBe('不能超过100个字');
    expect(fieldErrorMessage(byField.content!, t)).toBe('含有不可见的控制字符');
    expect(fieldErrorMessage(byField.contact!, t)).toBe('号码格式不正确');
    expect(fieldErrorMessage(byField.requestType!, t)).toBe('必填');
    expect(firstErrorField(result.errors)).toBe('contact');

    const dispatched = toOrderInput(emptyOrderForm({ requestType: 'consult', title: 't', content: 'c', disposition: 'dispatched', callerPhone: '13812341234' }));
    expect(dispatched.ok).toBe(false);
    if (dispatched.ok) return;
    expect(dispatched.errors.map((e) => fieldErrorMessage(e, t))).toEqual(['必填']);
    expect(firstErrorField(dispatched.errors)).toBe('handlingUnit');
  });
});

describe('the form layout', () => {
  it('lays out every field of the form exactly once', () => {
    expect([...FIELD_ORDER].sort()).toEqual([...ALL_FIELDS].sort());
    expect(new Set(FIELD_ORDER).size).toBe(FIELD_ORDER.length);
  });

  it('labels every field and choice in both languages', () => {
    for (const [lng, m] of LOCALES) {
      const f = m.orders.form;
      for (const field of ALL_FIELDS) expect(f.fields[field], `${lng} ${field}`).toBeTruthy();
      for (const c of CHANNELS) expect(f.channel[c], `${lng} ${c}`).toBeTruthy();
      for (const r of REQUEST_TYPES) expect(f.requestType[r], `${lng} ${r}`).toBeTruthy();
      for (const d of DISPOSITIONS) expect(f.disposition[d], `${lng} ${d}`).toBeTruthy();
      for (const l of EMERGENCY_LINES) expect(f.emergencyLine[l], `${lng} ${l}`).toBeTruthy();
      for (const mode of MERGE_MODES) expect(m.orders.pop.mergeMode[mode], `${lng} ${mode}`).toBeTruthy();
    }
    expect(zhCN.orders.form.requestType).toEqual({ consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '意见建议' });
    expect(zhCN.orders.pop.mergeMode.dual).toBe('双号并行');
  });

  it('finds the first field in error in form order', () => {
    expect(firstErrorField([{ field: 'title', code: 'required' }, { field: 'callerName', code: 'tooLong', max: 40 }])).toBe('callerName');
    expect(firstErrorField([{ field: 'notAcceptedReason', code: 'required' }, { field: 'content', code: 'required' }])).toBe('content');
    expect(firstErrorField([])).toBeUndefined();
  });

  it('keeps the first error of a field', () => {
    const byField = errorsByField([
      { field: 'title', code: 'required' },
      { field: 'title', code: 'tooLong', max: 100 },
    ]);
    expect(byField.title?.code).toBe('required');
  });

  it('takes text limits from the shared order schema', () => {
    expect(TEXT_LIMITS).toEqual({ title: 100, content: 4000, summary: 1000, callerName: 40, company: 60, addressDetail: 200 });
    expect(fieldId('title')).toBe('order-field-title');
  });
});
