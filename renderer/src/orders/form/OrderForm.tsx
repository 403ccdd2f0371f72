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
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import { Alert, Button, Checkbox, Col, Form, Input, Popconfirm, Radio, Row, Select, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { discardDraft, editDraft, submitDraft, type DraftView } from '../orders-store';
import { flattenTree, useReferenceStore } from '../../directory/reference-store';
import { maskPhone } from '../../../../shared/base/redact';
import { CHANNELS, DISPOSITIONS, EMERGENCY_LINES, REQUEST_TYPES } from '../../../../shared/orders/work-order';
import type { OrderForm as OrderFormValues, OrderFormField } from '../../../../shared/orders/order-form';
import { formatAccelerator } from '../../../../shared/shortcuts/format';
import { shortcutPlatform } from '../../shortcuts/global-shortcuts';
import { errorsByField, fieldErrorMessage, fieldId, firstErrorField, TEXT_LIMITS } from './fields';
import { dispositionAccelerator, ORDER_ACCELERATORS, orderShortcutOf } from './keys';
import { focusField, takePendingFocus } from './field-focus';
import { hhmm } from './labels';
import { SearchSelect, type SearchOption } from './SearchSelect';
import { DeadlinePreview } from './DeadlinePreview';
import { MergeBanner, MergeCandidates } from './MergePanel';

const GENDERS = ['male', 'female', 'unknown'] as const;
const CALLER_TYPES = ['citizen', 'company', 'other'] as const;

const key = (accelerator: string) => formatAccelerator(accelerator, shortcutPlatform);

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
  const errors = useMemo(() => errorsByField(draft.errors), [draft.errors]);
  const data = useReferenceStore((s) => s.data);
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

  /** A labelled field with its error (if any) worded below it. */
  const item = (field: OrderFormField, children: ReactNode, extra?: ReactNode) => {
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
  };
  const status = (field: OrderFormField) => (errors[field] ? ('error' as const) : undefined);

  const categoryOptions = useMemo<SearchOption[]>(
    () => flattenTree(data?.categories ?? []).map(({ node, path }) => ({ code: node.code, name: node.name, path, label: path.join(' / ') })),
    [data?.categories],
  );
  const unitOptions = useMemo<SearchOption[]>(() => (data?.units ?? []).map((u) => ({ code: u.code, name: u.name, path: [u.name], label: u.name })), [data?.units]);
  // The address keeps names (an address reads as text on the platform and in the order).
  const districtOptions = useMemo<SearchOption[]>(
    () => (data?.areas ?? []).filter((a) => a.kind === 'district').map((a) => ({ code: a.name, name: a.name, path: [a.name], label: a.name })),
    [data?.areas],
  );
  const streetOptions = useMemo<SearchOption[]>(() => {
    const district = data?.areas.find((a) => a.name === f.district);
    return flattenTree(district?.children ?? []).map(({ node, path }) => ({ code: node.name, name: node.name, path, label: path.join(' / ') }));
  }, [data?.areas, f.district]);
  const transferOptions = useMemo<SearchOption[]>(
    () =>
      (data?.directory ?? [])
        .filter((e) => e.transferUri !== null && e.mergeMode !== 'emergency' && e.status === 'active')
        // Found by its number as well as its name (an agent types 12366).
        .map((e) => ({ code: e.unitCode ?? e.number, name: `${e.number} ${e.name}`, path: [e.name], label: `${e.number} ${e.name}` })),
    [data?.directory],
  );
  const reason = data?.outOfScope.find((r) => r.code === f.notAcceptedReason);

  const contactIsCaller = !!draft.call && f.contact !== '' && f.contact === f.callerPhone;
  const errorCount = draft.errors.length;
  const merging = !!draft.mergeInto;

  return (
    <div onKeyDown={onKeyDown} data-testid="order-form" data-draft-id={id}>
      <MergeBanner draft={draft} onError={onError} />
      <Form layout="vertical" size="small" component="div" requiredMark={false} colon={false}>
        <Section title={t('orders.form.groups.caller')} testId="group-caller">
          <Row gutter={8}>
            <Col span={6}>
              {item(
                'callerName',
                <Tooltip title={key(ORDER_ACCELERATORS.focusCaller)} placement="topLeft" mouseEnterDelay={0.6}>
                  <Input id={fieldId('callerName')} value={f.callerName} onChange={(e) => set({ callerName: e.target.value })} count={{ show: f.callerName.length > TEXT_LIMITS.callerName, max: TEXT_LIMITS.callerName }} data-testid="field-callerName" autoComplete="off" />
                </Tooltip>,
              )}
            </Col>
            <Col span={6}>
              {item(
                'gender',
                <Radio.Group id={fieldId('gender')} optionType="button" value={f.gender || undefined} onChange={(e) => set({ gender: e.target.value as OrderFormValues['gender'] })} data-testid="field-gender">
                  {GENDERS.map((g) => (
                    <Radio.Button key={g} value={g} data-testid={`gender-${g}`}>
                      {t(`orders.form.gender.${g}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>,
              )}
            </Col>
            <Col span={6}>
              {item(
                'callerPhone',
                draft.call ? (
                  // The calling number comes from the call: shown masked (the pop reveals it on purpose).
                  <Input id={fieldId('callerPhone')} value={f.callerPhone ? maskPhone(f.callerPhone) : ''} readOnly tabIndex={-1} data-testid="field-callerPhone" />
                ) : (
                  <Input id={fieldId('callerPhone')} value={f.callerPhone} onChange={(e) => set({ callerPhone: e.target.value })} inputMode="tel" data-testid="field-callerPhone" autoComplete="off" />
                ),
              )}
            </Col>
            <Col span={6}>
              {item(
                'contact',
                // Pre-filled with the calling number: shown masked as a hint, typing replaces it.
                <Input
                  id={fieldId('contact')}
                  value={contactIsCaller ? '' : f.contact}
                  onChange={(e) => set({ contact: e.target.value })}
                  placeholder={contactIsCaller ? t('orders.form.contactSameAsCaller', { number: maskPhone(f.contact) }) : t('orders.form.contactPlaceholder')}
                  inputMode="tel"
                  data-testid="field-contact"
                  data-same-as-caller={contactIsCaller}
                  autoComplete="off"
                />,
              )}
            </Col>
            <Col span={12}>
              {item(
                'company',
                <Input id={fieldId('company')} value={f.company} onChange={(e) => set({ company: e.target.value })} count={{ show: f.company.length > TEXT_LIMITS.company, max: TEXT_LIMITS.company }} data-testid="field-company" autoComplete="off" />,
              )}
            </Col>
            <Col span={12}>
              {item(
                'callerType',
                <Radio.Group id={fieldId('callerType')} optionType="button" value={f.callerType || undefined} onChange={(e) => set({ callerType: e.target.value as OrderFormValues['callerType'] })} data-testid="field-callerType">
                  {CALLER_TYPES.map((c) => (
                    <Radio.Button key={c} value={c} data-testid={`callerType-${c}`}>
                      {t(`orders.form.callerType.${c}`)}
                    </Radio.Button>
                  ))}
                </Radio.Group>,
              )}
            </Col>
          </Row>
        </Section>

        <Section title={t('orders.form.groups.request')} testId="group-request">
          <Row gutter={8}>
            <Col span={5}>
              {item(
                'channel',
                <Select
                  id={fieldId('channel')}
                  value={f.channel}
                  onChange={(v) => set({ channel: v })}
                  options={CHANNELS.map((c) => ({ value: c, label: t(`orders.form.channel.${c}`) }))}
                  data-testid="field-channel"
                  style={{ width: '100%' }}
                />,
              )}
            </Col>
            <Col span={19}>
              {item(
                'requestType',
                <Space size="small" wrap>
                  <Radio.Group id={fieldId('requestType')} optionType="button" value={f.requestType || undefined} onChange={(e) => set({ requestType: e.target.value as OrderFormValues['requestType'] })} data-testid="field-requestType">
                    {REQUEST_TYPES.map((r) => (
                      <Radio.Button key={r} value={r} data-testid={`requestType-${r}`}>
                        {t(`orders.form.requestType.${r}`)}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                  <Radio.Group id={fieldId('urgency')} optionType="button" value={f.urgency} onChange={(e) => set({ urgency: e.target.value as OrderFormValues['urgency'] })} aria-label={t('orders.form.fields.urgency')} data-testid="field-urgency">
                    <Radio.Button value="normal" data-testid="urgency-normal">
                      {t('orders.form.urgency.normal')}
                    </Radio.Button>
                    <Radio.Button value="urgent" data-testid="urgency-urgent">
                      {t('orders.form.urgency.urgent')}
                    </Radio.Button>
                  </Radio.Group>
                  <DeadlinePreview requestType={f.requestType} urgency={f.urgency} disposition={f.disposition} />
                </Space>,
              )}
            </Col>
            <Col span={18}>
              {item(
                'categoryCode',
                <SearchSelect
                  id={fieldId('categoryCode')}
                  options={categoryOptions}
                  value={f.categoryCode}
                  onChange={(v) => set({ categoryCode: v })}
                  placeholder={t('orders.form.categoryPlaceholder')}
                  notFound={t('orders.form.categoryEmpty')}
                  status={status('categoryCode')}
                  testId="field-categoryCode"
                />,
              )}
            </Col>
            <Col span={6}>
              {item(
                'confidential',
                <Tooltip title={t('orders.form.confidentialHint')} mouseEnterDelay={0.6}>
                  <Checkbox id={fieldId('confidential')} checked={f.confidential} onChange={(e) => set({ confidential: e.target.checked })} data-testid="field-confidential">
                    {t('orders.form.confidentialAsk')}
                  </Checkbox>
                </Tooltip>,
              )}
            </Col>
            <Col span={24}>
              {item(
                'title',
                <Input
                  id={fieldId('title')}
                  value={f.title}
                  onChange={(e) => set({ title: e.target.value })}
                  placeholder={t('orders.form.titlePlaceholder')}
                  count={{ show: true, max: TEXT_LIMITS.title }}
                  data-testid="field-title"
                  autoComplete="off"
                />,
              )}
            </Col>
            <Col span={24}>
              {item(
                'content',
                <Input.TextArea
                  id={fieldId('content')}
                  value={f.content}
                  onChange={(e) => set({ content: e.target.value })}
                  placeholder={t('orders.form.contentPlaceholder', { key: key(ORDER_ACCELERATORS.focusContent) })}
                  autoSize={{ minRows: 3, maxRows: 10 }}
                  count={{ show: true, max: TEXT_LIMITS.content }}
                  data-testid="field-content"
                />,
              )}
            </Col>
            <Col span={24}>
              {item(
                'summary',
                <Input.TextArea
                  id={fieldId('summary')}
                  value={f.summary}
                  onChange={(e) => set({ summary: e.target.value })}
                  placeholder={t('orders.form.summaryPlaceholder')}
                  autoSize={{ minRows: 2, maxRows: 6 }}
                  count={{ show: true, max: TEXT_LIMITS.summary }}
                  data-testid="field-summary"
                />,
                <PhrasePicker summary={f.summary} onInsert={(summary) => set({ summary })} />,
              )}
            </Col>
          </Row>
        </Section>

        <Section title={t('orders.form.groups.location')} testId="group-location">
          <Row gutter={8}>
            <Col span={6}>
              {item(
                'district',
                <SearchSelect
                  id={fieldId('district')}
                  options={districtOptions}
                  value={f.district}
                  onChange={(v) => set(v === f.district ? { district: v } : { district: v, street: '' })}
                  placeholder={t('orders.form.districtPlaceholder')}
                  status={status('district')}
                  testId="field-district"
                />,
              )}
            </Col>
            <Col span={6}>
              {item(
                'street',
                <SearchSelect
                  id={fieldId('street')}
                  options={streetOptions}
                  value={f.street}
                  onChange={(v) => set({ street: v })}
                  placeholder={t('orders.form.streetPlaceholder')}
                  status={status('street')}
                  disabled={!f.district && !f.street}
                  testId="field-street"
                />,
              )}
            </Col>
            <Col span={12}>
              {item(
                'addressDetail',
                <Input
                  id={fieldId('addressDetail')}
                  value={f.addressDetail}
                  onChange={(e) => set({ addressDetail: e.target.value })}
                  placeholder={t('orders.form.addressPlaceholder')}
                  count={{ show: f.addressDetail.length > TEXT_LIMITS.addressDetail, max: TEXT_LIMITS.addressDetail }}
                  data-testid="field-addressDetail"
                  autoComplete="off"
                />,
              )}
            </Col>
          </Row>
        </Section>

        <Section title={t('orders.form.groups.disposition')} testId="group-disposition">
          {item(
            'disposition',
            <Radio.Group id={fieldId('disposition')} optionType="button" value={f.disposition || undefined} onChange={(e) => set({ disposition: e.target.value as OrderFormValues['disposition'] })} data-testid="field-disposition">
              {DISPOSITIONS.map((d) => (
                <Tooltip key={d} title={key(dispositionAccelerator(d))} mouseEnterDelay={0.6}>
                  <Radio.Button value={d} data-testid={`disposition-${d}`}>
                    {t(`orders.form.disposition.${d}`)}
                  </Radio.Button>
                </Tooltip>
              ))}
            </Radio.Group>,
          )}
          {f.disposition === 'answered' &&
            item(
              'knowledgeArticleId',
              <Input
                id={fieldId('knowledgeArticleId')}
                value={f.knowledgeArticleId}
                onChange={(e) => set({ knowledgeArticleId: e.target.value })}
                placeholder={t('orders.form.knowledgePlaceholder')}
                style={{ maxWidth: 320 }}
                data-testid="field-knowledgeArticleId"
                autoComplete="off"
              />,
              <span data-testid="knowledge-manual-hint">{t('orders.form.knowledgeHint')}</span>,
            )}
          {f.disposition === 'dispatched' && (
            <Row gutter={8}>
              <Col span={12}>
                {item(
                  'handlingUnit',
                  <SearchSelect
                    id={fieldId('handlingUnit')}
                    options={unitOptions}
                    value={f.handlingUnit}
                    onChange={(v) => set({ handlingUnit: v })}
                    placeholder={t('orders.form.unitPlaceholder')}
                    status={status('handlingUnit')}
                    testId="field-handlingUnit"
                  />,
                )}
              </Col>
              <Col span={12}>
                {item(
                  'coUnits',
                  <SearchSelect
                    multiple
                    id={fieldId('coUnits')}
                    options={unitOptions.filter((u) => u.code !== f.handlingUnit)}
                    value={f.coUnits}
                    onChange={(v) => set({ coUnits: v })}
                    placeholder={t('orders.form.unitPlaceholder')}
                    status={status('coUnits')}
                    testId="field-coUnits"
                  />,
                )}
              </Col>
            </Row>
          )}
          {f.disposition === 'transferred' &&
            item(
              'transferTarget',
              <SearchSelect
                id={fieldId('transferTarget')}
                options={transferOptions}
                value={f.transferTarget}
                onChange={(v) => set({ transferTarget: v })}
                placeholder={t('orders.form.transferPlaceholder')}
                notFound={t('orders.form.transferNone')}
                status={status('transferTarget')}
                testId="field-transferTarget"
              />,
            )}
          {f.disposition === 'emergency' &&
            item(
              'emergencyLine',
              <Radio.Group id={fieldId('emergencyLine')} optionType="button" value={f.emergencyLine || undefined} onChange={(e) => set({ emergencyLine: e.target.value as OrderFormValues['emergencyLine'] })} data-testid="field-emergencyLine">
                {EMERGENCY_LINES.map((l) => (
                  <Radio.Button key={l} value={l} data-testid={`emergencyLine-${l}`}>
                    {t(`orders.form.emergencyLine.${l}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>,
            )}
          {f.disposition === 'notAccepted' && (
            <>
              {item(
                'notAcceptedReason',
                <Select
                  id={fieldId('notAcceptedReason')}
                  value={f.notAcceptedReason || undefined}
                  onChange={(v: string | undefined) => set({ notAcceptedReason: v ?? '' })}
                  options={(data?.outOfScope ?? []).map((r) => ({ value: r.code, label: r.name }))}
                  placeholder={t('orders.form.reasonPlaceholder')}
                  showSearch={{ optionFilterProp: 'label' }}
                  status={status('notAcceptedReason')}
                  data-testid="field-notAcceptedReason"
                  style={{ maxWidth: 360, width: '100%' }}
                />,
              )}
              {reason && (
                <Alert
                  type="warning"
                  data-testid="not-accepted-wording"
                  title={<Typography.Text strong>{t('orders.form.readToCaller')}</Typography.Text>}
                  description={<div style={{ fontSize: 16, lineHeight: 1.6, whiteSpace: 'pre-wrap' }}>{reason.wording}</div>}
                  style={{ marginBottom: 8 }}
                />
              )}
            </>
          )}
        </Section>
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

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <fieldset data-testid={testId} style={{ border: 0, padding: 0, margin: '0 0 4px' }}>
      <legend style={{ fontSize: 13, fontWeight: 600, marginBottom: 4, border: 0 }}>{title}</legend>
      {children}
    </fieldset>
  );
}

/** Phrase templates (常用语) inserted into the summary at the caret (or at its end). */
function PhrasePicker({ summary, onInsert }: { summary: string; onInsert: (summary: string) => void }) {
  const { t } = useTranslation();
  const phrases = useReferenceStore((s) => s.data?.phrases);
  const options = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const p of phrases ?? []) {
      const list = groups.get(p.group) ?? [];
      list.push({ value: p.id, label: p.text });
      groups.set(p.group, list);
    }
    return [...groups].map(([group, list]) => ({ label: group, title: group, options: list }));
  }, [phrases]);
  const insert = (phraseId: string) => {
    const text = phrases?.find((p) => p.id === phraseId)?.text;
    if (!text) return;
    const el = document.getElementById(fieldId('summary')) as HTMLTextAreaElement | null;
    const at = el && el.selectionStart !== null && el.selectionEnd !== null ? [el.selectionStart, el.selectionEnd] : [summary.length, summary.length];
    const [start, end] = [Math.min(at[0]!, summary.length), Math.min(at[1]!, summary.length)];
    onInsert(summary.slice(0, start) + text + summary.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };
  return (
    <Select<string>
      size="small"
      value={null}
      placeholder={t('orders.form.phrases')}
      options={options}
      onChange={insert}
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={t('orders.form.phrasesEmpty')}
      popupMatchSelectWidth={480}
      style={{ width: 200, marginTop: 4 }}
      data-testid="phrase-picker"
      aria-label={t('orders.form.phrases')}
    />
  );
}

