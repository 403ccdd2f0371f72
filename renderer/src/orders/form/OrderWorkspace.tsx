/**
 * The work-order card's body, loaded lazily with its form: the draft tabs (more than one open
 * draft), the active draft's form, and what happened to the last submit or action.
 */
import { useCallback, useDeferredValue, useState } from 'react';
import { Alert, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useOrdersStore, type DraftView } from '../orders-store';
import { DraftTabs } from './DraftTabs';
import { OrderForm } from './OrderForm';
import { refusalText } from './labels';

export function OrderWorkspace() {
  const { t } = useTranslation();
  // Another draft (a call that rings) is shown after the urgent updates (the ringing call, its
  // pop): mounting a form is the heaviest render of the work area. Edits to the shown draft are
  // never deferred, so typing and input methods stay immediate.
  const activeId = useOrdersStore((s) => s.activeDraftId);
  const shownId = useDeferredValue(activeId);
  const draft = useOrdersStore((s) => (shownId ? s.drafts[shownId] : undefined));
  const [notice, setNotice] = useState<{ kind: 'success' | 'error'; text: string; draftId?: string } | null>(null);
  const onError = useCallback((message: string) => setNotice({ kind: 'error', text: t('orders.failed', { message }) }), [t]);
  const onSubmitted = useCallback(
    (d: DraftView) =>
      setNotice({
        kind: 'success',
        text: d.mergeInto ? t('orders.form.submittedFollowUp', { orderNo: d.mergeInto.orderNo }) : t('orders.form.submitted'),
        draftId: d.mergeInto ? undefined : d.id,
      }),
    [t],
  );
  const open = draft && draft.state === 'open' ? draft : undefined;
  return (
    <div data-testid="order-workspace" style={{ display: 'grid', gap: 8 }}>
      <DraftTabs onError={onError} />
      {notice && (
        <Alert
          type={notice.kind}
          showIcon
          closable={{ onClose: () => setNotice(null) }}
          title={notice.draftId ? <SubmittedOrder draftId={notice.draftId} fallback={notice.text} /> : notice.text}
          data-testid={notice.kind === 'success' ? 'order-submitted' : 'order-action-error'}
        />
      )}
      {open?.refused && <Alert type="error" showIcon title={t('orders.refusedTitle')} description={refusalText(open.refused, t)} data-testid="order-refused" />}
      {open ? (
        <OrderForm draft={open} onSubmitted={onSubmitted} onError={onError} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.noDraft')} data-testid="order-no-draft" />
      )}
    </div>
  );
}

/**
 * The order just submitted: saved and waiting for the platform, then its number — the agent
 * reads it to the caller ("您的工单编号是…"), so it shows here the moment it comes back.
 */
function SubmittedOrder({ draftId, fallback }: { draftId: string; fallback: string }) {
  const { t } = useTranslation();
  const orderNo = useOrdersStore((s) => s.myOrders.find((o) => o.id === draftId)?.orderNo);
  if (!orderNo) return <>{fallback}</>;
  return (
    <>
      {t('orders.form.submittedNumber')}{' '}
      <Typography.Text strong copyable className="tabular" data-testid="order-number">
        {orderNo}
      </Typography.Text>
    </>
  );
}
