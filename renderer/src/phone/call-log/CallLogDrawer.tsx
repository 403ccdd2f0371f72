/** The call log in a drawer, with call-back (click-to-dial) on every row. */
import { Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import { CallLogPanel } from './CallLogPanel';
import { useDial } from '../useDial';
import { useRegistrationStore } from '../registration-store';
import { hasLiveCall, useCallStore } from '../call-store';

/** The drawer's content: mounted only while the drawer is open, so calls do not re-render it otherwise. */
function CallLogBody({ onClose }: { onClose: () => void }) {
  const place = useDial();
  const registered = useRegistrationStore((s) => s.sip === 'registered');
  const busy = useCallStore(hasLiveCall);
  const dial = async (number: string) => {
    if (await place(number)) onClose();
  };
  return <CallLogPanel onDial={(n) => void dial(n)} canDial={registered && !busy} />;
}

export function CallLogDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer open={open} onClose={onClose} title={t('callLog.title')} size="large" destroyOnHidden>
      <CallLogBody onClose={onClose} />
    </Drawer>
  );
}
