/**
 * Recent calls from the local call log: direction, time (Beijing time), masked number, result,
 * talk time, transfer target and linked work order, with a call-back button per row.
 * Numbers are masked for display only; the call-back button passes the real number to onDial.
 */
import { useEffect, useMemo, useState, type HTMLAttributes } from 'react';
import { Alert, Button, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { callBackNumber, callDurationMs, maskCallNumber, waitDurationMs, type CallLogEntry, type CallResult } from '../../../../shared/phone/call-log';
import { formatDuration, shanghaiDate, shanghaiTime } from '../../../../shared/base/shanghai-time';
import { createRendererLogger } from '../../logging/logger';
import { loadCallLog, useCallLogStore } from './call-log-store';
import { CallLogKeysUnavailableError } from './call-log-db';
import { useSessionStore } from '../../session/session-store';

const log = createRendererLogger('call-log');

const RESULT_COLORS: Record<CallResult, string> = {
  answered: 'green',
  missed: 'red',
  rejected: 'orange',
  busy: 'orange',
  cancelled: 'default',
  failed: 'red',
  transferred: 'blue',
  connectionLost: 'volcano',
};

export interface CallLogPanelProps {
  /** Call a number back; receives the real (unmasked) number. */
  readonly onDial: (number: string) => void;
  /** False while a call is up or the line is not registered. */
  readonly canDial?: boolean;
  /** Open the linked work order; without it the id is shown as text. */
  readonly onOpenWorkOrder?: (workOrderId: string) => void;
}

/** "11-25 17:03:01" in Beijing time. */
function formatStarted(epochMs: number): string {
  return `${shanghaiDate(epochMs).slice(5)} ${shanghaiTime(epochMs)}`;
}

/** Why the log could not be loaded: its keys are unavailable (nothing is stored in plaintext instead), or anything else. */
export type CallLogLoadError = 'keysUnavailable' | 'failed';

export function callLogLoadError(error: unknown): CallLogLoadError {
  return error instanceof CallLogKeysUnavailableError ? 'keysUnavailable' : 'failed';
}


export interface CallLogTableProps extends CallLogPanelProps {
  /** Newest first. */
  readonly entries: readonly CallLogEntry[];
  readonly loading?: boolean;
  /** Shown above the table when the log could not be loaded. */
  readonly error?: CallLogLoadError;
}

/**
 * The signed-in agent's calls from the store (on a seat shared between shifts, each agent's own;
 * calls logged without an account are everyone's); loads the log (and prunes expired calls) on
 * first mount.
 */
export function CallLogPanel(props: CallLogPanelProps) {
  const all = useCallLogStore((s) => s.entries);
  const account = useSessionStore((s) => s.status?.user?.account);
  const entries = useMemo(() => all.filter((e) => e.agentAccount === undefined || e.agentAccount === account), [all, account]);
  const loaded = useCallLogStore((s) => s.loaded);
  const [loadError, setLoadError] = useState<CallLogLoadError>();

  useEffect(() => {
    if (loaded) return;
    loadCallLog().catch((error: unknown) => {
      setLoadError(callLogLoadError(error));
      log.warn('call log load failed', { reason: error instanceof Error ? error.message : String(error) });
    });
  }, [loaded]);

  return <CallLogTable {...props} entries={entries} loading={!loaded && loadError === undefined} error={loadError} />;
}

/** The table itself, from plain data. */
export function CallLogTable({ entries, loading = false, error, onDial, canDial = true, onOpenWorkOrder }: CallLogTableProps) {
  const { t } = useTranslation();

  const columns: TableColumnsType<CallLogEntry> = [
    {
      key: 'time',
      title: t('callLog.time'),
      width: 150,
      render: (_, e) => (
        <Space size={4}>
          <Tooltip title={t(`callLog.direction.${e.direction}`)}>
            {e.direction === 'inbound' ? (
              <ArrowDownOutlined aria-label={t('callLog.direction.inbound')} style={{ color: e.result === 'missed' ? '#cf1322' : undefined }} />
            ) : (
              <ArrowUpOutlined aria-label={t('callLog.direction.outbound')} />
            )}
          </Tooltip>
          <span data-testid="call-log-time">{formatStarted(e.startedAt)}</span>
        </Space>
      ),
    },
    {
      key: 'caller',
      title: t('callLog.caller'),
      render: (_, e) => {
        const masked = maskCallNumber(e.remoteNumber);
        return (
          <Space orientation="vertical" size={0}>
            {/* Text only: a display name comes from outside and is never rendered as markup. */}
            {e.remoteName && <span data-testid="call-log-name">{e.remoteName}</span>}
            <span data-testid="call-log-number">{masked || t('callLog.withheld')}</span>
            {e.dialled && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('call.dialled')} {maskCallNumber(e.dialled)}
              </Typography.Text>
            )}
          </Space>
        );
      },
    },
    {
      key: 'result',
      title: t('callLog.resultColumn'),
      render: (_, e) => (
        <Space size={4} wrap>
          <Tag color={RESULT_COLORS[e.result]} data-testid="call-log-result" data-result={e.result}>
            {t(`callLog.result.${e.result}`)}
            {e.sipCode !== undefined && e.result !== 'answered' ? ` (${t('callLog.sipCode', { code: e.sipCode })})` : ''}
          </Tag>
          {e.conference && <Tag>{t('callLog.conference')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'duration',
      title: t('callLog.duration'),
      width: 110,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <span data-testid="call-log-duration">{e.answeredAt !== undefined ? formatDuration(callDurationMs(e)) : '—'}</span>
          {(e.answeredAt !== undefined || e.endedAt !== undefined) && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('callLog.wait', { duration: formatDuration(waitDurationMs(e)) })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      key: 'transfer',
      title: t('callLog.transfer'),
      render: (_, e) => (
        <>
          {e.transferTarget && (
            <span data-testid="call-log-transfer">
              {maskCallNumber(e.transferTarget)}
              {e.transferKind && ` · ${t(`callLog.transferKind.${e.transferKind}`)}`}
            </span>
          )}
          {e.transferFailed && (
            <Typography.Text type="warning" style={{ display: 'block', fontSize: 12 }} data-testid="call-log-transfer-failed">
              {t('callLog.transferFailed', { target: maskCallNumber(e.transferFailed.target), reason: t(`phone.transferFailure.${e.transferFailed.reason}`) })}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      key: 'workOrder',
      title: t('callLog.workOrder'),
      render: (_, e) => {
        if (!e.workOrderId) return <Typography.Text type="secondary">{t('callLog.notLinked')}</Typography.Text>;
        const id = e.workOrderId;
        const label = id.length > 12 ? `${id.slice(0, 8)}…` : id;
        return onOpenWorkOrder ? (
          <Button type="link" size="small" title={id} data-testid="call-log-work-order" onClick={() => onOpenWorkOrder(id)}>
            {label}
          </Button>
        ) : (
          <span title={id} data-testid="call-log-work-order">
            {label}
          </span>
        );
      },
    },
    {
      key: 'actions',
      title: '',
      width: 90,
      render: (_, e) => {
        const number = callBackNumber(e);
        return (
          <Button
            size="small"
            icon={<PhoneOutlined />}
            data-testid="call-log-dial"
            disabled={!canDial || number === undefined}
            aria-label={t('callLog.callBackTo', { number: maskCallNumber(e.remoteNumber) || t('callLog.withheld') })}
            onClick={() => number !== undefined && onDial(number)}
          >
            {t('callLog.callBack')}
          </Button>
        );
      },
    },
  ];

  return (
    <div data-testid="call-log" data-loading={loading}>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="call-log-error"
          data-error={error}
          title={t(error === 'keysUnavailable' ? 'callLog.keysUnavailable' : 'callLog.loadFailed')}
        />
      )}
      <Table<CallLogEntry>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={[...entries]}
        loading={loading}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: t('callLog.empty') }}
        onRow={(e) => ({ 'data-testid': 'call-log-row', 'data-call-id': e.id, 'data-result': e.result }) as HTMLAttributes<HTMLElement>}
      />
    </div>
  );
}
