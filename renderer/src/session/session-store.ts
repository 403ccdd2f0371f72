/** The platform session as the renderer sees it: state and identity, never tokens. */
import { create } from 'zustand';
import type { PlatformStatus } from '../../../shared/session/ipc';
import { bridge, call } from '../ipc/bridge';

export interface PlatformState {
  readonly status: PlatformStatus | null;
}

export const getEmptySessionState = (): PlatformState => ({ status: null });

export const useSessionStore = create<PlatformState>()(getEmptySessionState);

export async function initSession(): Promise<() => void> {
  const off = bridge().session.onStatusChanged((status) => useSessionStore.setState({ status }));
  useSessionStore.setState({ status: await call(bridge().session.status()) });
  return off;
}

export async function signIn(input: { baseUrl: string; account: string; password: string; rememberAccount: boolean }): Promise<void> {
  useSessionStore.setState({ status: await call(bridge().session.signIn(input)) });
}

export async function signOut(): Promise<void> {
  useSessionStore.setState({ status: await call(bridge().session.signOut()) });
}
