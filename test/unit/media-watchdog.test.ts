import { describe, expect, it } from 'vitest';
import { gradeWindow, initialWatchdog, watchdogEvent, watchdogSample, type MediaEventKind, type MediaSample, type MediaVerdict, type WatchdogState } from '../../shared/phone/media-watchdog';
import { gradeQuality } from '../../renderer/src/phone/call-leg';

const cfg = { timeoutMs: 2000, iceGraceMs: 3000 };

/** Feed samples every 500 ms from `from`; packets(t) gives the cumulative count. */
function feed(s: WatchdogState, from: number, to: number, packets: (t: number) => number, extra: Partial<MediaSample> = {}): { state: WatchdogState; verdicts: [number, MediaVerdict][] } {
  const verdicts: [number, MediaVerdict][] = [];
  let state = s;
  for (let t = from; t <= to; t += 500) {
    const r = watchdogSample(state, { at: t, packetsReceived: packets(t), iceState: 'connected', expecting: true, ...extra }, cfg);
    state = r.state;
    verdicts.push([t, r.verdict]);
  }
  return { state, verdicts };
}

const answered = (at = 0) => watchdogEvent(initialWatchdog(), 'answered', at);
const firstNoMedia = (v: [number, MediaVerdict][]) => v.find(([, x]) => x.kind === 'noMedia');

describe('media watchdog', () => {
  it('waits for the first packet within the timeout, then is ok while packets flow', () => {
    const { verdicts } = feed(answered(), 500, 10_000, (t) => (t >= 1000 ? t / 20 : 0));
    expect(verdicts[0]![1]).toEqual({ kind: 'waiting' });
    expect(verdicts.slice(1).every(([, v]) => v.kind === 'ok')).toBe(true);
  });

  it('no packet at all after answer: noMedia(noPackets) exactly when the timeout has passed', () => {
    const { verdicts } = feed(answered(), 500, 5000, () => 0);
    expect(verdicts.filter(([t]) => t < 2000).every(([, v]) => v.kind === 'waiting')).toBe(true);
    expect(firstNoMedia(verdicts)).toEqual([2000, { kind: 'noMedia', reason: 'noPackets' }]);
  });

  it('media that stops mid-call: noMedia(mediaStopped) timeout after the last packet', () => {
    const { verdicts } = feed(answered(), 500, 10_000, (t) => Math.min(t, 4000) / 20);
    expect(firstNoMedia(verdicts)).toEqual([6000, { kind: 'noMedia', reason: 'mediaStopped' }]);
    // and it stays so while nothing arrives
    expect(verdicts.filter(([t]) => t >= 6000).every(([, v]) => v.kind === 'noMedia')).toBe(true);
  });

  it('packets arriving again clear the warning', () => {
    const { verdicts } = feed(answered(), 500, 10_000, (t) => (t < 4000 || t >= 8000 ? t / 20 : 200));
    expect(verdicts.find(([t]) => t === 7000)![1].kind).toBe('noMedia');
    expect(verdicts.find(([t]) => t === 8000)![1].kind).toBe('ok');
  });

  it('the timeout is the configured one', () => {
    let s = answered();
    let at = 0;
    for (; at <= 10_000; at += 500) {
      const r = watchdogSample(s, { at, packetsReceived: 0, iceState: 'connected', expecting: true }, { timeoutMs: 5000, iceGraceMs: 3000 });
      s = r.state;
      if (r.verdict.kind === 'noMedia') break;
    }
    expect(at).toBe(5000);
  });

  it.each<MediaEventKind>(['resumed', 'reinvited', 'deviceSwitched', 'networkChanged'])('after %s the seat expects packets again within the timeout', (event) => {
    let { state } = feed(answered(), 500, 3000, (t) => t / 20); // flowing: 150 packets at 3 s
    state = watchdogEvent(state, event, 3100);
    const after = feed(state, 3500, 8000, () => 150);
    expect(after.verdicts[0]![1]).toEqual({ kind: 'waiting' });
    expect(firstNoMedia(after.verdicts)).toEqual([5500, { kind: 'noMedia', reason: 'noPackets' }]);
    const ok = feed(state, 3500, 8000, (t) => t / 20);
    expect(ok.verdicts.every(([, v]) => v.kind === 'ok')).toBe(true);
  });

  it('paused while no audio is expected (hold); expecting again restarts the clock', () => {
    let { state } = feed(answered(), 500, 2000, (t) => t / 20);
    const held = feed(state, 2500, 20_000, () => 100, { expecting: false });
    expect(held.verdicts.every(([, v]) => v.kind === 'ok')).toBe(true);
    state = held.state;
    const back = feed(state, 20_500, 25_000, () => 100);
    expect(back.verdicts[0]![1]).toEqual({ kind: 'waiting' });
    expect(firstNoMedia(back.verdicts)).toEqual([22_500, { kind: 'noMedia', reason: 'noPackets' }]);
  });

  it('ICE disconnected longer than the grace is noMedia even if counters still move', () => {
    let { state } = feed(answered(), 500, 2000, (t) => t / 20);
    const v: [number, MediaVerdict][] = [];
    for (let t = 2500; t <= 7000; t += 500) {
      const r = watchdogSample(state, { at: t, packetsReceived: t / 20, iceState: 'disconnected', expecting: true }, cfg);
      state = r.state;
      v.push([t, r.verdict]);
    }
    expect(firstNoMedia(v)).toEqual([5500, { kind: 'noMedia', reason: 'iceDisconnected' }]);
    // a short disconnection is tolerated
    const r = watchdogSample(state, { at: 7500, packetsReceived: 7500 / 20, iceState: 'connected', expecting: true }, cfg);
    expect(r.verdict.kind).toBe('ok');
  });

  it('before the seat is told the call is answered it only waits', () => {
    const r = watchdogSample(initialWatchdog(), { at: 99_000, packetsReceived: 0, iceState: 'new', expecting: true }, cfg);
    expect(r.verdict).toEqual({ kind: 'waiting' });
  });
});

describe('network quality grade', () => {
  it('a window without packets is noMedia, never good', () => {
    expect(gradeWindow({ received: 0, loss: 0, jitterMs: 0, rttMs: 0 })).toBe('noMedia');
  });
  it('grades loss, jitter and round trip like gradeQuality', () => {
    for (const [loss, jitterMs, rttMs] of [[0, 5, 20], [0.02, 5, 20], [0, 40, 20], [0, 5, 300], [0.08, 5, 20], [0, 80, 20], [0, 5, 600]] as const) {
      expect(gradeWindow({ received: 25, loss, jitterMs, rttMs })).toBe(gradeQuality(loss, jitterMs, rttMs));
    }
  });
});
