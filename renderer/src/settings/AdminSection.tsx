/**
 * Settings a seat agent should not touch (ICE servers and timeout, registration expiry, codec
 * order, DTMF mode): the centre's telephony administrator sets them for every seat. They are
 * kept apart in a collapsed 管理员设置 section with a warning — separated, not locked: the
 * settings document has no policy flag for locking them.
 */
import type { ReactNode } from 'react';
import { Alert, Collapse } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function AdminSection({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Collapse
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="admin-settings"
      items={[
        {
          key: 'admin',
          label: (
            <span>
              <SafetyCertificateOutlined /> {t('settings.admin')}
            </span>
          ),
          children: (
            <>
              <Alert type="warning" showIcon title={t('settings.adminHint')} style={{ marginBottom: 12 }} />
              {children}
            </>
          ),
        },
      ]}
    />
  );
}
