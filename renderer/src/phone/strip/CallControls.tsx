/**
 * Controls for the focused call: answer, hang up / reject, hold, mute, keypad, transfer,
 * complete the transfer or leave the conference, merge into a conference. They follow a few
 * flags derived from the call store (compared shallowly), so they render when a button changes,
 * not on every store update; and they render just after the screen pop (deferred value), so a
 * ringing call is painted first and its buttons a frame later. The answer action reads the
 * store, not the button, so it is never stale.
 */
import { memo, useDeferredValue, useState } from 'react';
import { App as AntApp, Button, Popover, Space, Tooltip } from 'antd';
import { AudioMutedOutlined, NumberOutlined, PauseOutlined, PhoneOutlined, StopOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { controlsView, useCallStore, type ControlsView } from '../call-store';
import { useRegistrationStore } from '../registration-store';
import { sipService } from '../sip-service';
import { Keypad } from '../Keypad';
import { TransferPanel } from '../TransferPanel';

export function CallControls() {
  const v = useDeferredValue(useCallStore(useShallow(controlsView)));
  const registered = useDeferredValue(useRegistrationStore((s) => s.sip === 'registered'));
  return <ControlsBar v={v} registered={registered} />;
}

const ControlsBar = memo(function ControlsBar({ v, registered }: { v: ControlsView; registered: boolean }) {
  const { t } = useTranslation();
  const [transferOpen, setTransferOpen] = useState(false);
  const { message } = AntApp.useApp();
  const complete = async () => {
    const r = await sipService.lines.completeTransfer();
    if (r !== 'ok') void message.warning(t(`phone.transferError.${r}`));
  };
  const notAvailable = !registered && !v.live ? t('phone.notAvailable') : undefined;
  const ringing = v.ringingId !== null;
  return (
    <Tooltip title={notAvailable}>
      <Space.Compact>
        <Button
          icon={<PhoneOutlined />}
          type={ringing ? 'primary' : 'default'}
          disabled={!ringing || v.conference}
          onClick={() => void sipService.lines.answer(v.ringingId ?? undefined)}
          data-testid="answer"
          aria-label={t('phone.answer')}
        >
          {t('phone.answer')}
        </Button>
        <Button icon={<StopOutlined />} danger disabled={!v.live} onClick={() => void sipService.lines.hangup()} data-testid="hangup" aria-label={t('phone.hangup')}>
          {v.focusedRinging ? t('phone.reject') : t('phone.hangup')}
        </Button>
        <Button icon={<PauseOutlined />} disabled={!v.talking || v.conference} onClick={() => void sipService.lines.setHold(!v.held)} data-testid="hold" aria-pressed={v.held}>
          {v.held ? t('phone.resume') : t('phone.hold')}
        </Button>
        <Button icon={<AudioMutedOutlined />} disabled={!v.talking} onClick={() => sipService.lines.setMuted(!v.muted)} data-testid="mute" aria-pressed={v.muted}>
          {v.muted ? t('phone.unmute') : t('phone.mute')}
        </Button>
        <Popover trigger="click" content={<Keypad sent={v.dtmf} />} title={t('phone.keypad')}>
          <Button icon={<NumberOutlined />} disabled={!v.active} data-testid="keypad-toggle">
            {t('phone.keypad')}
          </Button>
        </Popover>
        {v.pair ? (
          <Button icon={<SwapOutlined />} onClick={() => void complete()} data-testid="transfer-complete">
            {v.conference ? t('phone.leaveConference') : t('phone.transferComplete')}
          </Button>
        ) : (
          <Popover
            trigger="click"
            open={transferOpen && v.talking}
            onOpenChange={setTransferOpen}
            content={<TransferPanel onDone={() => setTransferOpen(false)} />}
            title={t('phone.transfer')}
          >
            <Button icon={<SwapOutlined />} disabled={!v.talking || v.conference} data-testid="transfer" aria-label={t('phone.transfer')}>
              {t('phone.transfer')}
            </Button>
          </Popover>
        )}
        {v.pair && !v.conference && (
          <Button icon={<TeamOutlined />} onClick={() => void sipService.lines.startConference()} data-testid="conference">
            {t('phone.conference')}
          </Button>
        )}
      </Space.Compact>
    </Tooltip>
  );
});
