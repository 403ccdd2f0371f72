/**
 * The in-call keypad: DTMF digits to IVRs and gateways (also typed on the keyboard while open), a
 * 3×4 telephone grid. It opens inside the call card, beside the caller's name and number (never
 * over them), while the focused call is talking.
 */
import { useEffect, useRef } from 'react';
import { Button, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { sipService } from './sip-service';
import { closeKeypad, useKeypadStore } from './keypad-store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** The keypad panel of the call card, when open and the call is talking. */
export function KeypadPanel({ sent, active }: { sent: string; active: boolean }) {
  const { t } = useTranslation();
  const open = useKeypadStore((s) => s.open);
  useEffect(() => {
    if (!active) closeKeypad();
  }, [active]);
  if (!open || !active) return null;
  return (
    <div className="keypad-panel" role="group" aria-label={t('phone.keypad')}>
      <div className="keypad-panel__head">
        <Typography.Text strong>{t('phone.keypad')}</Typography.Text>
        <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('phone.keypadClose')} onClick={closeKeypad} data-testid="keypad-close" />
      </div>
      <Keypad sent={sent} />
    </div>
  );
}

export function Keypad({ sent }: { sent: string }) {
  const { t } = useTranslation();
  const press = (key: string) => void sipService.lines.sendDtmf(key);
  const ref = useRef<HTMLDivElement>(null);
  // Focused when it opens, so digits can be typed at once.
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return (
    <div
      ref={ref}
      className="keypad"
      data-testid="keypad"
      tabIndex={0}
      onKeyDown={(e) => {
        if ((KEYS as readonly string[]).includes(e.key)) {
          e.preventDefault();
          press(e.key);
        }
      }}
    >
      <div className="keypad__grid">
        {KEYS.map((k) => (
          <Button key={k} onClick={() => press(k)} data-testid={`dtmf-${k === '*' ? 'star' : k === '#' ? 'hash' : k}`}>
            {k}
          </Button>
        ))}
      </div>
      <Typography.Text type="secondary" data-testid="dtmf-sent">
        {t('phone.dtmfSent')}: {sent || '—'}
      </Typography.Text>
    </div>
  );
}
