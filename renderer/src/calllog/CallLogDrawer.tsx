/** The call log in a drawer, with call-back (click-to-dial) on every row. */
import { App as AntApp, Drawer } from 'antd';
import { useTranslation } from 'react-i18next';
import { CallLogPanel } from './CallLogPanel';
import { sipService } from '../softphone/sip-service';
import { useConnectionStore } from '../stores/connection-store';
import { useCallStore } from '../stores/call-store';
import { isLive } from '../../../shared/softphone/call-machine';

/** The drawer's content: mounted only while the drawer is open, so calls do not re-render it otherwise. */
function CallLogBody({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const registered = useConnectionStore((s) => s.sip === 'registered');
  const busy = useCallStore((s) => s.calls.some((c) => isLive(c.state)));
  const dial = async (number: string) => {
    const r = await sipService.lines.dial(number);
    if (r === 'ok') onClose();
    else void message.warning(t(`softphone.dialError.${r}`));
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
