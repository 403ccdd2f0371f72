/**
 * Headset hook buttons drive the calls, and the call state lights the headset (off-hook, ring,
 * mute, hold LEDs). Many headsets flip their hook state from the LED the app last set, so the LEDs
 * follow every call-state change. Pure mapping functions, tested without a device.
 */
import type { HeadsetEvent, LedState } from './hid-telephony';
import type { CallStoreState } from '../call-store';
import { focusedCall } from '../call-store';
import { isUp } from '../../../../shared/phone/call-machine';

export type CallAction = 'answer' | 'hangup' | 'toggleMute' | 'toggleHold' | 'answerWaiting' | 'redial' | 'none';

/** What a headset button means given the calls now. */
export function actionFor(event: HeadsetEvent, calls: CallStoreState): CallAction {
  const live = calls.calls.filter((c) => c.state.kind !== 'ended');
  const ringing = live.some((c) => c.state.kind === 'ringing');
  const talking = live.some((c) => isUp(c.state) || c.state.kind === 'connecting');
  switch (event) {
    case 'hookOff':
      return ringing && !talking ? 'answer' : 'none';
    case 'hookOn':
      return live.length > 0 ? 'hangup' : 'none';
    case 'muteToggle':
      return talking ? 'toggleMute' : 'none';
    case 'flash':
      return ringing && talking ? 'answerWaiting' : talking ? 'toggleHold' : 'none';
    case 'redial':
      return live.length === 0 && calls.lastDialled ? 'redial' : 'none';
  }
}

/** The LEDs for the calls now. */
export function ledsFor(calls: CallStoreState): LedState {
  const live = calls.calls.filter((c) => c.state.kind !== 'ended');
  const focused = focusedCall(calls);
  return {
    offHook: live.some((c) => isUp(c.state) || c.state.kind === 'connecting' || c.state.kind === 'dialing' || c.state.kind === 'early'),
    ring: live.some((c) => c.state.kind === 'ringing'),
    mute: !!focused && 'muted' in focused.state && focused.state.muted,
    hold: focused?.state.kind === 'held',
  };
}
