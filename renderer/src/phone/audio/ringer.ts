/**
 * The ringtone on the ringer device (a speaker, so the agent hears it without the headset on)
 * and the auto-answer beep on the headset. Generated with Web Audio: no sound files to ship.
 */
import { routeTo, type SinkAudio } from './output-pool';

/** Ring 1 s, pause 2 s — the cadence agents know from desk phones, at 450 Hz like Chinese ringback. */
const RING_HZ = 450;
const RING_ON_S = 1;
const RING_PERIOD_S = 3;
/** After the ring is silenced, when its oscillator and audio element are released. */
const RELEASE_AFTER_MS = 250;

export class Ringer {
  private ctx: AudioContext | undefined;
  private el: SinkAudio | undefined;
  private timer: number | undefined;
  private ringing = false;

  get isRinging(): boolean {
    return this.ringing;
  }

  /** A silent gain node playing on its own audio element on `sinkId` (each sound has its own). */
  private output(sinkId: string, volume: number): { ctx: AudioContext; gain: GainNode; el: SinkAudio } {
    this.ctx ??= new AudioContext();
    const dest = this.ctx.createMediaStreamDestination();
    const gain = this.ctx.createGain();
    gain.gain.value = 0;
    gain.connect(dest);
    const el = new Audio() as SinkAudio;
    el.srcObject = dest.stream;
    el.volume = Math.min(1, Math.max(0, volume));
    void routeTo(el, sinkId);
    void el.play().catch(() => undefined);
    void this.ctx.resume();
    return { ctx: this.ctx, gain, el };
  }

  start(sinkId: string, volume: number): void {
    if (this.ringing) return;
    this.ringing = true;
    const { ctx, gain, el } = this.output(sinkId, volume);
    this.el = el;
    const osc = ctx.createOscillator();
    osc.frequency.value = RING_HZ;
    osc.connect(gain);
    osc.start();
    const schedule = () => {
      const t = ctx.currentTime;
      gain.gain.setValueAtTime(0.5, t);
      gain.gain.setValueAtTime(0, t + RING_ON_S);
    };
    schedule();
    this.timer = window.setInterval(schedule, RING_PERIOD_S * 1000);
    this.silence = () => {
      gain.gain.cancelScheduledValues(0);
      gain.gain.value = 0;
    };
    this.stopOsc = () => osc.stop();
  }

  private stopOsc: (() => void) | undefined;
  private silence: (() => void) | undefined;

  /**
   * Silent at once; the oscillator and the audio element are released a moment later, because
   * stop() runs when the agent answers and releasing an output device must not delay the answer.
   */
  stop(): void {
    if (!this.ringing) return;
    this.ringing = false;
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
    this.silence?.();
    const stopOsc = this.stopOsc;
    const el = this.el;
    this.silence = undefined;
    this.stopOsc = undefined;
    this.el = undefined;
    window.setTimeout(() => {
      stopOsc?.();
      if (el) {
        el.pause();
        el.srcObject = null;
      }
    }, RELEASE_AFTER_MS);
  }

  /** A short beep on `sinkId` (auto-answer warns the agent the caller is about to be on the line). */
  async beep(sinkId: string, volume = 0.6): Promise<void> {
    const { ctx, gain, el } = this.output(sinkId, volume);
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(gain);
    const t = ctx.currentTime;
    gain.gain.setValueAtTime(0.5, t);
    gain.gain.setValueAtTime(0, t + 0.15);
    osc.start(t);
    osc.stop(t + 0.2);
    await new Promise<void>((resolve) => (osc.onended = () => resolve()));
    el.pause();
    el.srcObject = null;
  }

  close(): void {
    this.stop();
    void this.ctx?.close().catch(() => undefined);
    this.ctx = undefined;
  }
}
