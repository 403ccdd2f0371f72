/**
 * The shift follows the session: signing out puts the agent offline (no state can be picked, the
 * tray says so), ends the shift's totals and the wrap-up, and clears the finished calls on screen;
 * the next sign-in starts Not ready, as at start.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const sent: { state: string }[] = [];
vi.stubGlobal('window', { workstation: { shell: { setAgentStatus: (s: { state: string }) => (sent.push(s), Promise.resolve({ ok: true, value: undefined })) } } });

const { enterAfterCallWork, getEmptyAgentState, setNotReady, setReady, toggleReady, useAgentStore } = await import('../../renderer/src/agent/agent-store');
const { addCall, getEmptyCallState, useCallStore } = await import('../../renderer/src/phone/call-store');
const { useSessionStore, getEmptySessionState } = await import('../../renderer/src/session/session-store');
const { followShift } = await import('../../renderer/src/shell/shift');

const user = { account: 'agent01', displayName: '坐席01', role: 'agent' as const, orgCode: 'CITY' };
const ended = { id: 'c1', remoteName: '张三', remoteNumber: '13800138000', dialled: '12345', state: { kind: 'ended' as const, since: 1, reason: 'local' } };

describe('the shift follows the session', () => {
  let stop: () => void;
  beforeEach(() => {
    sent.length = 0;
    useAgentStore.setState(getEmptyAgentState(), true);
    useCallStore.setState(getEmptyCallState(), true);
    useSessionStore.setState({ status: { state: 'online', user } });
    stop = followShift();
  });
  afterEach(() => {
    stop();
    useSessionStore.setState(getEmptySessionState());
  });

  it('sign-out: offline, totals and wrap-up ended, finished calls cleared; nothing can make the agent Ready', () => {
    setNotReady('break', 0);
    setReady(60_000);
    enterAfterCallWork(Date.now());
    addCall(ended as never, true);
    useCallStore.setState({ lastDialled: '12366' });
    expect(useAgentStore.getState().wrapUpUntil).toBeDefined();

    useSessionStore.setState({ status: { state: 'signedOut' } });
    expect(useAgentStore.getState()).toMatchObject({ status: { state: 'offline' }, wrapUpUntil: undefined, notReadyMs: {} });
    expect(sent.at(-1)).toMatchObject({ state: 'offline' });
    expect(useCallStore.getState()).toEqual(getEmptyCallState());
    toggleReady();
    setNotReady('meal');
    expect(useAgentStore.getState().status.state).toBe('offline');

    // The next agent signs in: Not ready without a reason, a fresh shift.
    useSessionStore.setState({ status: { state: 'online', user: { ...user, account: 'agent02' } } });
    expect(useAgentStore.getState().status).toMatchObject({ state: 'notReady' });
    expect(useAgentStore.getState().status.reason).toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ state: 'notReady' });
    setReady();
    expect(useAgentStore.getState().status.state).toBe('ready');
  });

  it('going offline and back online (network) is not a sign-out', () => {
    setReady(1);
    useSessionStore.setState({ status: { state: 'offline', user } });
    useSessionStore.setState({ status: { state: 'online', user } });
    expect(useAgentStore.getState().status).toMatchObject({ state: 'ready', since: 1 });
  });
});
