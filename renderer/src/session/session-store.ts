/** The platform session as the renderer sees it: state and identity, never tokens. */
import { create } from 'zustand';
import type { PlatformStatus } from '../../../shared/session/ipc';
import { bridge, call } from '../ipc/bridge';

export interface PlatformState {
  readonly status: PlatformStatus | null;
}

export const getEmptyPlatformState = (): PlatformState => ({ status: null });

export const usePlatformStore = create<PlatformState>()(getEmptyPlatformState);

export async function initPlatform(): Promise<() => void> {
  const off = bridge().session.onStatusChanged((status) => usePlatformStore.setState({ status }));
  usePlatformStore.setState({ status: await call(bridge().session.status()) });
  return off;
}

export async function signIn(input: { baseUrl: string; account: string; password: string; rememberAccount: boolean }): Promise<void> {
  usePlatformStore.setState({ status: await call(bridge().session.signIn(input)) });
}

export async function signOut(): Promise<void> {
  usePlatformStore.setState({ status: await call(bridge().session.signOut()) });
}
