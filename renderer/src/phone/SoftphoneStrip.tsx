/**
 * The softphone strip: line registration, agent state with time in state (and the wrap-up timer),
 * the controls for the focused call, dial and redial, the call log, settings and the user menu.
 * Each part subscribes to what it shows (see strip/), so a ringing call re-renders the call
 * controls, not the whole strip.
 */
import { memo } from 'react';
import { Badge, Button, Space, Typography } from 'antd';
import { HistoryOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useRegistrationStore } from './registration-store';
import { UserMenu } from '../session/UserMenu';
import { AgentStatePanel } from '../agent/AgentStatePanel';
import { CallControls } from './strip/CallControls';
import { DialBox } from './strip/DialBox';

function Registration() {
  const { t } = useTranslation();
  const sip = useRegistrationStore((s) => s.sip);
  const sipFailure = useRegistrationStore((s) => s.sipFailure);
  return (
    <Badge
      status={sip === 'registered' ? 'success' : sip === 'failed' ? 'error' : 'default'}
      text={sip === 'failed' && sipFailure ? t(`phone.failure.${sipFailure}`) : t(`phone.registration.${sip}`)}
      data-testid="registration"
    />
  );
}

export const SoftphoneStrip = memo(function SoftphoneStrip({ onOpenSettings, onOpenCallLog }: { onOpenSettings: () => void; onOpenCallLog: () => void }) {
  const { t } = useTranslation();
  return (
    // Two fixed rows (nothing wraps or moves when the state changes): who and in which state, with
    // the call log, settings and the signed-in user; then the call controls and the dial box.
    <div className="softphone-strip">
      <div className="softphone-strip__row">
        <Space size="middle">
          <Typography.Text strong className="softphone-strip__title">
            {t('app.title')}
          </Typography.Text>
          <Registration />
          <AgentStatePanel />
        </Space>
        <Space size="small">
          <Button icon={<HistoryOutlined />} onClick={onOpenCallLog} data-testid="open-call-log">
            {t('callLog.title')}
          </Button>
          <Button icon={<SettingOutlined />} onClick={onOpenSettings} data-testid="open-settings">
            {t('settings.open')}
          </Button>
          <UserMenu />
        </Space>
      </div>
      <div className="softphone-strip__row softphone-strip__controls">
        <CallControls />
        <DialBox />
      </div>
    </div>
  );
});
