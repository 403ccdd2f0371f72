/**
 * The softphone strip: line registration, agent state with time in state, and call controls.
 * Call controls are wired to the SIP service in the softphone issue; here they show their state.
 */
import { useEffect, useState } from 'react';
import { App as AntApp, Badge, Button, Dropdown, Input, Select, Space, Tooltip, Typography } from 'antd';
import { AudioMutedOutlined, LogoutOutlined, PauseOutlined, PhoneOutlined, SettingOutlined, StopOutlined, SwapOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AGENT_STATE_COLORS, NOT_READY_REASONS, type NotReadyReason } from '../../../shared/agent/state';
import { formatDuration } from '../../../shared/time/shanghai';
import { setNotReady, setReady, useAgentStore } from '../stores/agent-store';
import { useConnectionStore } from '../stores/connection-store';
import { signOut, usePlatformStore } from '../stores/platform-store';
import { useCallStore } from '../stores/call-store';
import { isLive } from '../../../shared/softphone/call-machine';
import { sipService } from './sip-service';

export function SoftphoneStrip({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { t } = useTranslation();
  const status = useAgentStore((s) => s.status);
  const sip = useConnectionStore((s) => s.sip);
  const sipFailure = useConnectionStore((s) => s.sipFailure);
  const user = usePlatformStore((s) => s.status?.user);
  const call = useCallStore((s) => s.call);
  const ringing = call?.state.kind === 'ringing';
  const live = !!call && isLive(call.state);
  const talking = call?.state.kind === 'active' || call?.state.kind === 'held';
  const held = call?.state.kind === 'held';
  const muted = !!call && 'muted' in call.state && call.state.muted;
  const [number, setNumber] = useState('');
  const { message } = AntApp.useApp();
  const dial = async () => {
    const r = await sipService.dial(number);
    if (r === 'ok') setNumber('');
    else void message.warning(t(`softphone.dialError.${r}`));
  };
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);

  const stateValue = status.state === 'notReady' ? `notReady:${status.reason ?? 'other'}` : status.state;
  const options = [
    ...(status.state === 'afterCallWork' ? [{ value: 'afterCallWork', label: t('agent.state.afterCallWork'), disabled: true }] : []),
    { value: 'ready', label: t('agent.state.ready') },
    ...NOT_READY_REASONS.map((r) => ({ value: `notReady:${r}`, label: `${t('agent.state.notReady')} · ${t(`agent.reason.${r}`)}` })),
  ];
  const notAvailable = !live ? t('softphone.notAvailable') : undefined;

  return (
    <div className="softphone-strip">
      <Space size="middle" wrap>
        <Typography.Text strong className="softphone-strip__title">
          {t('app.title')}
        </Typography.Text>
        <Badge
          status={sip === 'registered' ? 'success' : sip === 'failed' ? 'error' : 'default'}
          text={sip === 'failed' && sipFailure ? t(`softphone.failure.${sipFailure}`) : t(`softphone.registration.${sip}`)}
          data-testid="registration"
        />
        <Space size="small" data-testid="agent-state">
          <span className="agent-dot" style={{ background: AGENT_STATE_COLORS[status.state] }} aria-hidden />
          {status.state === 'onCall' || status.state === 'offline' ? (
            <Typography.Text>{t(`agent.state.${status.state}`)}</Typography.Text>
          ) : (
            <Select
              aria-label={t('agent.chooseReason')}
              data-testid="agent-state-select"
              value={stateValue}
              style={{ minWidth: 160 }}
              options={options}
              onChange={(v: string) => (v === 'ready' ? setReady() : setNotReady(v.split(':')[1] as NotReadyReason))}
            />
          )}
          <Tooltip title={t('agent.timeInState')}>
            <Typography.Text type="secondary" data-testid="time-in-state">
              {formatDuration(now - status.since)}
            </Typography.Text>
          </Tooltip>
        </Space>
      </Space>
      <Space size="small" className="softphone-strip__controls">
        <Tooltip title={notAvailable}>
          <Space.Compact>
            <Button
              icon={<PhoneOutlined />}
              type={ringing ? 'primary' : 'default'}
              disabled={!ringing}
              onClick={() => void sipService.answer()}
              data-testid="answer"
              aria-label={t('softphone.answer')}
            >
              {t('softphone.answer')}
            </Button>
            <Button icon={<StopOutlined />} danger disabled={!live} onClick={() => void sipService.hangup()} data-testid="hangup" aria-label={t('softphone.hangup')}>
              {ringing ? t('softphone.reject') : t('softphone.hangup')}
            </Button>
            <Button icon={<PauseOutlined />} disabled={!talking} onClick={() => void sipService.setHold(!held)} data-testid="hold" aria-pressed={held}>
              {held ? t('softphone.resume') : t('softphone.hold')}
            </Button>
            <Button icon={<AudioMutedOutlined />} disabled={!talking} onClick={() => sipService.setMuted(!muted)} data-testid="mute" aria-pressed={muted}>
              {muted ? t('softphone.unmute') : t('softphone.mute')}
            </Button>
            <Button icon={<SwapOutlined />} disabled aria-label={t('softphone.transfer')}>
              {t('softphone.transfer')}
            </Button>
          </Space.Compact>
        </Tooltip>
        <Space.Compact>
          <Input
            value={number}
            onChange={(e) => setNumber(e.target.value.replace(/[^\d+\-\s]/g, ''))}
            onPressEnter={() => void dial()}
            placeholder={t('softphone.dialPlaceholder')}
            aria-label={t('softphone.dialPlaceholder')}
            style={{ width: 160 }}
            data-testid="dial-input"
            disabled={live}
          />
          <Button icon={<PhoneOutlined />} onClick={() => void dial()} disabled={live || number.trim() === ''} data-testid="dial">
            {t('softphone.dial')}
          </Button>
        </Space.Compact>
        <Button icon={<SettingOutlined />} onClick={onOpenSettings} data-testid="open-settings">
          {t('settings.open')}
        </Button>
        {user && (
          <Dropdown
            trigger={['click']}
            menu={{ items: [{ key: 'signOut', icon: <LogoutOutlined />, label: t('signIn.signOut'), onClick: () => void signOut() }] }}
          >
            <Button icon={<UserOutlined />} data-testid="user-menu">
              {user.displayName}（{user.account}）
            </Button>
          </Dropdown>
        )}
      </Space>
    </div>
  );
}
