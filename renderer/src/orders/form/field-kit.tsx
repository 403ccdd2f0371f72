/**
 * What every group of the order form needs: the draft's values, the edit, a labelled field with its
 * error worded below it, and the group's frame.
 */
import { useMemo, type ReactNode } from 'react';
import { Form, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FieldError, OrderForm as OrderFormValues, OrderFormField } from '../../../../shared/orders/order-form';
import { formatAccelerator } from '../../../../shared/shortcuts/format';
import { shortcutPlatform } from '../../shortcuts/global-shortcuts';
import { errorsByField, fieldErrorMessage, fieldId } from './fields';

export interface FieldKit {
  readonly f: OrderFormValues;
  readonly set: (patch: Partial<OrderFormValues>) => void;
  /** A labelled field with its error (if any) worded below it. */
  readonly item: (field: OrderFormField, children: ReactNode, extra?: ReactNode) => ReactNode;
  /** The input's status: 'error' when the last submit found one in this field. */
  readonly status: (field: OrderFormField) => 'error' | undefined;
}

export function useFieldKit(f: OrderFormValues, fieldErrors: readonly FieldError[], set: FieldKit['set']): FieldKit {
  const { t } = useTranslation();
  const errors = useMemo(() => errorsByField(fieldErrors), [fieldErrors]);
  return useMemo(
    () => ({
      f,
      set,
      item: (field, children, extra) => {
        const error = errors[field];
        return (
          <Form.Item
            label={t(`orders.form.fields.${field}`)}
            htmlFor={fieldId(field)}
            validateStatus={error ? 'error' : undefined}
            help={error ? <span data-testid={`field-error-${field}`}>{fieldErrorMessage(error, t)}</span> : undefined}
            extra={extra}
            style={{ marginBottom: 8 }}
          >
            {children}
          </Form.Item>
        );
      },
      status: (field) => (errors[field] ? 'error' : undefined),
    }),
    [f, set, errors, t],
  );
}

/** An accelerator as this platform writes it (Ctrl+Enter, ⌘↩ …). */
export const shortcutKey = (accelerator: string) => formatAccelerator(accelerator, shortcutPlatform);

export function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <fieldset data-testid={testId} style={{ border: 0, padding: 0, margin: '0 0 4px' }}>
      <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4, border: 0 }}>{title}</legend>
      {children}
    </fieldset>
  );
}

/** One of a few fixed values as a row of buttons (arrow keys move between them); each button's test id is `${field}-${value}`. */
export function Choices<T extends string>({ field, values, value, onChange, ariaLabel }: { field: OrderFormField; values: readonly T[]; value: T | ''; onChange: (value: T) => void; ariaLabel?: string }) {
  const { t } = useTranslation();
  return (
    <Radio.Group id={fieldId(field)} optionType="button" value={value || undefined} onChange={(e) => onChange(e.target.value as T)} aria-label={ariaLabel} data-testid={`field-${field}`}>
      {values.map((v) => (
        <Radio.Button key={v} value={v} data-testid={`${field}-${v}`}>
          {t(`orders.form.${field}.${v}`)}
        </Radio.Button>
      ))}
    </Radio.Group>
  );
}
