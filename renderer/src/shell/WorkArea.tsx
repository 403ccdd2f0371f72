/** The central work area: the screen-pop card above the work-order form. */
import { Alert, Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CallCard } from '../phone/CallCard';
import { useCallStore } from '../phone/call-store';

export function WorkArea() {
  const { t } = useTranslation();
  const hasCall = useCallStore((s) => s.calls.length > 0);
  return (
    <div className="work-area">
      <Card title={t('work.screenPop')} size="small" data-testid="screen-pop">
        {hasCall ? (
          <CallCard />
        ) : (
          <Empty description={t('work.waiting')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
            <Typography.Text type="secondary">{t('work.waitingHint')}</Typography.Text>
          </Empty>
        )}
      </Card>
      <Card title={t('work.workOrder')} size="small" data-testid="work-order">
        {/* Work orders arrive with their own issue; until then the card says so plainly. */}
        <Alert type="info" showIcon title={t('work.workOrderComing')} data-testid="work-order-coming" />
      </Card>
    </div>
  );
}
