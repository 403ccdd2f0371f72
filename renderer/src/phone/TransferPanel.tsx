/**
 * One-click transfer (双向一键转接): a target number or a frequent target, then either transfer at
 * once (blind) or consult first (attended: the caller waits on hold while the agent talks to the target).
 * Either way the caller stays on this seat's line until the target answered (TransferStatus).
 */
import { useState } from 'react';
import { App as AntApp, Button, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { sipService } from './sip-service';

/** National service and emergency lines every 12345 center transfers to. */
export const QUICK_TARGETS = [
  { number: '12366', label: '税务 12366' },
  { number: '12360', label: '海关 12360' },
  { number: '12367', label: '移民 12367' },
  { number: '110', label: '110' },
  { number: '119', label: '119' },
  { number: '120', label: '120' },
] as const;

export function TransferPanel({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [number, setNumber] = useState('');
  const blind = async () => {
    // 'ok': the caller is on hold and the REFER is on its way; the call card shows how it goes
    // (转接中 until the target answers, or why it failed with the caller back on the line).
    const r = await sipService.lines.blindTransfer(number);
    if (r === 'ok') onDone();
    else void message.warning(t(`phone.transferError.${r}`));
  };
  const consult = async () => {
    const r = await sipService.lines.consult(number);
    if (r === 'ok') onDone();
    else void message.warning(t(`phone.transferError.${r}`));
  };
  return (
    <Space orientation="vertical" size="small" style={{ width: 260 }} data-testid="transfer-panel">
      <Input
        value={number}
        autoFocus
        onChange={(e) => setNumber(e.target.value.replace(/[^\d+\-\s]/g, ''))}
        placeholder={t('phone.transferTo')}
        aria-label={t('phone.transferTo')}
        data-testid="transfer-number"
        onPressEnter={() => void blind()}
      />
      <Typography.Text type="secondary">{t('phone.quickTargets')}</Typography.Text>
      <Space size={[4, 4]} wrap>
        {QUICK_TARGETS.map((q) => (
          <Tag.CheckableTag key={q.number} checked={number === q.number} onChange={() => setNumber(q.number)}>
            {q.label}
          </Tag.CheckableTag>
        ))}
      </Space>
      <Space>
        <Button type="primary" disabled={!number} onClick={() => void blind()} data-testid="transfer-blind">
          {t('phone.transferBlind')}
        </Button>
        <Button disabled={!number} onClick={() => void consult()} data-testid="transfer-consult">
          {t('phone.transferConsult')}
        </Button>
      </Space>
    </Space>
  );
}
