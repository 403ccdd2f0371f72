/**
 * The deadline an order would get if dispatched today (Asia/Shanghai), beside the request type:
 * "5 个工作日 · 截止 2026-12-14（周一）", 当日办结 for urgent matters, and a flag when the date runs
 * past the published holiday schedule (never guessed). Hidden until a request type is chosen;
 * greyed as information only when the disposition is not 派单.
 */
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { previewDeadline, useReferenceStore } from '../../directory/reference-store';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import type { OrderForm } from '../../../../shared/orders/order-form';
import { useNow } from '../../ui/useNow';
import { deadlineLabel } from './deadline-label';

export function DeadlinePreview({ requestType, urgency, disposition }: Pick<OrderForm, 'requestType' | 'urgency' | 'disposition'>) {
  const { t } = useTranslation();
  // Re-computed when the policy or calendar changes, and when the day turns.
  useReferenceStore((s) => s.data);
  const today = shanghaiDate(useNow(60_000));
  if (!requestType) return null;
  const informational = disposition !== '' && disposition !== 'dispatched';
  const preview = previewDeadline({ requestType, urgency }, today);
  if (!preview) {
    return (
      <Typography.Text type="secondary" data-testid="deadline-preview" data-state="noPolicy">
        {t('orders.deadline.noPolicy')}
      </Typography.Text>
    );
  }
  const label = deadlineLabel(preview, t);
  return (
    <span data-testid="deadline-preview" data-certain={preview.certain} data-informational={informational} data-date={preview.date} title={informational ? t('orders.deadline.infoOnly') : undefined}>
      <Typography.Text type={informational ? 'secondary' : undefined} strong={!informational && label.sameDay}>
        {t('orders.deadline.label')}
        {label.text}
      </Typography.Text>
      {label.uncertain && (
        <Tag color="warning" style={{ marginLeft: 6 }} data-testid="deadline-uncertain">
          {label.uncertain}
        </Tag>
      )}
    </span>
  );
}
