/**
 * The work-order form for one draft, typed while the agent talks. Every input is controlled by the
 * draft in the orders store and every change goes to editDraft at once (the store updates
 * synchronously, so input-method composition works; nothing is validated or debounced here).
 * Errors of the last submit attempt (draft.errors) are worded next to their fields; text longer
 * than the platform accepts is kept as typed and the field says it is too long.
 *
 * Keyboard: fields in Tab order 来电人 → 诉求 → 地点 → 处置; Ctrl+Enter submits; Alt+1…5 choose
 * the disposition while focus is in the form; Alt+N / Alt+C / Alt+D jump to the caller's name,
 * the content and the disposition from anywhere in the window. No shortcut fires while an input
 * method is composing. The form never takes focus by itself when the store changes.
 *
 * The field groups are components of their own (CallerFields, RequestFields, LocationFields,
 * DispositionFields) sharing the FieldKit (field-kit.tsx); this file holds the draft's actions,
 * the keyboard and the buttons.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Button, Form, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { discardDraft, editDraft, submitDraft, type DraftView } from '../orders-store';
import type { OrderForm as OrderFormValues } from '../../../../shared/orders/order-form';
import { shortcutPlatform } from '../../shortcuts/global-shortcuts';
import { firstErrorField } from './fields';
import { ORDER_ACCELERATORS, orderShortcutOf } from './keys';
import { focusField, takePendingFocus } from './field-focus';
import { hhmm } from './labels';
import { MergeBanner, MergeCandidates } from './MergePanel';
import { shortcutKey, useFieldKit } from './field-kit';
import { CallerFields } from './CallerFields';
import { RequestFields } from './RequestFields';
import { LocationFields } from './LocationFields';
import { DispositionFields } from './DispositionFields';

const key = shortcutKey;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Props {
  readonly draft: DraftView;
  /** A successful submit (the workspace says so). */
  readonly onSubmitted: (draft: DraftView) => void;
  readonly onError: (message: string) => void;
}

export function OrderForm({ draft, onSubmitted, onError }: Props) {
  const { t } = useTranslation();
  const id = draft.id;
  const f = draft.form;
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  const set = useCallback(
    (patch: Partial<OrderFormValues>) => {
      try {
        editDraft(id, patch);
      } catch (error) {
        onError(message(error));
      }
    },
    [id, onError],
  );

  const submit = useCallback(async () => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      const result = await submitDraft(id);
      if (result.ok) onSubmitted(draft);
      else {
        const first = firstErrorField(result.errors);
        if (first) requestAnimationFrame(() => focusField(first));
      }
    } catch (error) {
      onError(message(error));
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }, [id, draft, onSubmitted, onError]);

  const kit = useFieldKit(f, draft.errors, set);

  const discard = useCallback(() => {
    discardDraft(id).catch((error: unknown) => onError(message(error)));
  }, [id, onError]);

  // Keys pressed inside the form: all the form's shortcuts (and none reaches the shell's Alt+1…4).
  const onKeyDown = (e: ReactKeyboardEvent) => {
    const action = orderShortcutOf(e.nativeEvent, shortcutPlatform);
    if (!action) return;
    e.preventDefault();
    e.stopPropagation();
    if (action === 'submit') void submit();
    else if (action === 'focusCaller') focusField('callerName');
    else if (action === 'focusContent') focusField('content');
    else if (action === 'focusDisposition') focusField('disposition');
    else set({ disposition: action.disposition });
  };

  // Alt+N / Alt+C / Alt+D pressed before the form was on screen (the shell listens to the window).
  useEffect(() => takePendingFocus(), [id]);

  const errorCount = draft.errors.length;
  const merging = !!draft.mergeInto;

  return (
    <div onKeyDown={onKeyDown} data-testid="order-form" data-draft-id={id}>
      <MergeBanner draft={draft} onError={onError} />
      <Form layout="vertical" size="small" component="div" requiredMark={false} colon={false}>
        <CallerFields kit={kit} draft={draft} />
        <RequestFields kit={kit} />
        <LocationFields kit={kit} />
        <DispositionFields kit={kit} />
      </Form>

      <MergeCandidates draft={draft} onError={onError} />

      <Space size="small" wrap style={{ marginTop: 8 }}>
        <Tooltip title={key(ORDER_ACCELERATORS.submit)}>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="order-submit">
            {merging ? t('orders.form.submitFollowUp') : t('orders.form.submit')} ({key(ORDER_ACCELERATORS.submit)})
          </Button>
        </Tooltip>
        <Popconfirm title={t('orders.form.discardConfirm')} okText={t('orders.form.discardOk')} cancelText={t('orders.form.discardCancel')} onConfirm={discard} okButtonProps={{ danger: true, 'data-testid': 'order-discard-confirm' }}>
          <Button danger data-testid="order-discard">
            {t('orders.form.discard')}
          </Button>
        </Popconfirm>
        {errorCount > 0 && (
          <Typography.Text type="danger" data-testid="order-error-count">
            {t('orders.form.hasErrors', { n: errorCount })}
          </Typography.Text>
        )}
        {draft.savedAt > 0 && (
          <Typography.Text type="secondary" data-testid="order-saved-at">
            {t('orders.form.savedAt', { time: hhmm(draft.savedAt) })}
          </Typography.Text>
        )}
      </Space>
      <div className="text-secondary" style={{ fontSize: 12, marginTop: 4 }} data-testid="order-shortcuts">
        {t('orders.form.shortcuts', {
          submit: key(ORDER_ACCELERATORS.submit),
          dispositions: `${key('Alt+1')}…${key('Alt+5')}`,
          caller: key(ORDER_ACCELERATORS.focusCaller),
          content: key(ORDER_ACCELERATORS.focusContent),
          disposition: key(ORDER_ACCELERATORS.focusDisposition),
          clear: key('Delete'),
        })}
      </div>
    </div>
  );
}
