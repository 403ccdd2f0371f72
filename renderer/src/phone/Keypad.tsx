/** The in-call keypad: DTMF digits to IVRs and gateways (also typed on the keyboard while open). */
import { Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { sipService } from './sip-service';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

export function Keypad({ sent }: { sent: string }) {
  const { t } = useTranslation();
  const press = (key: string) => void sipService.lines.sendDtmf(key);
  return (
    <div
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
