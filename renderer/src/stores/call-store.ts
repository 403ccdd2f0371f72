/** The current call as plain data (the SIP.js session stays inside the SIP service). */
import { create } from 'zustand';
import type { CallState } from '../../../shared/softphone/call-machine';

export interface CallView {
  readonly id: string;
  readonly remoteName: string;
  readonly remoteNumber: string;
  /** The number the caller dialled (tells which merged hotline they meant). */
  readonly dialled?: string;
  readonly state: CallState;
}

export interface CallStoreState {
  readonly call: CallView | null;
  /** Audio levels 0..1 of the agent's microphone and of the far end, from getStats. */
  readonly levels: { readonly mic: number; readonly farEnd: number };
}

export const getEmptyCallState = (): CallStoreState => ({ call: null, levels: { mic: 0, farEnd: 0 } });

export const useCallStore = create<CallStoreState>()(getEmptyCallState);
