/**
 * Watches the machine's audio devices (enumerateDevices + devicechange) and applies the hot-plug
 * plan: a chosen device that disappears falls back to the default with a warning; a new one is
 * offered to the agent. Listeners (the SIP service) re-route live calls when the effective devices change.
 */
import type { Settings } from '../../../../shared/settings/schema';
import { effectiveId, planDeviceChange, type AudioDevice, type AudioRole, type ChosenDevices } from '../../../../shared/phone/device-plug';
import { pushDeviceNotice, useDeviceStore } from '../device-store';
import { createRendererLogger } from '../../logging/logger';

const log = createRendererLogger('audio');

export class AudioDevices {
  private chosen: ChosenDevices = { microphoneId: '', headsetOutputId: '', ringerOutputId: '' };
  private started = false;
  private readonly listeners = new Set<() => void>();
  private readonly onChange = () => void this.refresh(true);

  start(): void {
    if (this.started || !navigator.mediaDevices) return;
    this.started = true;
    navigator.mediaDevices.addEventListener('devicechange', this.onChange);
    void this.refresh(false);
  }

  stop(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.onChange);
    this.started = false;
  }

  /** The agent chose devices in the settings. */
  configure(audio: Settings['audio']): void {
    const changed = audio.microphoneId !== this.chosen.microphoneId || audio.headsetOutputId !== this.chosen.headsetOutputId || audio.ringerOutputId !== this.chosen.ringerOutputId;
    this.chosen = { microphoneId: audio.microphoneId, headsetOutputId: audio.headsetOutputId, ringerOutputId: audio.ringerOutputId };
    if (changed) this.emit();
  }

  /** Called when the effective devices may have changed. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  effective(role: AudioRole): string {
    return effectiveId(useDeviceStore.getState().devices, this.chosen, role);
  }

  async refresh(announce: boolean): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    const list = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const devices: AudioDevice[] = list
      .filter((d): d is MediaDeviceInfo & { kind: AudioDevice['kind'] } => d.kind === 'audioinput' || d.kind === 'audiooutput')
      .map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label }));
    const before = useDeviceStore.getState().devices;
    useDeviceStore.setState({ devices });
    if (!announce) return;
    const plan = planDeviceChange(before, devices, this.chosen);
    for (const role of plan.fellBack) {
      log.warn('audio device unplugged, using the default', { role });
      pushDeviceNotice({ kind: 'fellBack', role });
    }
    for (const device of plan.offers) pushDeviceNotice({ kind: 'offer', device });
    if (plan.fellBack.length > 0 || plan.offers.length > 0) this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

export const audioDevices = new AudioDevices();
