import { beforeEach, describe, expect, it } from 'vitest';
import { effectiveId, planDeviceChange, type AudioDevice } from '../../shared/phone/device-plug';
import { addCall, focusedCall, getEmptyCallState, retireCall, updateCall, useCallStore, type CallView } from '../../renderer/src/phone/call-store';
import { actionFor, ledsFor } from '../../renderer/src/phone/headset/headset-control';
import { gradeQuality } from '../../renderer/src/phone/call-leg';
import { isEnoughCandidate } from '../../renderer/src/phone/fast-ice';

const dev = (kind: AudioDevice['kind'], deviceId: string, label = deviceId): AudioDevice => ({ kind, deviceId, label });
const chosen = { microphoneId: 'jabra-in', headsetOutputId: 'jabra-out', ringerOutputId: 'speaker' };

describe('audio hot-plug plan', () => {
  const base = [dev('audioinput', 'default'), dev('audioinput', 'jabra-in'), dev('audiooutput', 'default'), dev('audiooutput', 'jabra-out'), dev('audiooutput', 'speaker')];

  it('falls back to the default when the chosen headset is unplugged, and says which roles', () => {
    const after = base.filter((d) => !d.deviceId.startsWith('jabra'));
    expect(planDeviceChange(base, after, chosen)).toEqual({ fellBack: ['microphone', 'headset'], offers: [] });
    expect(effectiveId(after, chosen, 'headset')).toBe('');
    expect(effectiveId(after, chosen, 'ringer')).toBe('speaker');
  });

  it('offers a newly plugged device instead of switching to it', () => {
    const after = [...base, dev('audiooutput', 'poly-out', 'Poly'), dev('audioinput', 'poly-in', 'Poly')];
    const plan = planDeviceChange(base, after, chosen);
    expect(plan.fellBack).toEqual([]);
    expect(plan.offers.map((d) => d.deviceId)).toEqual(['poly-out', 'poly-in']);
    expect(effectiveId(after, chosen, 'headset')).toBe('jabra-out');
  });

  it('ignores the pseudo devices and a chosen device that was never there', () => {
    const after = [...base.filter((d) => d.deviceId !== 'default'), dev('audioinput', 'communications')];
    expect(planDeviceChange(base, after, { ...chosen, ringerOutputId: 'gone-before' })).toEqual({ fellBack: [], offers: [] });
  });

  it('a device id of one kind does not stand for the other kind', () => {
    expect(effectiveId([dev('audioinput', 'jabra-out')], chosen, 'headset')).toBe('');
  });
});

const call = (id: string, state: CallView['state'], extra: Partial<CallView> = {}): CallView => ({ id, remoteName: '', remoteNumber: id, state, ...extra });
const active = (muted = false): CallView['state'] => ({ kind: 'active', direction: 'inbound', since: 1, answeredAt: 1, muted });

describe('call lines', () => {
  beforeEach(() => useCallStore.setState(getEmptyCallState()));

  it('a waiting call does not steal focus; retiring the focused line moves focus to a live one', () => {
    addCall(call('a', active()), true);
    addCall(call('b', { kind: 'ringing', direction: 'inbound', since: 2 }), false);
    expect(focusedCall(useCallStore.getState())?.id).toBe('a');
    updateCall('a', { state: { kind: 'ended', direction: 'inbound', since: 3, reason: 'remoteHangup', answeredAt: 1 } });
    retireCall('a');
    expect(useCallStore.getState().calls.map((c) => c.id)).toEqual(['b']);
    expect(focusedCall(useCallStore.getState())?.id).toBe('b');
  });

  it('the last line stays on screen, ended, until the next call replaces it', () => {
    addCall(call('a', active()), true);
    updateCall('a', { state: { kind: 'ended', direction: 'inbound', since: 3, reason: 'localHangup', answeredAt: 1 } });
    retireCall('a');
    expect(focusedCall(useCallStore.getState())?.state.kind).toBe('ended');
    addCall(call('c', { kind: 'ringing', direction: 'inbound', since: 4 }), true);
    expect(useCallStore.getState().calls.map((c) => c.id)).toEqual(['c']);
  });
});

describe('headset buttons', () => {
  beforeEach(() => useCallStore.setState(getEmptyCallState()));

  it('maps hook, mute, flash and redial to what the calls allow', () => {
    const s = () => useCallStore.getState();
    expect(actionFor('hookOff', s())).toBe('none');
    expect(actionFor('redial', s())).toBe('none');
    useCallStore.setState({ lastDialled: '12366' });
    expect(actionFor('redial', s())).toBe('redial');
    addCall(call('a', { kind: 'ringing', direction: 'inbound', since: 1 }), true);
    expect(actionFor('hookOff', s())).toBe('answer');
    expect(actionFor('hookOn', s())).toBe('hangup');
    expect(actionFor('muteToggle', s())).toBe('none');
    updateCall('a', { state: active() });
    expect(actionFor('muteToggle', s())).toBe('toggleMute');
    expect(actionFor('flash', s())).toBe('toggleHold');
    expect(actionFor('hookOff', s())).toBe('none');
    addCall(call('b', { kind: 'ringing', direction: 'inbound', since: 2 }), false);
    expect(actionFor('flash', s())).toBe('answerWaiting');
  });

  it('lights off-hook, ring, mute and hold from the calls', () => {
    expect(ledsFor(useCallStore.getState())).toEqual({ offHook: false, ring: false, mute: false, hold: false });
    addCall(call('a', active(true)), true);
    addCall(call('b', { kind: 'ringing', direction: 'inbound', since: 2 }), false);
    expect(ledsFor(useCallStore.getState())).toEqual({ offHook: true, ring: true, mute: true, hold: false });
    updateCall('a', { state: { kind: 'held', direction: 'inbound', since: 3, answeredAt: 1, muted: false } });
    expect(ledsFor(useCallStore.getState())).toMatchObject({ hold: true, mute: false });
  });
});

describe('network quality grade', () => {
  it('grades loss, jitter and round trip', () => {
    expect(gradeQuality(0, 5, 20)).toBe('good');
    expect(gradeQuality(0.02, 5, 20)).toBe('fair');
    expect(gradeQuality(0, 40, 20)).toBe('fair');
    expect(gradeQuality(0, 5, 300)).toBe('fair');
    expect(gradeQuality(0.08, 5, 20)).toBe('poor');
    expect(gradeQuality(0, 80, 20)).toBe('poor');
    expect(gradeQuality(0, 5, 600)).toBe('poor');
  });
});

describe('ICE gathering cut short', () => {
  const host = 'candidate:1 1 udp 2122260223 192.168.1.20 54321 typ host generation 0';
  const hostTcp = 'candidate:2 1 tcp 1518280447 192.168.1.20 9 typ host tcptype active';
  const srflx = 'candidate:3 1 udp 1686052607 203.0.113.7 40000 typ srflx raddr 192.168.1.20 rport 54321';
  const relay = 'candidate:4 1 udp 41885439 198.51.100.2 3478 typ relay raddr 203.0.113.7 rport 40000';
  it('without ICE servers, a UDP host candidate is enough', () => {
    expect(isEnoughCandidate(host, false)).toBe(true);
    expect(isEnoughCandidate(hostTcp, false)).toBe(false);
  });
  it('with STUN/TURN, waits for a server-reflexive or relay candidate', () => {
    expect(isEnoughCandidate(host, true)).toBe(false);
    expect(isEnoughCandidate(srflx, true)).toBe(true);
    expect(isEnoughCandidate(relay, true)).toBe(true);
  });
});
