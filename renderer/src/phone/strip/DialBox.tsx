/** Number field, dial and redial: usable while no line is up (follows the calls a frame late, see CallControls). */
import { memo, useDeferredValue, useState } from 'react';
import { Button, Input, Space, Tooltip } from 'antd';
import { PhoneOutlined, RedoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { hasLiveCall, useCallStore } from '../call-store';
import { useDial } from '../useDial';

export function DialBox() {
  const busy = useDeferredValue(useCallStore(hasLiveCall));
  const lastDialled = useCallStore((s) => s.lastDialled);
  return <DialFields busy={busy} lastDialled={lastDialled} />;
}

const DialFields = memo(function DialFields({ busy, lastDialled }: { busy: boolean; lastDialled: string | null }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const place = useDial();
  const dial = async (n = number) => {
    if (await place(n)) setNumber('');
  };
  return (
    <Space.Compact>
      <Input
        value={number}
        onChange={(e) => setNumber(e.target.value.replace(/[^\d+\-\s]/g, ''))}
        onPressEnter={() => void dial()}
        placeholder={t('phone.dialPlaceholder')}
        aria-label={t('phone.dialPlaceholder')}
        style={{ width: 160 }}
        data-testid="dial-input"
        disabled={busy}
      />
      <Button icon={<PhoneOutlined />} onClick={() => void dial()} disabled={busy || number.trim() === ''} data-testid="dial">
        {t('phone.dial')}
      </Button>
      <Tooltip title={lastDialled ?? undefined}>
        <Button icon={<RedoOutlined />} onClick={() => lastDialled && void dial(lastDialled)} disabled={busy || !lastDialled} data-testid="redial" aria-label={t('phone.redial')}>
          {t('phone.redial')}
        </Button>
      </Tooltip>
    </Space.Compact>
  );
});
