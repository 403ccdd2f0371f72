/**
 * The knowledge panel. Today it shows the offline copy the order form picks its articles from
 * (how many, when synced, refresh); search and the article view arrive with the knowledge issue,
 * and until then the panel says so plainly rather than offering a search box that finds nothing.
 */
import { Alert, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { shanghaiDate, shanghaiTime } from '../../../shared/base/shanghai-time';
import { useSessionStore } from '../session/session-store';
import { syncKnowledge, useKnowledgeStore } from './knowledge-store';

function syncedLabel(at: number | null, now: number): string | null {
  if (at === null) return null;
  return shanghaiDate(at) === shanghaiDate(now) ? shanghaiTime(at).slice(0, 5) : `${shanghaiDate(at)} ${shanghaiTime(at).slice(0, 5)}`;
}

export function KnowledgePanel() {
  const { t } = useTranslation();
  const held = useKnowledgeStore((s) => s.held);
  const syncedAt = useKnowledgeStore((s) => s.syncedAt);
  const syncing = useKnowledgeStore((s) => s.syncing);
  const stale = useKnowledgeStore((s) => s.stale);
  const online = useSessionStore((s) => s.status?.state === 'online');
  const synced = syncedLabel(syncedAt, Date.now());
  return (
    <div className="knowledge-panel">
      <Typography.Title level={5}>{t('knowledge.title')}</Typography.Title>
      <div data-testid="knowledge-copy" data-count={held}>
        <Typography.Text>{t('knowledge.copy', { count: held })}</Typography.Text>{' '}
        <Typography.Text type={stale ? 'warning' : 'secondary'} data-testid="knowledge-synced">
          {stale ? t('knowledge.stale') : synced ? t('knowledge.syncedAt', { time: synced }) : t('knowledge.neverSynced')}
        </Typography.Text>{' '}
        <Button size="small" loading={syncing} disabled={!online} onClick={() => void syncKnowledge()} data-testid="knowledge-refresh">
          {t('knowledge.refresh')}
        </Button>
      </div>
      <Alert type="info" showIcon title={t('knowledge.coming')} data-testid="knowledge-coming" style={{ marginTop: 8 }} />
    </div>
  );
}
