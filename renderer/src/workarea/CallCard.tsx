/**
 * The screen pop: the focused call (who is calling — as plain text —, which hotline they
 * dialled, timer, levels, network quality) and, when the agent has more than one line, each
 * line with its own actions (switch to, answer a waiting call, drop a conference party).
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Descriptions, List, Progress, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { focusedCall, useCallStore, type CallView } from '../stores/call-store';
import { isLive } from '../../../shared/softphone/call-machine';
import { formatDuration } from '../../../shared/time/shanghai';
import { sipService } from '../softphone/sip-service';
import { useDeviceStore } from '../stores/device-store';

const STATE_COLORS: Record<string, string> = { incoming: 'red', active: 'green', held: 'orange', early: 'blue', dialing: 'blue' };

function stateKey(c: CallView): string {
  return c.state.kind === 'ringing' ? 'incoming' : c.state.kind;
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

function callTimer(c: CallView, now: number): string {
  const s = c.state;
  if ('answeredAt' in s && s.answeredAt !== undefined) return formatDuration((s.kind === 'ended' ? s.since : now) - s.answeredAt);
  return formatDuration((s.kind === 'ended' ? s.since : now) - s.since);
}

function QualityTag({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const q = call.quality;
  if (!q || !isLive(call.state)) return null;
  return (
    <Tooltip title={t('call.qualityDetail', { loss: (q.loss * 100).toFixed(1), jitter: q.jitterMs, rtt: q.rttMs })}>
      <Tag color={q.grade === 'good' ? 'green' : q.grade === 'fair' ? 'gold' : 'red'} data-testid="call-quality" data-grade={q.grade}>
        {t(`call.quality.${q.grade}`)}
      </Tag>
    </Tooltip>
  );
}

function LineRow({ call, focused, now }: { call: CallView; focused: boolean; now: number }) {
  const { t } = useTranslation();
  const live = isLive(call.state);
  return (
    <List.Item
      data-testid="call-line"
      data-call-state={call.state.kind}
      data-focused={focused}
      data-remote={call.remoteNumber}
      className={focused ? 'call-line call-line--focused' : 'call-line'}
      actions={[
        call.state.kind === 'ringing' && (
          <Button key="answer" size="small" type="primary" onClick={() => void sipService.lines.answer(call.id)} data-testid="line-answer">
            {t('softphone.answer')}
          </Button>
        ),
        call.conference && live && (
          <Button key="drop" size="small" danger onClick={() => void sipService.lines.hangup(call.id)} data-testid="line-drop">
            {t('softphone.drop')}
          </Button>
        ),
        !focused && live && (
          <Button key="focus" size="small" onClick={() => sipService.lines.focus(call.id)} data-testid="line-focus">
            {t('call.lines')}
          </Button>
        ),
      ].filter(Boolean)}
    >
      <Space size="small" wrap>
        <Tag color={STATE_COLORS[stateKey(call)]} data-testid="line-state">
          {t(`call.${stateKey(call)}`)}
        </Tag>
        {call.consult && <Tag>{t('call.consult')}</Tag>}
        {call.conference && <Tag color="purple">{t('softphone.conference')}</Tag>}
        <Typography.Text data-testid="line-name" ellipsis style={{ maxWidth: 220 }}>
          {call.remoteName || call.remoteNumber || t('call.unknownCaller')}
        </Typography.Text>
        <Typography.Text type="secondary">{callTimer(call, now)}</Typography.Text>
        <Progress
          percent={Math.round(call.farEndLevel * 100)}
          size="small"
          showInfo={false}
          style={{ width: 80 }}
          data-testid="line-level"
          data-level={call.farEndLevel.toFixed(3)}
        />
      </Space>
    </List.Item>
  );
}

export function CallCard() {
  const { t } = useTranslation();
  const call = useCallStore(focusedCall);
  const calls = useCallStore((s) => s.calls);
  const micLevel = useCallStore((s) => s.micLevel);
  const devices = useDeviceStore((s) => s.devices);
  const now = useNow();
  if (!call) return null;
  const kind = stateKey(call);
  const s = call.state;
  return (
    <div data-testid="call-card" data-call-state={s.kind} className="call-card">
      <Space size="small" wrap>
        <Tag color={STATE_COLORS[kind] ?? 'default'} data-testid="call-state">
          {t(`call.${kind}`)}
        </Tag>
        <Typography.Text type="secondary" data-testid="call-timer">
          {callTimer(call, now)}
        </Typography.Text>
        <QualityTag call={call} />
        {call.autoAnswerIn !== undefined && <Tag color="blue">{t('softphone.autoAnswerIn', { seconds: call.autoAnswerIn })}</Tag>}
        {s.kind === 'ended' && (
          <Typography.Text type="secondary" data-testid="end-reason">
            {t(`call.endReason.${s.reason}`)}
            {call.transfer?.status === 'done' ? ` → ${call.transfer.target}` : ''}
          </Typography.Text>
        )}
      </Space>
      {call.signalling === 'lost' && <Alert type="warning" showIcon message={t('softphone.signallingLost')} style={{ marginTop: 8 }} data-testid="signalling-lost" />}
      {s.kind === 'ended' && s.reason === 'connectionLost' && (
        <Alert type="error" showIcon message={t('call.endReason.connectionLost')} style={{ marginTop: 8 }} data-testid="connection-lost" />
      )}
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('call.incoming')}>
          {/* Text only: a display name comes from outside and is never rendered as markup. */}
          <Space size="small" wrap={false}>
            <Typography.Text data-testid="caller-name" ellipsis style={{ maxWidth: 360 }}>
              {call.remoteName || t('call.unknownCaller')}
            </Typography.Text>
            {call.remoteNumber && (
              <Typography.Text type="secondary" data-testid="caller-number">
                {call.remoteNumber}
              </Typography.Text>
            )}
          </Space>
        </Descriptions.Item>
        {call.dialled && (
          <Descriptions.Item label={t('call.dialled')}>
            <span data-testid="call-dialled">{call.dialled}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('call.farEnd')}>
          <Progress percent={Math.round(call.farEndLevel * 100)} size="small" showInfo={false} data-testid="far-end-level" data-level={call.farEndLevel.toFixed(3)} />
        </Descriptions.Item>
        {call.outputDevice !== undefined && isLive(call.state) && (
          <Descriptions.Item label={t('settings.headsetOutput')}>
            <span data-testid="call-output" data-sink={call.outputDevice}>
              {devices.find((d) => d.kind === 'audiooutput' && d.deviceId === call.outputDevice)?.label || t('settings.systemDefault')}
            </span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('call.mic')}>
          <Progress percent={Math.round(micLevel * 100)} size="small" showInfo={false} data-testid="mic-level" data-level={micLevel.toFixed(3)} />
        </Descriptions.Item>
      </Descriptions>
      {calls.length > 1 && (
        <List size="small" header={t('call.lines')} dataSource={[...calls]} rowKey="id" data-testid="call-lines" renderItem={(c) => <LineRow call={c} focused={c.id === call.id} now={now} />} />
      )}
    </div>
  );
}
