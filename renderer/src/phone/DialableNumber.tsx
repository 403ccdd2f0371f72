/**
 * A phone number as shown anywhere in the workstation, with click-to-dial: while the line is
 * registered and free, a valid number is a link that calls it. Shown as `label` (a caller's
 * number masked; the call goes to the full number without showing it) or as given; always plain
 * text, never markup.
 */
import { useDeferredValue } from 'react';
import { Button, Tooltip } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { classifyPhone, normalizePhone } from '../../../shared/base/phone-number';
import { hasLiveCall, useCallStore } from './call-store';
import { useRegistrationStore } from './registration-store';
import { useDial } from './useDial';

export function DialableNumber({ number, label = number, testId, className }: { number: string; label?: string; testId?: string; className?: string }) {
  const { t } = useTranslation();
  const dial = useDial();
  const busy = useDeferredValue(useCallStore(hasLiveCall));
  const registered = useRegistrationStore((s) => s.sip === 'registered');
  const target = normalizePhone(number);
  if (busy || !registered || !classifyPhone(target)) {
    return (
      <span className={className} data-testid={testId}>
        {label}
      </span>
    );
  }
  return (
    <Tooltip title={t('callLog.callBackTo', { number: label })}>
      <Button type="link" size="small" icon={<PhoneOutlined />} onClick={() => void dial(target)} data-testid={testId} data-dialable="true" className="dialable-number">
        {label}
      </Button>
    </Tooltip>
  );
}
