/**
 * Connection states shown in the status bar. The softphone, platform client and sync queue own
 * these values (their own issues); the shell only displays them.
 */
import { create } from 'zustand';

export type SipConnection = 'unconfigured' | 'unregistered' | 'connecting' | 'registered' | 'failed';
export type PlatformConnection = 'notConfigured' | 'disconnected' | 'connected';

export interface ConnectionState {
  readonly sip: SipConnection;
  readonly sipInsecure: boolean;
  readonly platform: PlatformConnection;
  readonly syncPending: number;
}

export const getEmptyConnectionState = (): ConnectionState => ({
  sip: 'unconfigured',
  sipInsecure: false,
  platform: 'disconnected',
  syncPending: 0,
});

export const useConnectionStore = create<ConnectionState>()(getEmptyConnectionState);
