/**
 * The order form's disposition group: 即时答复 (the knowledge article), 派单 (lead and co-units),
 * 转分中心/三方转接 (the target), 转紧急热线 (the line), 不予受理 (the reason and the wording to read
 * to the caller).
 */
import { useMemo } from 'react';
import { Alert, Col, Radio, Row, Select, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DISPOSITIONS, EMERGENCY_LINES } from '../../../../shared/orders/work-order';
import type { OrderForm as OrderFormValues } from '../../../../shared/orders/order-form';
import { useReferenceStore } from '../../directory/reference-store';
import { fieldId } from './fields';
import { dispositionAccelerator } from './keys';
import { SearchSelect, type SearchOption } from './SearchSelect';
import { ArticleNote, ArticlePicker } from './ArticlePicker';
import { Choices, Section, shortcutKey as key, type FieldKit } from './field-kit';

export function DispositionFields({ kit }: { kit: FieldKit }) {
  const { t } = useTranslation();
  const { f, set, item, status } = kit;
  const data = useReferenceStore((s) => s.data);
  const unitOptions = useMemo<SearchOption[]>(() => (data?.units ?? []).map((u) => ({ code: u.code, name: u.name, path: [u.name], label: u.name })), [data?.units]);
  const transferOptions = useMemo<SearchOption[]>(
    () =>
      (data?.directory ?? [])
        .filter((e) => e.transferUri !== null && e.mergeMode !== 'emergency' && e.status === 'active')
        // Found by its number as well as its name (an agent types 12366).
        .map((e) => ({ code: e.unitCode ?? e.number, name: `${e.number} ${e.name}`, path: [e.name], label: `${e.number} ${e.name}` })),
    [data?.directory],
  );
  const reason = data?.outOfScope.find((r) => r.code === f.notAcceptedReason);
  return (
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
          <ArticlePicker
            id={fieldId('knowledgeArticleId')}
            value={f.knowledgeArticleId}
            onChange={(v) => set({ knowledgeArticleId: v })}
            categoryCode={f.categoryCode}
            status={status('knowledgeArticleId')}
            testId="field-knowledgeArticleId"
          />,
          <ArticleNote value={f.knowledgeArticleId} />,
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
          <Choices field="emergencyLine" values={EMERGENCY_LINES} value={f.emergencyLine} onChange={(v) => set({ emergencyLine: v })} />,
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
  );
}
