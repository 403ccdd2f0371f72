/** Settings: language and look, phone line, call handling, audio devices, platform address, global shortcuts. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { SHORTCUT_ACTIONS, type Settings } from '../../../shared/settings/schema';
import { declaredError } from '../ipc/bridge';
import { secretsIpc } from '../../../shared/secrets/ipc';
import { clearSipPassword, setSipPassword, useSettingsStore } from './settings-store';
import { useSave } from './useSave';
import { AudioTab, CallsTab } from './CallSettingsTabs';
import { CodecOrder } from './CodecOrder';
import { AdminSection } from './AdminSection';

export function SettingsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const settings = useSettingsStore((s) => s.settings);
  if (!settings) return null;
  return (
    // Wide enough for every tab's name: none hides behind the overflow menu.
    <Drawer title={t('settings.title')} open={open} onClose={onClose} size={640} destroyOnHidden data-testid="settings-drawer">
      <Tabs
        items={[
          { key: 'general', label: t('settings.general'), children: <GeneralTab settings={settings} /> },
          { key: 'sip', label: t('settings.sip'), children: <SipTab settings={settings} /> },
          { key: 'calls', label: t('settings.calls'), children: <CallsTab settings={settings} /> },
          { key: 'audio', label: t('settings.audio'), children: <AudioTab settings={settings} /> },
          { key: 'platform', label: t('settings.platform'), children: <PlatformTab settings={settings} /> },
          { key: 'shortcuts', label: t('settings.shortcuts'), children: <ShortcutsTab settings={settings} /> },
        ]}
      />
    </Drawer>
  );
}

function GeneralTab({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  return (
    <Form layout="vertical">
      <Form.Item label={t('settings.language')}>
        <Radio.Group
          data-testid="language"
          value={settings.locale}
          onChange={(e) => void save({ section: 'locale', value: e.target.value })}
          options={[
            { value: 'zh-CN', label: '简体中文' },
            { value: 'en-US', label: 'English' },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('settings.theme')}>
        <Radio.Group
          value={settings.ui.theme}
          onChange={(e) => void save({ section: 'ui', value: { ...settings.ui, theme: e.target.value } })}
          options={[
            { value: 'light', label: t('settings.light') },
            { value: 'dark', label: t('settings.dark') },
          ]}
        />
      </Form.Item>
      <Form.Item label={t('settings.compact')}>
        <Switch checked={settings.ui.compact} onChange={(compact) => void save({ section: 'ui', value: { ...settings.ui, compact } })} />
      </Form.Item>
    </Form>
  );
}

function SipTab({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  const secrets = useSettingsStore((s) => s.secrets);
  const [form] = Form.useForm<Settings['sip']>();
  const [password, setPassword] = useState('');
  const { message } = App.useApp();
  useEffect(() => form.setFieldsValue(settings.sip), [form, settings.sip]);

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={settings.sip}
      onFinish={(values) => void save({ section: 'sip', value: { ...settings.sip, ...values } })}
    >
      <Form.Item name="serverUrl" label={t('settings.sipServer')}>
        <Input placeholder="wss://sip.example.gov.cn:7443" data-testid="sip-server" />
      </Form.Item>
      <Form.Item name="domain" label={t('settings.sipDomain')}>
        <Input />
      </Form.Item>
      <Space>
        <Form.Item name="extension" label={t('settings.extension')}>
          <Input data-testid="sip-extension" />
        </Form.Item>
        <Form.Item name="authUser" label={t('settings.authUser')}>
          <Input autoComplete="off" />
        </Form.Item>
      </Space>
      <Form.Item name="displayName" label={t('settings.displayName')}>
        <Input />
      </Form.Item>
      <AdminSection>
        <Form.Item
          name="iceServers"
          label={t('settings.iceServers')}
          extra={t('settings.iceServersHint')}
          rules={[{ validator: (_, v: string[] = []) => (v.every((u) => /^(stun|turns?):\S+$/.test(u)) ? Promise.resolve() : Promise.reject(new Error(t('settings.iceServersInvalid')))) }]}
        >
          <Select mode="tags" tokenSeparators={[' ', ',']} placeholder="stun:stun.example.gov.cn:3478" open={false} suffixIcon={null} data-testid="ice-servers" />
        </Form.Item>
        <Space>
          <Form.Item name="iceGatheringTimeoutMs" label={t('settings.iceTimeout')}>
            <InputNumber min={50} max={10000} />
          </Form.Item>
          <Form.Item name="registerExpiresS" label={t('settings.registerExpires')}>
            <InputNumber min={60} max={3600} />
          </Form.Item>
        </Space>
        <Form.Item name="codecs" label={t('settings.codecs')} extra={t('settings.codecsHint')}>
          <CodecOrder />
        </Form.Item>
      </AdminSection>
      <Button type="primary" htmlType="submit" data-testid="sip-save">
        {t('settings.save')}
      </Button>
      <Form.Item label={t('settings.password')} style={{ marginTop: 24 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Tag color={secrets?.sipPasswordSet ? 'green' : 'default'} data-testid="sip-password-state">
            {secrets?.sipPasswordSet ? t('settings.passwordSet') : t('settings.passwordNotSet')}
          </Tag>
          {secrets?.protection === 'weak' && <Alert type="warning" showIcon title={t('settings.protectionWeak')} />}
          {secrets?.protection === 'unavailable' && <Alert type="error" showIcon title={t('settings.protectionUnavailable')} />}
          <Space.Compact style={{ width: '100%' }}>
            <Input.Password value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="sip-password" />
            <Button
              disabled={password.length === 0 || secrets?.protection === 'unavailable'}
              onClick={() =>
                void setSipPassword(password)
                  .then(() => {
                    setPassword('');
                    void message.success(t('settings.saved'));
                  })
                  .catch((e: unknown) => {
                    const code = declaredError(secretsIpc.setSipPassword, e);
                    void message.error(code ? t(`settings.passwordError.${code}`) : t('settings.saveFailed', { message: e instanceof Error ? e.message : String(e) }));
                  })
              }
              data-testid="sip-password-save"
            >
              {t('settings.passwordSave')}
            </Button>
            <Button disabled={!secrets?.sipPasswordSet} onClick={() => void clearSipPassword()}>
              {t('settings.passwordClear')}
            </Button>
          </Space.Compact>
        </Space>
      </Form.Item>
    </Form>
  );
}

function PlatformTab({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  const [baseUrl, setBaseUrl] = useState(settings.platform.baseUrl);
  return (
    <Form layout="vertical" onFinish={() => void save({ section: 'platform', value: { ...settings.platform, baseUrl } })}>
      <Form.Item label={t('settings.platformUrl')}>
        <Input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} data-testid="platform-url" />
      </Form.Item>
      <Button type="primary" htmlType="submit">
        {t('settings.save')}
      </Button>
    </Form>
  );
}

function ShortcutsTab({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const save = useSave();
  const bindings = useSettingsStore((s) => s.shortcuts);
  const [draft, setDraft] = useState(settings.shortcuts);
  useEffect(() => setDraft(settings.shortcuts), [settings.shortcuts]);
  return (
    <Form layout="vertical" onFinish={() => void save({ section: 'shortcuts', value: draft })}>
      {SHORTCUT_ACTIONS.map((action) => {
        const b = bindings.find((x) => x.action === action);
        const problem = b?.problem;
        return (
          <Form.Item
            key={action}
            label={t(`settings.shortcutAction.${action}`)}
            validateStatus={problem ? 'warning' : undefined}
            help={
              problem
                ? t(`settings.shortcutProblem.${problem}`, { other: b?.conflictsWith ? t(`settings.shortcutAction.${b.conflictsWith}`) : '' })
                : b?.registered
                  ? t('settings.shortcutOk')
                  : t('settings.shortcutOff')
            }
          >
            <Input
              value={draft[action]}
              data-testid={`shortcut-${action}`}
              onChange={(e) => setDraft({ ...draft, [action]: e.target.value })}
            />
          </Form.Item>
        );
      })}
      <Button type="primary" htmlType="submit" data-testid="shortcuts-save">
        {t('settings.save')}
      </Button>
    </Form>
  );
}
