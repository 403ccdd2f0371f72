/** Start-up notices the agent must see (e.g. settings recovered from a damaged file). */
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { dismissNotice, useSettingsStore } from '../settings/settings-store';

export function NoticeBanner() {
  const { t } = useTranslation();
  const notices = useSettingsStore((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div className="shell__notices" data-testid="notices">
      {notices.map((n) => (
        <Alert
          key={n.at + n.kind}
          type={n.kind === 'migrated' ? 'info' : 'warning'}
          showIcon
          closable={{ onClose: () => dismissNotice(n.at) }}
          data-testid={`notice-${n.kind}`}
          title={t(`notice.${n.kind}`, { file: n.backupFile ?? '', from: n.fromVersion ?? '' })}
        />
      ))}
    </div>
  );
}
