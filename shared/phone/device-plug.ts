/**
 * What to do when audio devices come and go (headset unplugged or plugged in), as a pure
 * decision so it can be tested without a browser: a chosen device that disappeared falls back to
 * the system default (and the agent is warned); a new device is offered, never switched to silently.
 */
export type AudioRole = 'microphone' | 'headset' | 'ringer';

export interface AudioDevice {
  readonly deviceId: string;
  readonly kind: 'audioinput' | 'audiooutput';
  readonly label: string;
}

export interface ChosenDevices {
  readonly microphoneId: string;
  readonly headsetOutputId: string;
  readonly ringerOutputId: string;
}

export interface DeviceChangePlan {
  /** Roles whose chosen device disappeared: they now use the default. */
  readonly fellBack: AudioRole[];
  /** Devices that appeared and may be switched to. */
  readonly offers: AudioDevice[];
}

/** Chromium's pseudo devices that stand for "whatever the system uses". */
const PSEUDO = new Set(['', 'default', 'communications']);

const ROLE_KIND: Record<AudioRole, AudioDevice['kind']> = { microphone: 'audioinput', headset: 'audiooutput', ringer: 'audiooutput' };

export function chosenId(chosen: ChosenDevices, role: AudioRole): string {
  return role === 'microphone' ? chosen.microphoneId : role === 'headset' ? chosen.headsetOutputId : chosen.ringerOutputId;
}

/** The device id to use for a role now: the chosen one while present, else the default (''). */
export function effectiveId(devices: readonly AudioDevice[], chosen: ChosenDevices, role: AudioRole): string {
  const id = chosenId(chosen, role);
  return id && devices.some((d) => d.deviceId === id && d.kind === ROLE_KIND[role]) ? id : '';
}

export function planDeviceChange(before: readonly AudioDevice[], after: readonly AudioDevice[], chosen: ChosenDevices): DeviceChangePlan {
  const key = (d: AudioDevice) => `${d.kind}:${d.deviceId}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const fellBack = (['microphone', 'headset', 'ringer'] as const).filter((role) => {
    const id = chosenId(chosen, role);
    const k = `${ROLE_KIND[role]}:${id}`;
    return !PSEUDO.has(id) && had.has(k) && !has.has(k);
  });
  const offers = after.filter((d) => !PSEUDO.has(d.deviceId) && !had.has(key(d)));
  return { fellBack, offers };
}
