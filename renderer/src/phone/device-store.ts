/** Audio devices as plain data: what is plugged in, and what the agent must be told about it. */
import { create } from 'zustand';
import type { AudioDevice, AudioRole } from '../../../shared/phone/device-plug';

export interface DeviceNotice {
  readonly id: number;
  readonly kind: 'fellBack' | 'offer';
  readonly role?: AudioRole;
  readonly device?: AudioDevice;
}

export interface DeviceStoreState {
  readonly devices: readonly AudioDevice[];
  readonly notices: readonly DeviceNotice[];
}

export const getEmptyDeviceState = (): DeviceStoreState => ({ devices: [], notices: [] });

export const useDeviceStore = create<DeviceStoreState>()(getEmptyDeviceState);

let nextId = 1;
export function pushDeviceNotice(n: Omit<DeviceNotice, 'id'>): void {
  useDeviceStore.setState((s) => ({ notices: [...s.notices.slice(-4), { ...n, id: nextId++ }] }));
}

export function dismissDeviceNotice(id: number): void {
  useDeviceStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}
