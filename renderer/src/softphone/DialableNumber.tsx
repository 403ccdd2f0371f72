/**
 * A phone number as shown anywhere in the workstation, with click-to-dial: while the line is
 * registered and free, a valid number is a link that calls it. Shown as given (the caller views
 * that need it unmasked pass it unmasked); always plain text, never markup.
 */
import { useDeferredValue } from 'react';
import { App as AntApp, Button, Tooltip } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { classifyPhone, normalizePhone } from '../../../shared/domain/phone';
import { isLive } from '../../../shared/softphone/call-machine';
import { useCallStore } from '../stores/call-store';
import { useConnectionStore } from '../stores/connection-store';
import { sipService } from './sip-service';

export function DialableNumber({ number, testId, className }: { number: string; testId?: string; className?: string }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const free = useDeferredValue(useCallStore((s) => !s.calls.some((c) => isLive(c.state))));
  const registered = useConnectionStore((s) => s.sip === 'registered');
  const target = normalizePhone(number);
  if (!free || !registered || !classifyPhone(target)) {
    return (
      <span className={className} data-testid={testId}>
        {number}
      </span>
    );
  }
  const dial = async () => {
    const r = await sipService.lines.dial(target);
    if (r !== 'ok') void message.warning(t(`softphone.dialError.${r}`));
  };
  return (
    <Tooltip title={t('callLog.callBackTo', { number })}>
      <Button type="link" size="small" icon={<PhoneOutlined />} onClick={() => void dial()} data-testid={testId} data-dialable="true" className="dialable-number">
        {number}
      </Button>
    </Tooltip>
  );
}
