/** Audio device hot-plug notices: a device unplugged (fell back to the default), a new one offered. */
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { dismissDeviceNotice, useDeviceStore, type DeviceNotice } from './device-store';
import { updateSettings, useSettingsStore } from '../settings/settings-store';

function OfferActions({ notice }: { notice: DeviceNotice }) {
  const { t } = useTranslation();
  const audio = useSettingsStore((s) => s.settings?.audio);
  const device = notice.device;
  if (!device || !audio) return null;
  const use = (patch: Partial<typeof audio>) => {
    void updateSettings({ section: 'audio', value: { ...audio, ...patch } });
    dismissDeviceNotice(notice.id);
  };
  return (
    <Space>
      {device.kind === 'audiooutput' ? (
        <Button size="small" onClick={() => use({ headsetOutputId: device.deviceId })} data-testid="device-use-headset">
          {t('settings.useAsHeadset')}
        </Button>
      ) : (
        <Button size="small" onClick={() => use({ microphoneId: device.deviceId })} data-testid="device-use-microphone">
          {t('settings.useAsMicrophone')}
        </Button>
      )}
    </Space>
  );
}

export function DeviceNotices() {
  const { t } = useTranslation();
  const notices = useDeviceStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="device-notices" data-testid="device-notices">
      {notices.map((n) => (
        <Alert
          key={n.id}
          type={n.kind === 'fellBack' ? 'warning' : 'info'}
          showIcon
          closable
          onClose={() => dismissDeviceNotice(n.id)}
          message={n.kind === 'fellBack' && n.role ? t(`settings.deviceFellBack.${n.role}`) : t('settings.deviceOffer', { label: n.device?.label || n.device?.deviceId.slice(0, 8) })}
          action={n.kind === 'offer' ? <OfferActions notice={n} /> : undefined}
        />
      ))}
    </div>
  );
}
