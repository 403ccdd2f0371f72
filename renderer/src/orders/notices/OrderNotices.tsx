/**
 * What the agent must know about their orders: a return (退单) with its reason, a supervision (督办)
 * note (a desktop notification went out as they arrived), and a local database that was wiped
 * since the last start with how many unsent records it held. Shown above the work-order card until
 * the agent dismisses each one.
 */
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import { hhmm } from '../form/labels';
import { dismissDataLoss, dismissNotice, useOrdersStore } from '../orders-store';

export function OrderNotices() {
  const { t } = useTranslation();
  const notices = useOrdersStore((s) => s.notices);
  const loss = useOrdersStore((s) => s.dataLoss);
  if (notices.length === 0 && !loss) return null;
  return (
    <>
      {loss && (
        <Alert
          type="error"
          showIcon
          title={t('orders.dataLoss.title')}
          description={t('orders.dataLoss.body', { n: loss.lostPending, time: `${shanghaiDate(loss.lastSeenAt)} ${hhmm(loss.lastSeenAt)}` })}
          closable={{ onClose: dismissDataLoss, 'aria-label': t('orders.notice.dismiss') }}
          data-testid="orders-data-loss"
          data-lost={loss.lostPending}
        />
      )}
      {notices.map((n) => (
        <Alert
          key={n.seq}
          type={n.action === 'return' ? 'warning' : 'info'}
          showIcon
          title={t(`orders.notice.${n.action}`, { orderNo: n.orderNo })}
          description={n.reason ? t(n.action === 'return' ? 'orders.notice.returnReason' : n.action === 'handling' ? 'orders.notice.handlingNote' : 'orders.notice.superviseNote', { reason: n.reason }) : undefined}
          closable={{ onClose: () => dismissNotice(n.seq), 'aria-label': t('orders.notice.dismiss') }}
          data-testid="order-notice"
          data-action={n.action}
          data-order-no={n.orderNo}
        />
      ))}
    </>
  );
}
