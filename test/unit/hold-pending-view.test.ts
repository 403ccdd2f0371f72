/** What the controls and the headset make of a hold / resume that waits for the far end. */
import { beforeEach, describe, expect, it } from 'vitest';
import { addCall, controlsView, getEmptyCallState, updateCall, useCallStore, type CallView } from '../../renderer/src/phone/call-store';
import { actionFor, ledsFor } from '../../renderer/src/phone/headset/headset-control';
import type { CallState } from '../../shared/phone/call-machine';

const up = (kind: 'active' | 'holding' | 'held' | 'resuming'): CallState => ({ kind, direction: 'inbound', since: 2, answeredAt: 1, muted: false });
const call = (state: CallState): CallView => ({ id: 'a', remoteName: '', remoteNumber: '13800000000', state });

describe('hold pending (re-INVITE under way)', () => {
  beforeEach(() => useCallStore.setState(getEmptyCallState()));

  it('the controls show the pending state and the call still counts as talking', () => {
    addCall(call(up('active')), true);
    expect(controlsView(useCallStore.getState())).toMatchObject({ talking: true, held: false, holdPending: null });
    updateCall('a', { state: up('holding') });
    expect(controlsView(useCallStore.getState())).toMatchObject({ talking: true, held: false, active: false, holdPending: 'holding' });
    updateCall('a', { state: up('held') });
    expect(controlsView(useCallStore.getState())).toMatchObject({ talking: true, held: true, holdPending: null });
    updateCall('a', { state: up('resuming') });
    expect(controlsView(useCallStore.getState())).toMatchObject({ talking: true, held: false, holdPending: 'resuming' });
  });

  it('the headset stays off-hook while a hold or resume is pending (its hook must not flip)', () => {
    for (const kind of ['holding', 'resuming'] as const) {
      useCallStore.setState(getEmptyCallState());
      addCall(call(up(kind)), true);
      expect(ledsFor(useCallStore.getState())).toMatchObject({ offHook: true, hold: false });
      expect(actionFor('muteToggle', useCallStore.getState())).toBe('toggleMute');
      expect(actionFor('hookOff', useCallStore.getState())).toBe('none');
    }
  });
});
