/**
 * 并单: open orders that may be the same matter (same caller or address). 「并入此工单」 makes
 * this call a follow-up of that order instead of a new one; the banner says so, with an undo.
 */
import { Alert, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { setMergeTarget, type DraftView } from '../orders-store';

export function MergeBanner({ draft, onError }: { draft: DraftView; onError: (message: string) => void }) {
  const { t } = useTranslation();
  if (!draft.mergeInto) return null;
  return (
    <Alert
      type="info"
      showIcon
      data-testid="merge-banner"
      title={t('orders.merge.mergedInto', { orderNo: draft.mergeInto.orderNo })}
      action={
        <Button size="small" data-testid="merge-undo" onClick={() => guard(() => setMergeTarget(draft.id, undefined), onError)}>
          {t('orders.merge.undo')}
        </Button>
      }
    />
  );
}

export function MergeCandidates({ draft, onError }: { draft: DraftView; onError: (message: string) => void }) {
  const { t } = useTranslation();
  if (draft.similar.length === 0) return null;
  return (
    <div data-testid="merge-panel">
      <Typography.Text strong>{t('orders.merge.title')}</Typography.Text> <Typography.Text type="secondary">{t('orders.merge.hint')}</Typography.Text>
      <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
        {draft.similar.map((o) => {
          const current = draft.mergeInto?.orderId === o.id;
          return (
            <li key={o.id} data-testid="merge-candidate" data-order-no={o.orderNo}>
              <Typography.Text code>{o.orderNo}</Typography.Text> <span className="tabular">{o.createdAt.slice(0, 10)}</span> {o.confidential ? t('orders.pop.confidential') : o.title}{' '}
              <Typography.Text type="secondary">{o.matchedBy.map((m) => t(`orders.merge.matched.${m}`)).join('、')}</Typography.Text>{' '}
              <Button
                size="small"
                type={current ? 'primary' : 'default'}
                disabled={current}
                data-testid={`merge-into-${o.orderNo}`}
                onClick={() => guard(() => setMergeTarget(draft.id, { orderId: o.id, orderNo: o.orderNo }), onError)}
              >
                {t('orders.merge.mergeInto')}
              </Button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function guard(action: () => void, onError: (message: string) => void): void {
  try {
    action();
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
  }
}
