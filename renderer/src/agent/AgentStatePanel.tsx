/**
 * Agent state (Ready / Not ready with reason / after-call work / on call), time in state, wrap-up
 * left. Follows the agent store a frame late (deferred value): entering On call happens as a call
 * is answered, when the call's media setup comes first.
 */
import { memo, useDeferredValue } from 'react';
import { Button, Select, Space, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { AGENT_STATE_COLORS, NOT_READY_REASONS, type AgentStatus, type NotReadyReason } from '../../../shared/agent/state';
import { formatDuration } from '../../../shared/base/shanghai-time';
import { extendWrapUp, setNotReady, setReady, useAgentStore } from './agent-store';
import { useNow } from '../ui/useNow';

/** The ticking parts: time in state and wrap-up left. Only these re-render every second. */
function StateClock({ since, wrapUpUntil }: { since: number; wrapUpUntil: number | undefined }) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <>
      <Tooltip title={t('agent.timeInState')}>
        <Typography.Text type="secondary" className="tabular" data-testid="time-in-state">
          {formatDuration(now - since)}
        </Typography.Text>
      </Tooltip>
      {wrapUpUntil !== undefined && (
        <Typography.Text type="warning" className="tabular" data-testid="wrap-up-left">
          {t('phone.wrapUpLeft', { time: formatDuration(Math.max(0, wrapUpUntil - now)) })}
        </Typography.Text>
      )}
    </>
  );
}

const StateSelect = memo(function StateSelect({ status }: { status: AgentStatus }) {
  const { t } = useTranslation();
  const value = status.state === 'notReady' ? `notReady:${status.reason ?? 'other'}` : status.state;
  const options = [
    ...(status.state === 'afterCallWork' ? [{ value: 'afterCallWork', label: t('agent.state.afterCallWork'), disabled: true }] : []),
    { value: 'ready', label: t('agent.state.ready') },
    ...NOT_READY_REASONS.map((r) => ({ value: `notReady:${r}`, label: `${t('agent.state.notReady')} · ${t(`agent.reason.${r}`)}` })),
  ];
  return (
    <Select
      aria-label={t('agent.chooseReason')}
      data-testid="agent-state-select"
      value={value}
      style={{ minWidth: 160 }}
      options={options}
      onChange={(v: string) => (v === 'ready' ? setReady() : setNotReady(v.split(':')[1] as NotReadyReason))}
    />
  );
});

export function AgentStatePanel() {
  const status = useDeferredValue(useAgentStore((s) => s.status));
  const wrapUpUntil = useDeferredValue(useAgentStore((s) => s.wrapUpUntil));
  return <AgentStateView status={status} wrapUpUntil={wrapUpUntil} />;
}

const AgentStateView = memo(function AgentStateView({ status, wrapUpUntil }: { status: AgentStatus; wrapUpUntil: number | undefined }) {
  const { t } = useTranslation();
  const wrapping = status.state === 'afterCallWork' && wrapUpUntil !== undefined;
  return (
    <Space size="small" data-testid="agent-state">
      <span className="agent-dot" style={{ background: AGENT_STATE_COLORS[status.state] }} aria-hidden />
      {status.state === 'onCall' || status.state === 'offline' ? <Typography.Text>{t(`agent.state.${status.state}`)}</Typography.Text> : <StateSelect status={status} />}
      <StateClock since={status.since} wrapUpUntil={wrapping ? wrapUpUntil : undefined} />
      {wrapping && (
        <Button size="small" onClick={() => extendWrapUp()} data-testid="extend-wrap-up">
          {t('phone.extendWrapUp')}
        </Button>
      )}
    </Space>
  );
});
