/**
 * 工单同步: everything this agent still owes the platform — each entry with its order, attempts,
 * next try and last error; those that need attention first-class — the storage the browser keeps
 * it in (persistent or evictable, how full), and 立即同步. Opened from the status bar's figure.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Descriptions, Drawer, Empty, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import { hhmm, outboxLabel } from '../form/labels';
import { coalesced, type Coalesced } from '../../ui/timing';
import { outboxDetails, syncNow, useOrdersStore, type OutboxEntryView, type StorageView } from '../orders-store';

const STATE_COLORS: Record<string, string> = { pending: 'gold', sending: 'blue', failed: 'red' };
const MB = 1024 * 1024;
/** While open, the list is read again at most this often (each read opens up to 600 entries and their orders). */
const RELOAD_GAP_MS = 2_000;

const when = (ms: number) => `${shanghaiDate(ms)} ${hhmm(ms)}`;

export function OutboxPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const sync = useOrdersStore((s) => s.sync);
  const [details, setDetails] = useState<{ entries: readonly OutboxEntryView[]; storage: StorageView } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const load = useCallback(
    () =>
      outboxDetails().then(
        (d) => {
          setDetails(d);
          setProblem(null);
        },
        (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
      ),
    [],
  );
  // Read at once when opened, then again whenever the figures move (an entry sent, refused,
  // queued) — during a drain of thousands they move every second: coalesced, the last move shown.
  const reload = useRef<Coalesced | null>(null);
  useEffect(() => {
    if (!open) return;
    const r = coalesced(load, RELOAD_GAP_MS);
    reload.current = r;
    r.request();
    return () => {
      r.dispose();
      reload.current = null;
    };
  }, [open, load]);
  useEffect(() => reload.current?.request(), [sync]);

  const columns: TableColumnsType<OutboxEntryView> = [
    { title: t('orders.outboxPanel.order'), key: 'order', render: (_, e) => [e.orderNo, e.title].filter(Boolean).join(' ') || t(`orders.outboxPanel.kind.${e.kind}`, { defaultValue: e.kind }) },
    {
      title: t('orders.outboxPanel.state'),
      key: 'state',
      render: (_, e) => (
        <Tag color={STATE_COLORS[e.state]} data-testid="outbox-entry-state">
          {t(`orders.outboxPanel.states.${e.state}`, { defaultValue: e.state })}
        </Tag>
      ),
    },
    { title: t('orders.outboxPanel.queued'), key: 'queued', render: (_, e) => when(e.createdAt) },
    { title: t('orders.outboxPanel.attempts'), dataIndex: 'attempts', key: 'attempts' },
    {
      title: t('orders.outboxPanel.next'),
      key: 'next',
      render: (_, e) => (e.state === 'pending' ? when(e.nextAttemptAt) : '—'),
    },
    {
      title: t('orders.outboxPanel.lastError'),
      key: 'error',
      render: (_, e) => (e.lastError ? <Typography.Text type={e.state === 'failed' ? 'danger' : 'secondary'}>{[e.lastError.status, e.lastError.code, e.state === 'failed' ? e.lastError.message : ''].filter(Boolean).join(' · ')}</Typography.Text> : '—'),
    },
  ];

  const storage = details?.storage;
  return (
    <Drawer title={t('orders.outbox.title')} open={open} onClose={onClose} size={720} data-testid="outbox-panel">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('orders.outbox.title')}>{outboxLabel(sync, t)}</Descriptions.Item>
          {sync.others > 0 && <Descriptions.Item label={t('orders.outboxPanel.othersLabel')}>{t('orders.outbox.others', { n: sync.others })}</Descriptions.Item>}
          {sync.lastError && <Descriptions.Item label={t('orders.outboxPanel.lastError')}>{sync.lastError}</Descriptions.Item>}
          <Descriptions.Item label={t('orders.outboxPanel.storage')}>
            <span data-testid="outbox-storage" data-persisted={String(storage?.persisted ?? 'unknown')}>
              {storage?.persisted === true ? t('orders.outboxPanel.persisted') : storage?.persisted === false ? t('orders.outboxPanel.notPersisted') : t('orders.outboxPanel.persistUnknown')}
              {storage?.usage !== undefined && storage.quota !== undefined && ` · ${t('orders.outboxPanel.usage', { used: (storage.usage / MB).toFixed(1), quota: Math.round(storage.quota / MB) })}`}
            </span>
          </Descriptions.Item>
        </Descriptions>
        <Button type="primary" onClick={() => syncNow()} data-testid="outbox-sync-now">
          {t('orders.outboxPanel.syncNow')}
        </Button>
        {problem && <Alert type="error" showIcon title={t('orders.failed', { message: problem })} />}
        {details && details.entries.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orders.outboxPanel.empty')} />
        ) : (
          <Table<OutboxEntryView>
            size="small"
            rowKey="mutationId"
            columns={columns}
            dataSource={[...(details?.entries ?? [])]}
            loading={details === null}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            onRow={(e) => ({ 'data-testid': 'outbox-entry', 'data-state': e.state }) as React.HTMLAttributes<HTMLElement>}
          />
        )}
        {details && sync.pending + sync.failed > details.entries.length && (
          <Typography.Text type="secondary" data-testid="outbox-more">
            {t('orders.outboxPanel.more', { shown: details.entries.length, total: sync.pending + sync.failed })}
          </Typography.Text>
        )}
      </Space>
    </Drawer>
  );
}
