import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.stubGlobal('window', { workstation: { shell: { setAgentStatus: () => Promise.resolve({ ok: true, value: undefined }) } } });

const { getEmptyAgentState, enterAfterCallWork, enterOnCall, notReadyTotals, setNotReady, setReady, useAgentStore } = await import('../../renderer/src/agent/agent-store');

describe('agent state at sign-in and not-ready time per reason', () => {
  beforeEach(() => useAgentStore.setState(getEmptyAgentState(), true));

  it('starts Not ready without a reason: the agent is asked for one', () => {
    const s = useAgentStore.getState();
    expect(s.status.state).toBe('notReady');
    expect(s.status.reason).toBeUndefined();
    expect(s.notReadyMs).toEqual({});
  });

  it('adds each not-ready period to its reason, the current one up to now', () => {
    useAgentStore.setState({ status: { state: 'notReady', since: 0 }, notReadyMs: {} });
    setReady(60_000);
    setNotReady('break', 100_000);
    setNotReady('meal', 400_000);
    expect(useAgentStore.getState().notReadyMs).toEqual({ unset: 60_000, break: 300_000 });
    expect(notReadyTotals(useAgentStore.getState(), 1_000_000)).toEqual({ unset: 60_000, break: 300_000, meal: 600_000 });
    setReady(1_000_000);
    setNotReady('break', 1_100_000);
    setReady(1_160_000);
    expect(notReadyTotals(useAgentStore.getState(), 2_000_000)).toEqual({ unset: 60_000, break: 360_000, meal: 600_000 });
  });

  it('counts no time in Ready, on call or in wrap-up', () => {
    useAgentStore.setState({ status: { state: 'ready', since: 0 }, notReadyMs: {} });
    enterOnCall(10_000);
    enterAfterCallWork(70_000);
    setReady(100_000);
    expect(notReadyTotals(useAgentStore.getState(), 200_000)).toEqual({});
  });
});
