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
import { extendWrapUp, notReadyTotals, setNotReady, setReady, useAgentStore } from './agent-store';
import { useNow } from '../ui/useNow';

/** Not-ready time per reason this shift (the current period included), ticking. */
export function BreakTimes() {
  const { t } = useTranslation();
  const now = useNow();
  const notReadyMs = useAgentStore((s) => s.notReadyMs);
  const status = useAgentStore((s) => s.status);
  const totals = notReadyTotals({ status, notReadyMs }, now);
  return (
    <div className="break-times" data-testid="break-times">
      <div className="break-times__title">{t('agent.breakTimes')}</div>
      {[...NOT_READY_REASONS, 'unset' as const].map((r) =>
        r === 'unset' && !totals.unset ? null : (
          <div key={r} className="break-times__row" data-reason={r}>
            <span>{r === 'unset' ? t('agent.reasonUnset') : t(`agent.reason.${r}`)}</span>
            <span className="tabular">{formatDuration(totals[r] ?? 0)}</span>
          </div>
        ),
      )}
    </div>
  );
}

/** The ticking parts: time in state and wrap-up left. Only these re-render every second. */
function StateClock({ since, wrapUpUntil }: { since: number; wrapUpUntil: number | undefined }) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <>
      <Tooltip
        title={
          <>
            <div>{t('agent.timeInState')}</div>
            <BreakTimes />
          </>
        }
      >
        <Typography.Text type="secondary" className="tabular" data-testid="time-in-state">
          {formatDuration(now - since)}
        </Typography.Text>
      </Tooltip>
      {wrapUpUntil !== undefined && (
        <Typography.Text type="warning" className="tabular" data-testid="wrap-up-left" style={{ marginInlineStart: 8 }}>
          {t('phone.wrapUpLeft', { time: formatDuration(Math.max(0, wrapUpUntil - now)) })}
        </Typography.Text>
      )}
    </>
  );
}

const StateSelect = memo(function StateSelect({ status }: { status: AgentStatus }) {
  const { t } = useTranslation();
  // Not ready without a reason: just signed in, the selector asks for a reason (or Ready).
  const unset = status.state === 'notReady' && !status.reason;
  const value = status.state === 'notReady' ? `notReady:${status.reason ?? 'unset'}` : status.state;
  const options = [
    ...(status.state === 'afterCallWork' ? [{ value: 'afterCallWork', label: t('agent.state.afterCallWork'), disabled: true }] : []),
    ...(unset ? [{ value: 'notReady:unset', label: `${t('agent.state.notReady')} · ${t('agent.reasonUnset')}`, disabled: true }] : []),
    // Set by the system (a call rang out unanswered): shown, not for the agent to pick.
    ...(status.state === 'notReady' && status.reason === 'noAnswer' ? [{ value: 'notReady:noAnswer', label: `${t('agent.state.notReady')} · ${t('agent.reason.noAnswer')}`, disabled: true }] : []),
    { value: 'ready', label: t('agent.state.ready') },
    ...NOT_READY_REASONS.map((r) => ({ value: `notReady:${r}`, label: `${t('agent.state.notReady')} · ${t(`agent.reason.${r}`)}` })),
  ];
  const current = options.find((o) => o.value === value)?.label ?? '';
  return (
    <Select
      // The accessible name says the state the agent is in (and that it is the state selector).
      aria-label={t('agent.stateIs', { state: current })}
      data-testid="agent-state-select"
      data-unset={unset || undefined}
      status={unset ? 'warning' : undefined}
      value={value}
      style={{ minWidth: 180 }}
      options={options}
      popupRender={(menu) => (
        <>
          {menu}
          <BreakTimes />
        </>
      )}
      onChange={(v: string) => (v === 'ready' ? setReady() : setNotReady(v.split(':')[1] as NotReadyReason))}
    />
  );
});

export function AgentStatePanel() {
  const status = useDeferredValue(useAgentStore((s) => s.status));
  const wrapUpUntil = useDeferredValue(useAgentStore((s) => s.wrapUpUntil));
  const setBy = useAgentStore((s) => s.setBy);
  return <AgentStateView status={status} wrapUpUntil={wrapUpUntil} setBy={setBy} />;
}

const AgentStateView = memo(function AgentStateView({ status, wrapUpUntil, setBy }: { status: AgentStatus; wrapUpUntil: number | undefined; setBy: string | undefined }) {
  const { t } = useTranslation();
  const wrapping = status.state === 'afterCallWork' && wrapUpUntil !== undefined;
  return (
    <Space size="small" data-testid="agent-state">
      <span className="agent-dot" style={{ background: AGENT_STATE_COLORS[status.state] }} aria-hidden />
      {status.state === 'onCall' || status.state === 'offline' ? <Typography.Text>{t(`agent.state.${status.state}`)}</Typography.Text> : <StateSelect status={status} />}
      <StateClock since={status.since} wrapUpUntil={wrapping ? wrapUpUntil : undefined} />
      {setBy && status.state === 'notReady' && (
        <Typography.Text type="warning" data-testid="agent-state-set-by">
          {t('queue.stateSet', { who: setBy === 'system' ? t('queue.system') : setBy, reason: status.reason ? t(`agent.reason.${status.reason}`) : '' })}
        </Typography.Text>
      )}
      {wrapping && (
        <Button size="small" onClick={() => extendWrapUp()} data-testid="extend-wrap-up">
          {t('phone.extendWrapUp')}
        </Button>
      )}
    </Space>
  );
});
