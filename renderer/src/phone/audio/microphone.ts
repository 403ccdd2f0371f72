/**
 * The headset microphone, acquired once while the line is registered and cloned for each call:
 * dialling and answering never wait for getUserMedia (the figure the dial → INVITE goal depends on).
 */
import { createRendererLogger } from '../../logging/logger';

const log = createRendererLogger('audio');

export class WarmMicrophone {
  private stream: MediaStream | undefined;
  private pending: Promise<MediaStream> | undefined;
  private constraints: MediaTrackConstraints = {};

  /** Set the constraints (device, processing); re-acquires when they change. True when they changed. */
  async configure(constraints: MediaTrackConstraints): Promise<boolean> {
    const changed = JSON.stringify(constraints) !== JSON.stringify(this.constraints);
    if (!changed && this.stream) return false;
    this.constraints = constraints;
    this.release();
    await this.acquire().catch(() => undefined);
    return changed;
  }

  private async acquire(): Promise<MediaStream> {
    if (this.stream?.getAudioTracks().some((t) => t.readyState === 'live')) return this.stream;
    this.pending ??= navigator.mediaDevices
      .getUserMedia({ audio: this.constraints, video: false })
      .then((s) => {
        this.stream = s;
        return s;
      })
      .catch((error: unknown) => {
        log.warn('microphone not available', { reason: error instanceof Error ? error.name : 'unknown' });
        throw error;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** A stream for one call: clones of the warm tracks (stopping them leaves the warm mic running). */
  async forCall(): Promise<MediaStream> {
    const warm = await this.acquire();
    return new MediaStream(warm.getAudioTracks().map((t) => t.clone()));
  }

  /** A fresh track for a mid-call device switch. */
  async track(): Promise<MediaStreamTrack | undefined> {
    return (await this.forCall().catch(() => undefined))?.getAudioTracks()[0];
  }

  release(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = undefined;
  }
}
