/** A short two-tone chime for a threshold newly passed (Web Audio; no sound file to ship). */
let ctx: AudioContext | undefined;

export function beep(): void {
  try {
    ctx ??= new AudioContext();
    const at = ctx.currentTime;
    for (const [i, hz] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, at + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.2, at + i * 0.18 + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + i * 0.18 + 0.16);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at + i * 0.18);
      osc.stop(at + i * 0.18 + 0.17);
    }
    document.documentElement.dataset.queueChimes = String(Number(document.documentElement.dataset.queueChimes ?? 0) + 1);
  } catch {
    // No audio device: the alert still shows.
  }
}
