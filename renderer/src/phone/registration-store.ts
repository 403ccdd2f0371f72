/**
 * The SIP registration as the status bar shows it (the softphone service owns these values; the
 * platform session has its own store, session/session-store.ts).
 */
import { create } from 'zustand';

export type SipConnection = 'unconfigured' | 'unregistered' | 'connecting' | 'registered' | 'failed';

export interface RegistrationState {
  readonly sip: SipConnection;
  /** Why registration failed (when sip is 'failed'). */
  readonly sipFailure?: 'auth' | 'insecureServer' | 'noPassword' | 'rejected';
  readonly sipInsecure: boolean;
}

export const getEmptyRegistrationState = (): RegistrationState => ({
  sip: 'unconfigured',
  sipInsecure: false,
});

export const useRegistrationStore = create<RegistrationState>()(getEmptyRegistrationState);
