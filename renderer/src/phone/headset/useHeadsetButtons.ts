/**
 * Connects a telephony headset over WebHID while the shell is up: reconnects a previously granted
 * headset at start, maps its buttons to call actions and keeps its LEDs in step with the calls.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import { WebHidHeadset } from './hid-telephony';
import { actionFor, ledsFor } from './headset-control';
import { focusedCall, useCallStore } from '../call-store';
import { sipService } from '../sip-service';
import { createRendererLogger } from '../../logging/logger';

const log = createRendererLogger('headset');

export const useHeadsetStore = create<{ productName: string | undefined; supported: boolean }>()(() => ({ productName: undefined, supported: false }));

let headset: WebHidHeadset | undefined;

function perform(action: ReturnType<typeof actionFor>): void {
  const lines = sipService.lines;
  const focused = focusedCall(useCallStore.getState());
  switch (action) {
    case 'answer':
      void lines.answer();
      break;
    case 'answerWaiting':
      void lines.answer(useCallStore.getState().calls.find((c) => c.state.kind === 'ringing')?.id);
      break;
    case 'hangup':
      void lines.hangup();
      break;
    case 'toggleMute':
      lines.setMuted(!(focused && 'muted' in focused.state && focused.state.muted));
      break;
    case 'toggleHold':
      void lines.setHold(focused?.state.kind !== 'held');
      break;
    case 'redial':
      void lines.redial();
      break;
    case 'none':
      break;
  }
}

/** Ask for a headset (needs a user gesture: the settings button). */
export async function connectHeadset(): Promise<boolean> {
  return (await headset?.request()) ?? false;
}

export function useHeadsetButtons(): void {
  useEffect(() => {
    const h = new WebHidHeadset({
      onEvent: (event) => perform(actionFor(event, useCallStore.getState())),
      onDeviceChange: (productName) => useHeadsetStore.setState({ productName }),
      onError: (error) => log.warn('headset error', { reason: error instanceof Error ? error.message : String(error) }),
    });
    headset = h;
    useHeadsetStore.setState({ supported: h.supported });
    if (h.supported) void h.start();
    const off = useCallStore.subscribe((s) => void h.setLeds(ledsFor(s)));
    return () => {
      off();
      void h.stop();
      headset = undefined;
    };
  }, []);
}
