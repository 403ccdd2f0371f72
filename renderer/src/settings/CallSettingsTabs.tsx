/** Settings tabs for call handling (auto-answer, call waiting, DTMF, wrap-up; the call diagnostics) and audio devices. */
import { useEffect, useState } from 'react';
import { Button, Divider, Form, InputNumber, Radio, Select, Slider, Space, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/settings/schema';
import { useSave } from './useSave';
import { AdminSection } from './AdminSection';
import { useDeviceStore } from '../phone/device-store';
import { HeadsetTest } from '../phone/HeadsetTest';
import { audioDevices } from '../phone/audio/audio-devices';
import { connectHeadset, useHeadsetStore } from '../phone/headset/useHeadsetButtons';
import { CallDiagnostics } from '../phone/CallDiagnostics';

/** Call handling, and below it the call diagnostics of this run (read-only). */
export function CallsTab({ settings }: { settings: Settings }) {
  return (
    <>
      <CallsForm settings={settings} />
      <Divider />
      <CallDiagnostics />
    </>
  );
}

function CallsForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  const [draft, setDraft] = useState(settings.calls);
  return (
    <Form layout="vertical" onFinish={() => void save({ section: 'calls', value: draft })}>
      <Space size="large">
        <Form.Item label={t('settings.autoAnswer')}>
          <Switch checked={draft.autoAnswer} onChange={(autoAnswer) => setDraft({ ...draft, autoAnswer })} data-testid="calls-auto-answer" />
        </Form.Item>
        <Form.Item label={t('settings.autoAnswerAfter')}>
          <InputNumber min={0} max={30} value={draft.autoAnswerAfterS} onChange={(v) => setDraft({ ...draft, autoAnswerAfterS: v ?? 0 })} />
        </Form.Item>
      </Space>
      <Form.Item label={t('settings.callWaiting')}>
        <Switch checked={draft.callWaiting} onChange={(callWaiting) => setDraft({ ...draft, callWaiting })} />
      </Form.Item>
      <Space size="large">
        <Form.Item label={t('settings.wrapUp')}>
          <InputNumber min={0} max={1800} value={draft.wrapUpS} onChange={(v) => setDraft({ ...draft, wrapUpS: v ?? 0 })} data-testid="calls-wrap-up" />
        </Form.Item>
        <Form.Item label={t('settings.wrapUpExtend')}>
          <InputNumber min={10} max={600} value={draft.wrapUpExtendS} onChange={(v) => setDraft({ ...draft, wrapUpExtendS: v ?? 30 })} />
        </Form.Item>
      </Space>
      <AdminSection>
        <Form.Item label={t('settings.transferTimeout')}>
          <InputNumber min={5} max={300} value={draft.transferTimeoutS} onChange={(v) => setDraft({ ...draft, transferTimeoutS: v ?? 30 })} data-testid="calls-transfer-timeout" />
        </Form.Item>
        <Form.Item label={t('settings.noMediaWarning')}>
          <InputNumber min={1} max={30} value={draft.noMediaWarningS} onChange={(v) => setDraft({ ...draft, noMediaWarningS: v ?? 2 })} data-testid="calls-no-media-warning" />
        </Form.Item>
        <Form.Item label={t('settings.dtmfMode')}>
          <Radio.Group
            value={draft.dtmfMode}
            onChange={(e) => setDraft({ ...draft, dtmfMode: e.target.value })}
            options={[
              { value: 'rfc4733', label: t('settings.dtmfModes.rfc4733') },
              { value: 'info', label: t('settings.dtmfModes.info') },
            ]}
          />
        </Form.Item>
      </AdminSection>
      <Button type="primary" htmlType="submit" data-testid="calls-save">
        {t('settings.save')}
      </Button>
    </Form>
  );
}

export function AudioTab({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  const devices = useDeviceStore((s) => s.devices);
  useEffect(() => void audioDevices.refresh(false), []);
  const headset = useHeadsetStore();
  const audio = settings.audio;
  const options = (kind: 'audioinput' | 'audiooutput') => [
    { value: '', label: t('settings.systemDefault') },
    ...devices.filter((d) => d.kind === kind && d.deviceId !== 'default' && d.deviceId !== '').map((d) => ({ value: d.deviceId, label: d.label || d.deviceId.slice(0, 8) })),
  ];
  const set = (patch: Partial<Settings['audio']>) => void save({ section: 'audio', value: { ...audio, ...patch } });
  const p = settings.sip.audioProcessing;
  return (
    <Form layout="vertical">
      <Form.Item label={t('settings.microphone')}>
        <Select value={audio.microphoneId} options={options('audioinput')} onChange={(microphoneId: string) => set({ microphoneId })} data-testid="audio-microphone" />
      </Form.Item>
      <Form.Item label={t('settings.headsetOutput')}>
        <Select value={audio.headsetOutputId} options={options('audiooutput')} onChange={(headsetOutputId: string) => set({ headsetOutputId })} data-testid="audio-headset" />
      </Form.Item>
      <Form.Item label={t('settings.ringerOutput')}>
        <Select value={audio.ringerOutputId} options={options('audiooutput')} onChange={(ringerOutputId: string) => set({ ringerOutputId })} data-testid="audio-ringer" />
      </Form.Item>
      <Form.Item label={t('settings.ringerVolume')}>
        <Slider min={0} max={1} step={0.05} value={audio.ringerVolume} onChangeComplete={(ringerVolume: number) => set({ ringerVolume })} />
      </Form.Item>
      <Form.Item label={t('settings.testHeadset')}>
        <HeadsetTest
          constraints={{ echoCancellation: p, noiseSuppression: p, autoGainControl: p, ...(audio.microphoneId ? { deviceId: { ideal: audio.microphoneId } } : {}) }}
        />
      </Form.Item>
      <Form.Item label={t('settings.hid')}>
        <Space>
          <Tag color={headset.productName ? 'green' : 'default'} data-testid="hid-state">
            {headset.productName ? t('settings.hidConnected', { name: headset.productName }) : t('settings.hidNone')}
          </Tag>
          <Button disabled={!headset.supported} onClick={() => void connectHeadset()} data-testid="hid-connect">
            {t('settings.hidConnect')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
