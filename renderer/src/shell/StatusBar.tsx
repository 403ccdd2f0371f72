/** Connection to SIP, to the platform, and the time in Beijing. */
import { Badge, Space, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useRegistrationStore } from '../phone/registration-store';
import { useSessionStore } from '../session/session-store';
import { shanghaiTime } from '../../../shared/base/shanghai-time';
import { useNow } from '../ui/useNow';

/** Beijing time; ticks on its own so that the rest of the bar renders only when it changes. */
function Clock() {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <span className="status-bar__clock" title={t('status.clock')}>
      {t('status.clock')} {shanghaiTime(now)}
    </span>
  );
}

export function StatusBar() {
  const { t } = useTranslation();
  const sip = useRegistrationStore((s) => s.sip);
  const sipInsecure = useRegistrationStore((s) => s.sipInsecure);
  const platform = useSessionStore((s) => s.status);
  const sipStatus = sip === 'registered' ? 'success' : sip === 'failed' ? 'error' : sip === 'connecting' ? 'processing' : 'default';
  const platformState = platform?.state ?? 'signedOut';
  const platformStatus = platformState === 'online' ? 'success' : platformState === 'offline' ? 'warning' : 'default';
  return (
    <Space size="large" className="status-bar" data-testid="status-bar">
      <span data-testid="status-sip">
        <Badge status={sipStatus} text={`${t('status.sip')}：${t(`phone.registration.${sip}`)}`} />
        {sipInsecure && <Tooltip title={t('status.insecure')}> ⚠</Tooltip>}
      </span>
      <span data-testid="status-platform">
        <Tooltip title={platform?.baseUrl}>
          <Badge status={platformStatus} text={`${t('status.platform')}：${t(`session.${platformState}`)}`} />
        </Tooltip>
      </span>
      <Clock />
    </Space>
  );
}
