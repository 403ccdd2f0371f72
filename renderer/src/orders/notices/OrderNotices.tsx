/**
 * What the platform did to this agent's orders that needs them: a return (退单) with its reason, a
 * supervision (督办) note. Shown above the work-order card until the agent dismisses each one (a
 * desktop notification went out as they arrived).
 */
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { dismissNotice, useOrdersStore } from '../orders-store';

export function OrderNotices() {
  const { t } = useTranslation();
  const notices = useOrdersStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map((n) => (
        <Alert
          key={n.seq}
          type={n.action === 'return' ? 'warning' : 'info'}
          showIcon
          title={t(`orders.notice.${n.action}`, { orderNo: n.orderNo })}
          description={n.reason ? t(n.action === 'return' ? 'orders.notice.returnReason' : 'orders.notice.superviseNote', { reason: n.reason }) : undefined}
          closable={{ onClose: () => dismissNotice(n.seq), 'aria-label': t('orders.notice.dismiss') }}
          data-testid="order-notice"
          data-action={n.action}
          data-order-no={n.orderNo}
        />
      ))}
    </>
  );
}
