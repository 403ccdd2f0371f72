/**
 * The screen pop: the focused call (who is calling — as plain text —, which hotline they
 * dialled, timer, levels, network quality) and, when the agent has more than one line, each
 * line with its own actions (switch to, answer a waiting call, drop a conference party).
 *
 * It renders on the path from INVITE to "ringing" and from answer to media, so it is cut into
 * parts that re-render only for what they show: the timer ticks alone, the meters and the
 * quality tag follow the metrics store, the card follows the call's state.
 */
import { memo } from 'react';
import { Alert, Button, Descriptions, List, Space, Tag, Tooltip } from 'antd';
import { AudioMutedOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { focusedCall, useCallStore, type CallView } from './call-store';
import { farEndLevelOf, qualityOf, useCallMetricsStore } from './call-metrics-store';
import { isLive } from '../../../shared/phone/call-machine';
import { formatDuration } from '../../../shared/base/shanghai-time';
import { sipService } from './sip-service';
import { useDeviceStore } from './device-store';
import { useNow } from '../ui/useNow';
import { LevelMeter } from '../ui/LevelMeter';
import { DialableNumber } from './DialableNumber';
import { maskPersonalNumber } from '../../../shared/base/redact';
import { KeypadPanel } from './Keypad';
import { TransferStatus } from './TransferStatus';
import { AttemptStatus } from '../transfers/TransferNotes';
import { MediaWarning } from './MediaWarning';
import { shortDisplayName } from '../../../shared/phone/remote-identity';

const STATE_COLORS: Record<string, string> = { incoming: 'red', active: 'green', held: 'orange', early: 'blue', dialing: 'blue' };

function stateKey(c: CallView): string {
  return c.state.kind === 'ringing' ? 'incoming' : c.state.kind;
}

function callTimer(c: CallView, now: number): string {
  const s = c.state;
  if ('answeredAt' in s && s.answeredAt !== undefined) return formatDuration((s.kind === 'ended' ? s.since : now) - s.answeredAt);
  return formatDuration((s.kind === 'ended' ? s.since : now) - s.since);
}

/** Talk time (ringing time before the answer); the only part that ticks every second. */
function CallTimer({ call, testId }: { call: CallView; testId?: string }) {
  const ticking = isLive(call.state);
  const now = useNow(ticking ? 1000 : 60_000);
  return (
    <span className="text-secondary tabular" data-testid={testId}>
      {callTimer(call, now)}
    </span>
  );
}

function QualityTag({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useCallMetricsStore(qualityOf(id));
  if (!q) return null;
  return (
    <Tooltip title={t('call.qualityDetail', { loss: (q.loss * 100).toFixed(1), jitter: q.jitterMs, rtt: q.rttMs })}>
      <Tag color={q.grade === 'good' ? 'green' : q.grade === 'fair' ? 'gold' : 'red'} data-testid="call-quality" data-grade={q.grade}>
        {t(`call.quality.${q.grade}`)}
      </Tag>
    </Tooltip>
  );
}

function FarEndMeter({ id, testId, width }: { id: string; testId: string; width?: number }) {
  const { t } = useTranslation();
  return <LevelMeter level={useCallMetricsStore(farEndLevelOf(id))} label={t('call.farEnd')} testId={testId} width={width} />;
}

function MicMeter() {
  const { t } = useTranslation();
  return <LevelMeter level={useCallMetricsStore((s) => s.micLevel)} label={t('call.mic')} testId="mic-level" />;
}

function OutputDevice({ sinkId }: { sinkId: string }) {
  const { t } = useTranslation();
  const label = useDeviceStore((s) => s.devices.find((d) => d.kind === 'audiooutput' && d.deviceId === sinkId)?.label);
  return (
    <span data-testid="call-output" data-sink={sinkId}>
      {label || t('settings.systemDefault')}
    </span>
  );
}

const LineRow = memo(function LineRow({ call, focused }: { call: CallView; focused: boolean }) {
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
            {t('phone.answer')}
          </Button>
        ),
        call.conference && live && (
          <Button key="drop" size="small" danger onClick={() => void sipService.lines.hangup(call.id)} data-testid="line-drop">
            {t('phone.drop')}
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
        {call.conference && <Tag color="purple">{t('phone.conference')}</Tag>}
        <span className="text-ellipsis" data-testid="line-name" style={{ maxWidth: 220 }}>
          {shortDisplayName(call.remoteName) || maskPersonalNumber(call.remoteNumber) || t('call.unknownCaller')}
        </span>
        <CallTimer call={call} />
        <FarEndMeter id={call.id} testId="line-level" width={80} />
      </Space>
    </List.Item>
  );
});

function Lines({ focusedId }: { focusedId: string }) {
  const { t } = useTranslation();
  const calls = useCallStore((s) => s.calls);
  if (calls.length < 2) return null;
  return (
    <List size="small" header={t('call.lines')} dataSource={[...calls]} rowKey="id" data-testid="call-lines" renderItem={(c) => <LineRow call={c} focused={c.id === focusedId} />} />
  );
}

/**
 * Who is on the line, the most prominent text of the card: the name cut to fit (the full name,
 * up to its bound, in the tooltip and the accessible description) and the number. A missing name
 * and a withheld number are told apart.
 */
function CallerIdentity({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const short = shortDisplayName(call.remoteName);
  return (
    <span className="caller-identity">
      {/* Text only: a display name comes from outside and is never rendered as markup. */}
      {call.remoteName ? (
        <Tooltip title={<span data-testid="caller-name-full">{call.remoteName}</span>} placement="bottomLeft">
          <span className="caller-identity__name text-ellipsis" data-testid="caller-name" data-full-name={call.remoteName} aria-description={short !== call.remoteName ? call.remoteName : undefined} tabIndex={0}>
            {short}
          </span>
        </Tooltip>
      ) : (
        <span className="caller-identity__none" data-testid="caller-no-name">
          {t('call.noName')}
        </span>
      )}
      {call.remoteNumber ? (
        <span className="caller-identity__number">
          {/* A person's number masked (the pop reveals it on purpose); after the call it calls back (click-to-dial). */}
          <DialableNumber number={call.remoteNumber} label={maskPersonalNumber(call.remoteNumber)} testId="caller-number" />
        </span>
      ) : (
        <span className="caller-identity__none" data-testid="caller-withheld">
          {t('call.unknownCaller')}
        </span>
      )}
    </span>
  );
}

export function CallCard() {
  const { t } = useTranslation();
  const call = useCallStore(useShallow(focusedCall));
  if (!call) return null;
  const kind = stateKey(call);
  const s = call.state;
  const live = isLive(s);
  return (
    <div data-testid="call-card" data-call-state={s.kind} data-muted={'muted' in s && s.muted} className={`call-card call-card--${s.kind}`}>
      <KeypadPanel sent={call.dtmf ?? ''} active={s.kind === 'active'} />
      <Space size="small" wrap>
        <Tag color={STATE_COLORS[kind] ?? 'default'} data-testid="call-state">
          {t(`call.${kind}`)}
        </Tag>
        <CallTimer call={call} testId="call-timer" />
        {'muted' in s && s.muted && (
          <Tag color="red" icon={<AudioMutedOutlined />} data-testid="call-muted">
            {t('call.muted')}
          </Tag>
        )}
        {live && <QualityTag id={call.id} />}
        {call.autoAnswerIn !== undefined && <Tag color="blue">{t('phone.autoAnswerIn', { seconds: call.autoAnswerIn })}</Tag>}
        {s.kind === 'ended' && (
          <span className="text-secondary" data-testid="end-reason">
            {t(`call.endReason.${s.reason}`)}
            {call.transfer?.status === 'done' ? ` → ${call.transfer.target}` : ''}
          </span>
        )}
      </Space>
      {call.signalling === 'lost' && <Alert type="warning" showIcon message={t('phone.signallingLost')} style={{ marginTop: 8 }} data-testid="signalling-lost" />}
      <TransferStatus />
      <AttemptStatus callId={call.id} />
      {live && <MediaWarning id={call.id} />}
      {s.kind === 'ended' && s.reason === 'connectionLost' && (
        <Alert type="error" showIcon message={t('call.endReason.connectionLost')} style={{ marginTop: 8 }} data-testid="connection-lost" />
      )}
      <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t(s.direction === 'outbound' ? 'call.callee' : 'call.caller')}>
          <CallerIdentity call={call} />
        </Descriptions.Item>
        {call.dialled && (
          <Descriptions.Item label={t('call.dialled')}>
            <span data-testid="call-dialled">{call.dialled}</span>
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('call.farEnd')}>
          <FarEndMeter id={call.id} testId="far-end-level" />
        </Descriptions.Item>
        {call.outputDevice !== undefined && live && (
          <Descriptions.Item label={t('settings.headsetOutput')}>
            <OutputDevice sinkId={call.outputDevice} />
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('call.mic')}>
          <MicMeter />
        </Descriptions.Item>
      </Descriptions>
      <Lines focusedId={call.id} />
    </div>
  );
}
