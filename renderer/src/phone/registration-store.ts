/**
 * Connection states shown in the status bar. The softphone and the sync queue own these values
 * (their own issues); the platform session has its own store (platform-store.ts).
 */
import { create } from 'zustand';

export type SipConnection = 'unconfigured' | 'unregistered' | 'connecting' | 'registered' | 'failed';

export interface ConnectionState {
  readonly sip: SipConnection;
  /** Why registration failed (when sip is 'failed'). */
  readonly sipFailure?: 'auth' | 'insecureServer' | 'noPassword' | 'rejected';
  readonly sipInsecure: boolean;
  readonly syncPending: number;
}

export const getEmptyConnectionState = (): ConnectionState => ({
  sip: 'unconfigured',
  sipInsecure: false,
  syncPending: 0,
});

export const useConnectionStore = create<ConnectionState>()(getEmptyConnectionState);
