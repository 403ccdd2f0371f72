/**
 * Controls for the focused call: answer, hang up / reject, hold, mute, keypad, transfer,
 * complete the transfer or leave the conference, merge into a conference. They follow a few
 * flags derived from the call store (compared shallowly), so they render when a button changes,
 * not on every store update; and they render just after the screen pop (deferred value), so a
 * ringing call is painted first and its buttons a frame later. The answer action reads the
 * store, not the button, so it is never stale.
 */
import { lazy, memo, Suspense, useDeferredValue, useState } from 'react';
import { App as AntApp, Button, Popover, Space, Tooltip } from 'antd';
import { AudioMutedOutlined, NumberOutlined, PauseOutlined, PhoneOutlined, StopOutlined, SwapOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { controlsView, useCallStore, type ControlsView } from '../call-store';
import { useRegistrationStore } from '../registration-store';
import { sipService } from '../sip-service';
import { toggleKeypad, useKeypadStore } from '../keypad-store';
import { useSettingsStore } from '../../settings/settings-store';
import { formatAccelerator } from '../../../../shared/shortcuts/format';
import { shortcutPlatform } from '../../shortcuts/global-shortcuts';

// The directory panel loads when the agent first opens it (not with the shell).
const TransferPanel = lazy(() => import('../../transfers/TransferPanel').then((m) => ({ default: m.TransferPanel })));

export function CallControls() {
  const v = useDeferredValue(useCallStore(useShallow(controlsView)));
  const registered = useDeferredValue(useRegistrationStore((s) => s.sip === 'registered'));
  return <ControlsBar v={v} registered={registered} />;
}

/**
 * A label that keeps the width of the longer of its two texts (e.g. 静音 / 取消静音), so the
 * buttons do not move under the mouse when the state changes.
 */
function StableLabel({ shown, other }: { shown: string; other: string }) {
  return (
    // The other text takes its room invisibly (a CSS pseudo-element: not in the button's text).
    <span className="stable-label" data-other={other}>
      <span>{shown}</span>
    </span>
  );
}

/** "Answer (Ctrl+Shift+A)": the action and its key in the agent's notation. */
function keyHint(action: string, keys: string): string {
  return keys ? `${action}（${keys}）` : action;
}

/** The call-control keys from the settings, in the agent's notation and as aria-keyshortcuts. */
function useCallKeys() {
  const shortcuts = useSettingsStore((s) => s.settings?.shortcuts);
  const shown = (a: 'answer' | 'hangup' | 'hold' | 'mute') => (shortcuts ? formatAccelerator(shortcuts[a], shortcutPlatform) : '');
  const aria = (a: 'answer' | 'hangup' | 'hold' | 'mute') => shown(a).replace(/\bCtrl\b/g, 'Control').replace(/⌘/g, 'Meta') || undefined;
  return {
    answer: shown('answer'),
    hangup: shown('hangup'),
    hold: shown('hold'),
    mute: shown('mute'),
    answerAria: aria('answer'),
    hangupAria: aria('hangup'),
    holdAria: aria('hold'),
    muteAria: aria('mute'),
  };
}

const ControlsBar = memo(function ControlsBar({ v, registered }: { v: ControlsView; registered: boolean }) {
  const { t } = useTranslation();
  const keys = useCallKeys();
  const keypadOpen = useKeypadStore((s) => s.open);
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
      <Space.Compact className="call-controls" data-testid="call-controls">
        <Tooltip title={keyHint(t('phone.answer'), keys.answer)}>
          <Button
            icon={<PhoneOutlined />}
            type={ringing ? 'primary' : 'default'}
            disabled={!ringing || v.conference}
            onClick={() => void sipService.lines.answer(v.ringingId ?? undefined)}
            data-testid="answer"
            aria-label={t('phone.answer')}
            aria-keyshortcuts={keys.answerAria}
          >
            {t('phone.answer')}
          </Button>
        </Tooltip>
        <Tooltip title={keyHint(v.focusedRinging ? t('phone.reject') : t('phone.hangup'), keys.hangup)}>
          <Button icon={<StopOutlined />} danger disabled={!v.live} onClick={() => void sipService.lines.hangup()} data-testid="hangup" aria-label={v.focusedRinging ? t('phone.reject') : t('phone.hangup')} aria-keyshortcuts={keys.hangupAria}>
            <StableLabel shown={v.focusedRinging ? t('phone.reject') : t('phone.hangup')} other={v.focusedRinging ? t('phone.hangup') : t('phone.reject')} />
          </Button>
        </Tooltip>
        <Tooltip title={keyHint(v.held ? t('phone.resume') : t('phone.hold'), keys.hold)}>
          <Button
            icon={<PauseOutlined />}
            // Held is a state the agent must not miss: the button stays filled while it lasts.
            color={v.held ? 'orange' : 'default'}
            variant={v.held ? 'solid' : 'outlined'}
            disabled={!v.talking || v.conference || v.holdPending !== null}
            onClick={() => void sipService.lines.setHold(!v.held)}
            data-testid="hold"
            aria-pressed={v.held}
            aria-keyshortcuts={keys.holdAria}
          >
            <StableLabel shown={v.holdPending ? t(`call.${v.holdPending}`) : v.held ? t('phone.resume') : t('phone.hold')} other={v.held ? t('phone.hold') : t('phone.resume')} />
          </Button>
        </Tooltip>
        <Tooltip title={keyHint(v.muted ? t('phone.unmute') : t('phone.mute'), keys.mute)}>
          <Button
            icon={<AudioMutedOutlined />}
            // So is muted: the caller cannot hear the agent.
            color={v.muted ? 'danger' : 'default'}
            variant={v.muted ? 'solid' : 'outlined'}
            disabled={!v.talking}
            onClick={() => sipService.lines.setMuted(!v.muted)}
            data-testid="mute"
            aria-pressed={v.muted}
            aria-keyshortcuts={keys.muteAria}
          >
            <StableLabel shown={v.muted ? t('phone.unmute') : t('phone.mute')} other={v.muted ? t('phone.mute') : t('phone.unmute')} />
          </Button>
        </Tooltip>
        {/* The keypad opens inside the call card, beside the caller (never over the number). */}
        <Button icon={<NumberOutlined />} disabled={!v.active} onClick={toggleKeypad} data-testid="keypad-toggle" aria-expanded={keypadOpen && v.active}>
          {t('phone.keypad')}
        </Button>
        {v.pair ? (
          <Button icon={<SwapOutlined />} onClick={() => void complete()} data-testid="transfer-complete">
            {v.conference ? t('phone.leaveConference') : t('phone.transferComplete')}
          </Button>
        ) : (
          <Popover
            trigger="click"
            open={transferOpen && v.talking}
            onOpenChange={setTransferOpen}
            content={
              <Suspense fallback={null}>
                <TransferPanel onDone={() => setTransferOpen(false)} />
              </Suspense>
            }
            destroyOnHidden
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
