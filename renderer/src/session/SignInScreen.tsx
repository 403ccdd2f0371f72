/** Sign-in to the central platform: address, account, password, remembered account. */
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined, CloudServerOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { declaredError } from '../ipc/bridge';
import { sessionIpc } from '../../../shared/session/ipc';
import { signIn, useSessionStore } from './session-store';
import { updateSettings, useSettingsStore } from '../settings/settings-store';

interface Values {
  baseUrl: string;
  account: string;
  password: string;
  remember: boolean;
}

export function SignInScreen() {
  const { t } = useTranslation();
  const settings = useSettingsStore((s) => s.settings)!;
  const status = useSessionStore((s) => s.status);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await signIn({ baseUrl: v.baseUrl, account: v.account.trim(), password: v.password, rememberAccount: v.remember });
    } catch (e) {
      const code = declaredError(sessionIpc.signIn, e);
      setError(code ? t(`signIn.error.${code}`) : t('signIn.error.unknown', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in" data-testid="sign-in">
      <Card className="sign-in__card">
        <div className="sign-in__head">
          <Typography.Title level={3}>{t('app.title')}</Typography.Title>
          <Segmented
            size="small"
            value={settings.locale}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en-US' },
            ]}
            onChange={(v) => void updateSettings({ section: 'locale', value: v as 'zh-CN' | 'en-US' })}
          />
        </div>
        <Typography.Paragraph type="secondary">{t('signIn.hint')}</Typography.Paragraph>
        {status?.problem === 'session_expired' && <Alert type="warning" showIcon title={t('signIn.expired')} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sign-in-error" />}
        <Form<Values>
          layout="vertical"
          initialValues={{ baseUrl: settings.platform.baseUrl, account: settings.platform.rememberedAccount, password: '', remember: settings.platform.rememberedAccount !== '' }}
          onFinish={(v) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item name="baseUrl" label={t('signIn.baseUrl')} rules={[{ required: true, message: t('signIn.required') }]}>
            <Input prefix={<CloudServerOutlined />} placeholder="https://12345.example.gov.cn" data-testid="sign-in-url" autoComplete="url" />
          </Form.Item>
          <Form.Item name="account" label={t('signIn.account')} rules={[{ required: true, message: t('signIn.required') }]}>
            <Input prefix={<UserOutlined />} data-testid="sign-in-account" autoComplete="username" autoFocus={!settings.platform.rememberedAccount} />
          </Form.Item>
          <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.required') }]}>
            <Input.Password prefix={<LockOutlined />} data-testid="sign-in-password" autoComplete="current-password" autoFocus={!!settings.platform.rememberedAccount} />
          </Form.Item>
          <Form.Item name="remember" valuePropName="checked">
            <Checkbox data-testid="sign-in-remember">{t('signIn.remember')}</Checkbox>
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="sign-in-submit">
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
