/**
 * The softphone strip: line registration, agent state with time in state (and the wrap-up timer),
 * and the controls for the focused call: answer, hang up, hold, mute, keypad, transfer,
 * conference, dial and redial.
 */
import { useEffect, useState } from 'react';
import { App as AntApp, Badge, Button, Dropdown, Input, Popover, Select, Space, Tooltip, Typography } from 'antd';
import {
  AudioMutedOutlined,
  HistoryOutlined,
  LogoutOutlined,
  NumberOutlined,
  PauseOutlined,
  PhoneOutlined,
  RedoOutlined,
  SettingOutlined,
  StopOutlined,
  SwapOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { AGENT_STATE_COLORS, NOT_READY_REASONS, type NotReadyReason } from '../../../shared/agent/state';
import { formatDuration } from '../../../shared/time/shanghai';
import { extendWrapUp, setNotReady, setReady, useAgentStore } from '../stores/agent-store';
import { useConnectionStore } from '../stores/connection-store';
import { signOut, usePlatformStore } from '../stores/platform-store';
import { focusedCall, useCallStore } from '../stores/call-store';
import { isLive } from '../../../shared/softphone/call-machine';
import { sipService } from './sip-service';
import { Keypad } from './Keypad';
import { TransferPanel } from './TransferPanel';

export function SoftphoneStrip({ onOpenSettings, onOpenCallLog }: { onOpenSettings: () => void; onOpenCallLog: () => void }) {
  const { t } = useTranslation();
  const status = useAgentStore((s) => s.status);
  const sip = useConnectionStore((s) => s.sip);
  const sipFailure = useConnectionStore((s) => s.sipFailure);
  const user = usePlatformStore((s) => s.status?.user);
  const wrapUpUntil = useAgentStore((s) => s.wrapUpUntil);
  const call = useCallStore(focusedCall);
  const calls = useCallStore((s) => s.calls);
  const lastDialled = useCallStore((s) => s.lastDialled);
  const live = calls.filter((c) => isLive(c.state));
  const anyRinging = calls.some((c) => c.state.kind === 'ringing');
  const ringing = call?.state.kind === 'ringing' || anyRinging;
  const callLive = !!call && isLive(call.state);
  const talking = call?.state.kind === 'active' || call?.state.kind === 'held';
  const held = call?.state.kind === 'held';
  const muted = !!call && 'muted' in call.state && call.state.muted;
  const conference = live.some((c) => c.conference);
  const pair = live.some((c) => c.consult && (c.state.kind === 'active' || c.state.kind === 'held')) && live.some((c) => !c.consult && (c.state.kind === 'active' || c.state.kind === 'held'));
  const [number, setNumber] = useState('');
  const [transferOpen, setTransferOpen] = useState(false);
  const { message } = AntApp.useApp();
  const dial = async (n = number) => {
    const r = await sipService.lines.dial(n);
    if (r === 'ok') setNumber('');
    else void message.warning(t(`softphone.dialError.${r}`));
  };
  const complete = async () => {
    const r = await sipService.lines.completeTransfer();
    if (r !== 'ok') void message.warning(t(`softphone.transferError.${r}`));
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
  const notAvailable = sip !== 'registered' && !callLive ? t('softphone.notAvailable') : undefined;

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
          {status.state === 'afterCallWork' && wrapUpUntil !== undefined && (
            <>
              <Typography.Text type="warning" data-testid="wrap-up-left">
                {t('softphone.wrapUpLeft', { time: formatDuration(Math.max(0, wrapUpUntil - now)) })}
              </Typography.Text>
              <Button size="small" onClick={() => extendWrapUp()} data-testid="extend-wrap-up">
                {t('softphone.extendWrapUp')}
              </Button>
            </>
          )}
        </Space>
      </Space>
      <Space size="small" className="softphone-strip__controls">
        <Tooltip title={notAvailable}>
          <Space.Compact>
            <Button
              icon={<PhoneOutlined />}
              type={ringing ? 'primary' : 'default'}
              disabled={!ringing || conference}
              onClick={() => void sipService.lines.answer(call?.state.kind === 'ringing' ? call.id : undefined)}
              data-testid="answer"
              aria-label={t('softphone.answer')}
            >
              {t('softphone.answer')}
            </Button>
            <Button icon={<StopOutlined />} danger disabled={!callLive} onClick={() => void sipService.lines.hangup()} data-testid="hangup" aria-label={t('softphone.hangup')}>
              {call?.state.kind === 'ringing' ? t('softphone.reject') : t('softphone.hangup')}
            </Button>
            <Button icon={<PauseOutlined />} disabled={!talking || conference} onClick={() => void sipService.lines.setHold(!held)} data-testid="hold" aria-pressed={held}>
              {held ? t('softphone.resume') : t('softphone.hold')}
            </Button>
            <Button icon={<AudioMutedOutlined />} disabled={!talking} onClick={() => sipService.lines.setMuted(!muted)} data-testid="mute" aria-pressed={muted}>
              {muted ? t('softphone.unmute') : t('softphone.mute')}
            </Button>
            <Popover trigger="click" content={<Keypad sent={call?.dtmf ?? ''} />} title={t('softphone.keypad')}>
              <Button icon={<NumberOutlined />} disabled={call?.state.kind !== 'active'} data-testid="keypad-toggle">
                {t('softphone.keypad')}
              </Button>
            </Popover>
            {pair ? (
              <Button icon={<SwapOutlined />} onClick={() => void complete()} data-testid="transfer-complete">
                {conference ? t('softphone.leaveConference') : t('softphone.transferComplete')}
              </Button>
            ) : (
              <Popover
                trigger="click"
                open={transferOpen && talking}
                onOpenChange={setTransferOpen}
                content={<TransferPanel onDone={() => setTransferOpen(false)} />}
                title={t('softphone.transfer')}
              >
                <Button icon={<SwapOutlined />} disabled={!talking || conference} data-testid="transfer" aria-label={t('softphone.transfer')}>
                  {t('softphone.transfer')}
                </Button>
              </Popover>
            )}
            {pair && !conference && (
              <Button icon={<TeamOutlined />} onClick={() => void sipService.lines.startConference()} data-testid="conference">
                {t('softphone.conference')}
              </Button>
            )}
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
            disabled={live.length > 0}
          />
          <Button icon={<PhoneOutlined />} onClick={() => void dial()} disabled={live.length > 0 || number.trim() === ''} data-testid="dial">
            {t('softphone.dial')}
          </Button>
          <Tooltip title={lastDialled ?? undefined}>
            <Button icon={<RedoOutlined />} onClick={() => lastDialled && void dial(lastDialled)} disabled={live.length > 0 || !lastDialled} data-testid="redial" aria-label={t('softphone.redial')}>
              {t('softphone.redial')}
            </Button>
          </Tooltip>
        </Space.Compact>
        <Button icon={<HistoryOutlined />} onClick={onOpenCallLog} data-testid="open-call-log">
          {t('callLog.title')}
        </Button>
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
