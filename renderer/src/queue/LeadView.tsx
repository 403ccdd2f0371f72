/**
 * The shift lead's live queue (a full-width drawer, loaded when first opened): alerts past the
 * centre's thresholds (seen and heard), the shift's and the last 15 minutes' figures overall and
 * per line, the calls waiting with their growing wait, every agent's row with "set Not ready",
 * the shift's trend and the thresholds. Everything is computed from the store's plain data with the
 * shared definitions; the clock ticks once a second.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Badge, Button, Card, Col, Drawer, Empty, InputNumber, Radio, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AGENT_STATE_COLORS, NOT_READY_REASONS, type NotReadyReason } from '../../../shared/agent/state';
import { formatDuration } from '../../../shared/base/shanghai-time';
import type { QueueFigures } from '../../../shared/queue/figures';
import { queueCallOf } from '../../../shared/queue/call-view';
import type { QueueThresholds } from '../../../shared/queue/thresholds';
import { useNow } from '../ui/useNow';
import { closeLeadView, openLeadView, saveThresholds, setAgentNotReady, useQueueStore } from './queue-store';
import { leadFigures, trend, type AgentRow, type WaitingRow } from './lead-figures';
import { beep } from './alert-sound';

const TrendChart = lazy(() => import('./TrendChart').then((m) => ({ default: m.TrendChart })));

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

function FigureTable({ shift, recent }: { shift: QueueFigures; recent: QueueFigures }) {
  const { t } = useTranslation();
  const rows: { key: string; label: string; shift: string; recent: string }[] = [
    { key: 'withinTargetRate', label: t('queue.figure.withinTargetRate'), shift: pct(shift.withinTargetRate), recent: pct(recent.withinTargetRate) },
    { key: 'answerRate', label: t('queue.figure.answerRate'), shift: pct(shift.answerRate), recent: pct(recent.answerRate) },
    { key: 'offered', label: t('queue.figure.offered'), shift: String(shift.offered), recent: String(recent.offered) },
    { key: 'answered', label: t('queue.figure.answered'), shift: String(shift.answered), recent: String(recent.answered) },
    { key: 'abandoned', label: t('queue.figure.abandoned'), shift: `${shift.abandoned} · ${pct(shift.abandonRate)}`, recent: `${recent.abandoned} · ${pct(recent.abandonRate)}` },
    { key: 'shortAbandoned', label: t('queue.figure.shortAbandoned'), shift: String(shift.shortAbandoned), recent: String(recent.shortAbandoned) },
    { key: 'averageWait', label: t('queue.figure.averageWait'), shift: dur(shift.averageWaitMs), recent: dur(recent.averageWaitMs) },
    { key: 'longestWait', label: t('queue.figure.longestWait'), shift: dur(shift.longestWaitMs), recent: dur(recent.longestWaitMs) },
    { key: 'averageHandle', label: t('queue.figure.averageHandle'), shift: dur(shift.averageHandleMs), recent: dur(recent.averageHandleMs) },
    { key: 'averageWrap', label: t('queue.figure.averageWrap'), shift: dur(shift.averageWrapMs), recent: dur(recent.averageWrapMs) },
  ];
  return (
    <Table
      size="small"
      pagination={false}
      data-testid="lead-figures"
      rowKey="key"
      dataSource={rows}
      onRow={(r) => ({ 'data-figure': r.key }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: '', dataIndex: 'label' },
        { title: t('queue.shift'), dataIndex: 'shift', className: 'tabular', onCell: () => ({ 'data-window': 'shift' }) as React.HTMLAttributes<HTMLElement> },
        { title: t('queue.recent'), dataIndex: 'recent', className: 'tabular', onCell: () => ({ 'data-window': 'recent' }) as React.HTMLAttributes<HTMLElement> },
      ]}
    />
  );
}

function LineTable({ shift, recent }: { shift: Record<string, QueueFigures>; recent: Record<string, QueueFigures> }) {
  const { t } = useTranslation();
  const [span, setSpan] = useState<'shift' | 'recent'>('shift');
  const byLine = span === 'shift' ? shift : recent;
  const rows = Object.entries(byLine).map(([line, f]) => ({ line, f }));
  return (
    <>
      <Radio.Group size="small" value={span} onChange={(e) => setSpan(e.target.value as 'shift' | 'recent')} data-testid="lead-lines-window">
        <Radio.Button value="shift">{t('queue.shift')}</Radio.Button>
        <Radio.Button value="recent">{t('queue.recent')}</Radio.Button>
      </Radio.Group>
      <Table
        size="small"
        pagination={false}
        rowKey="line"
        data-testid="lead-lines"
        dataSource={rows}
        scroll={{ x: true }}
        onRow={(r) => ({ 'data-line': r.line }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('queue.line'), dataIndex: 'line' },
          { title: t('queue.figure.offered'), render: (_, r) => r.f.offered, className: 'tabular' },
          { title: t('queue.figure.withinTargetRate'), render: (_, r) => pct(r.f.withinTargetRate), className: 'tabular' },
          { title: t('queue.figure.answerRate'), render: (_, r) => pct(r.f.answerRate), className: 'tabular' },
          { title: t('queue.figure.abandoned'), render: (_, r) => `${r.f.abandoned} · ${pct(r.f.abandonRate)}`, className: 'tabular' },
          { title: t('queue.figure.averageWait'), render: (_, r) => dur(r.f.averageWaitMs), className: 'tabular' },
          { title: t('queue.figure.longestWait'), render: (_, r) => dur(r.f.longestWaitMs), className: 'tabular' },
          { title: t('queue.figure.averageHandle'), render: (_, r) => dur(r.f.averageHandleMs), className: 'tabular' },
          { title: t('queue.figure.averageWrap'), render: (_, r) => dur(r.f.averageWrapMs), className: 'tabular' },
        ]}
      />
    </>
  );
}

function WaitingTable({ rows }: { rows: WaitingRow[] }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="callId"
      data-testid="lead-waiting"
      dataSource={rows}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('queue.noneWaiting')} /> }}
      onRow={(r) => ({ 'data-line': r.line }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('queue.line'), dataIndex: 'line' },
        { title: t('queue.wait'), render: (_, r) => <span className="tabular" data-testid="lead-wait">{formatDuration(r.waitMs)}</span> },
        { title: '', render: (_, r) => (r.offered ? <Tag color="blue">{t('queue.ringing')}</Tag> : null) },
      ]}
    />
  );
}

function NotReadyAction({ row }: { row: AgentRow }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [reason, setReason] = useState<Exclude<NotReadyReason, 'noAnswer'>>('other');
  if (row.state !== 'ready' && row.state !== 'notReady') return null;
  return (
    <Space size={4}>
      <Select
        size="small"
        value={reason}
        style={{ width: 88 }}
        aria-label={t('agent.chooseReason')}
        onChange={setReason}
        options={NOT_READY_REASONS.map((r) => ({ value: r, label: t(`agent.reason.${r}`) }))}
      />
      <Button
        size="small"
        data-testid="lead-set-not-ready"
        onClick={() =>
          void setAgentNotReady(row.userId, reason).then(
            () => message.success(t('queue.setNotReadyDone', { name: row.name })),
            (e: unknown) => message.error(e instanceof Error ? e.message : String(e)),
          )
        }
      >
        {t('queue.setNotReady')}
      </Button>
    </Space>
  );
}

function AgentTable({ rows }: { rows: AgentRow[] }) {
  const { t } = useTranslation();
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="userId"
      data-testid="lead-agents"
      dataSource={rows}
      onRow={(r) => ({ 'data-account': r.account, 'data-state': r.state }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('queue.agent'), render: (_, r) => (r.seated ? r.name : <span title={t('queue.seatAway')}>{r.name} ·</span>) },
        {
          title: t('queue.state'),
          render: (_, r) => (
            <span data-testid="lead-agent-state">
              <Badge color={AGENT_STATE_COLORS[r.state]} text={t(`agent.state.${r.state}`)} />
              {r.reason && <Typography.Text type="secondary"> · {t(`agent.reason.${r.reason}`)}</Typography.Text>}
              {r.setBy && <Typography.Text type="secondary"> · {t('queue.setBy', { who: r.setBy === 'system' ? t('queue.system') : r.setBy })}</Typography.Text>}
            </span>
          ),
        },
        { title: t('queue.inState'), render: (_, r) => <span className="tabular">{formatDuration(r.inStateMs)}</span> },
        { title: t('queue.currentCall'), render: (_, r) => (r.callMs === undefined ? '' : <span className="tabular">{formatDuration(r.callMs)}</span>) },
        { title: t('queue.handled'), dataIndex: 'handled', className: 'tabular' },
        { title: t('queue.averageHandle'), render: (_, r) => dur(r.averageHandleMs), className: 'tabular' },
        { title: '', render: (_, r) => <NotReadyAction row={r} /> },
      ]}
    />
  );
}

function ThresholdsForm({ value }: { value: QueueThresholds }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <Space wrap data-testid="lead-thresholds">
      <span>{t('queue.thresholdLongestWait')}</span>
      <InputNumber size="small" min={1} max={3600} value={draft.longestWaitS} onChange={(v) => v !== null && setDraft({ ...draft, longestWaitS: v })} />
      <span>{t('queue.thresholdWaiting')}</span>
      <InputNumber size="small" min={1} max={10000} value={draft.waiting} onChange={(v) => v !== null && setDraft({ ...draft, waiting: v })} />
      <span>{t('queue.thresholdRate')}</span>
      <InputNumber size="small" min={0} max={100} value={Math.round(draft.withinTargetRate * 100)} onChange={(v) => v !== null && setDraft({ ...draft, withinTargetRate: v / 100 })} />
      <Button
        size="small"
        type="primary"
        data-testid="lead-thresholds-save"
        onClick={() =>
          void saveThresholds(draft).then(
            () => message.success(t('queue.saved')),
            (e: unknown) => message.error(e instanceof Error ? e.message : String(e)),
          )
        }
      >
        {t('queue.save')}
      </Button>
    </Space>
  );
}

export function LeadView({ open, onClose, theme }: { open: boolean; onClose: () => void; theme: 'light' | 'dark' }) {
  const { t } = useTranslation();
  const state = useQueueStore();
  const now = useNow(1000);
  const [sound, setSound] = useState(true);
  useEffect(() => {
    if (open) openLeadView();
    else closeLeadView();
  }, [open]);
  useEffect(() => () => closeLeadView(), []);
  const f = useMemo(() => leadFigures(state, state.thresholds, now), [state, now]);
  // The trend moves in 15-minute steps: recomputed when the calls change, not every second.
  const minute = Math.floor(now / 60_000);
  const points = useMemo(() => trend(Object.values(state.calls).map(queueCallOf), state.from, minute * 60_000), [state.calls, state.from, minute]);
  // A threshold newly passed sounds once (while sound is on); it shows as long as it holds.
  const heard = useRef(new Set<string>());
  useEffect(() => {
    for (const b of f.breaches) {
      if (!heard.current.has(b) && sound && open) beep();
    }
    heard.current = new Set(f.breaches);
  }, [f.breaches, sound, open]);
  const th = state.thresholds;
  const feedStatus = state.feed === 'live' ? 'success' : state.feed === 'down' ? 'error' : 'processing';
  return (
    <Drawer
      open={open}
      onClose={onClose}
      width="100%"
      destroyOnHidden
      title={
        <Space>
          {t('queue.title')}
          <span data-testid="lead-feed" data-state={state.feed}>
            <Badge status={feedStatus} text={t(`queue.feed.${state.feed}`)} />
          </span>
          <Switch size="small" checked={sound} onChange={setSound} checkedChildren={t('queue.sound')} unCheckedChildren={t('queue.sound')} />
        </Space>
      }
    >
      <div data-testid="lead-view">
        {state.error && <Alert type="error" showIcon title={t('queue.error', { message: state.error })} />}
        <div data-testid="lead-alerts" role="alert">
          {f.breaches.map((b) => (
            <Alert
              key={b}
              type="error"
              showIcon
              data-breach={b}
              title={t(`queue.alerts.${b}`, {
                s: Math.floor((f.waiting[0]?.waitMs ?? 0) / 1000),
                n: f.waiting.length,
                r: pct(f.recent.withinTargetRate),
                t: b === 'longestWait' ? th.longestWaitS : b === 'waiting' ? th.waiting : pct(th.withinTargetRate),
              })}
            />
          ))}
        </div>
        <Row gutter={12}>
          <Col span={10}>
            <Card size="small" title={`${t('queue.waitingCalls')} · ${f.waiting.length}`}>
              <WaitingTable rows={f.waiting} />
            </Card>
            <Card size="small" title={t('queue.shift') + ' / ' + t('queue.recent')}>
              <FigureTable shift={f.shift} recent={f.recent} />
            </Card>
          </Col>
          <Col span={14}>
            <Card size="small" title={t('queue.agents')}>
              <AgentTable rows={f.agents} />
            </Card>
            <Card size="small" title={t('queue.byLine')}>
              <LineTable shift={f.shiftByLine} recent={f.recentByLine} />
            </Card>
            <Card size="small" title={t('queue.trend')}>
              <Suspense fallback={<div style={{ height: 220 }} />}>
                <TrendChart points={points} theme={theme} />
              </Suspense>
            </Card>
            <Card size="small" title={t('queue.thresholds')}>
              <ThresholdsForm value={th} />
            </Card>
          </Col>
        </Row>
      </div>
    </Drawer>
  );
}
