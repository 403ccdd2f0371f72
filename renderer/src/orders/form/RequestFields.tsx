/** The order form's request group: channel, request type, urgency and deadline, category, 保密, title, content, the agent's summary with phrase templates. */
import { useMemo } from 'react';
import { Checkbox, Col, Input, Row, Select, Space, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { CHANNELS, REQUEST_TYPES } from '../../../../shared/orders/work-order';
import { flattenTree, useReferenceStore } from '../../directory/reference-store';
import { fieldId, TEXT_LIMITS } from './fields';
import { ORDER_ACCELERATORS } from './keys';
import { SearchSelect, type SearchOption } from './SearchSelect';
import { DeadlinePreview } from './DeadlinePreview';
import { Choices, Section, shortcutKey as key, type FieldKit } from './field-kit';

const URGENCIES = ['normal', 'urgent'] as const;

export function RequestFields({ kit }: { kit: FieldKit }) {
  const { t } = useTranslation();
  const { f, set, item, status } = kit;
  const categories = useReferenceStore((s) => s.data?.categories);
  const categoryOptions = useMemo<SearchOption[]>(
    () => flattenTree(categories ?? []).map(({ node, path }) => ({ code: node.code, name: node.name, path, label: path.join(' / ') })),
    [categories],
  );
  return (
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
              <Choices field="requestType" values={REQUEST_TYPES} value={f.requestType} onChange={(v) => set({ requestType: v })} />
              <Choices field="urgency" values={URGENCIES} value={f.urgency} onChange={(v) => set({ urgency: v })} ariaLabel={t('orders.form.fields.urgency')} />
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
