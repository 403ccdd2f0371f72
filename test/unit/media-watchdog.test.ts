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

/**
 * One step of the watchdog, written out as data: prior state × sample → the verdict AND the next
 * state, for every branch of watchdogSample and at each boundary (timeout and ICE grace reached
 * exactly or missed by 1 ms). Any change to a rule changes a row.
 */
describe('media watchdog: the step table', () => {
  const C = { timeoutMs: 2000, iceGraceMs: 3000 };
  const st = (armedAt: number | undefined, packets: number, lastPacketAt: number | undefined, iceDownSince: number | undefined, expecting: boolean): WatchdogState => ({
    armedAt,
    packets,
    lastPacketAt,
    iceDownSince,
    expecting,
  });
  const INITIAL = initialWatchdog();
  const ARMED = st(1000, 0, undefined, undefined, true); // answered at 1000, nothing yet
  const FLOWING = st(1000, 50, 2000, undefined, true); // last packet at 2000
  const PAUSED = st(undefined, 50, undefined, undefined, false); // on hold
  const ICE_DOWN = st(1000, 50, 2000, 1000, true); // ICE down since 1000
  const PAUSED_ICE_DOWN = st(undefined, 50, undefined, 1000, false);
  const OK = { kind: 'ok' };
  const WAIT = { kind: 'waiting' };
  const NO = (reason: string) => ({ kind: 'noMedia', reason });
  const sample = (at: number, packetsReceived: number, iceState = 'connected', expecting = true): MediaSample => ({ at, packetsReceived, iceState, expecting });

  const ROWS: [title: string, prior: WatchdogState, sample: MediaSample, verdict: unknown, next: WatchdogState][] = [
    ['initial, nothing yet: waits', INITIAL, sample(5000, 0), WAIT, st(undefined, 0, undefined, undefined, true)],
    ['initial, packets before answer: still waits, no packet time kept', INITIAL, sample(5000, 10), WAIT, st(undefined, 10, undefined, undefined, true)],
    ['initial, ICE down: starts the ICE clock', INITIAL, sample(5000, 0, 'disconnected'), WAIT, st(undefined, 0, undefined, 5000, true)],
    ['initial, ICE down for the grace: noMedia even before answer', st(undefined, 0, undefined, 2000, true), sample(5000, 0, 'failed'), NO('iceDisconnected'), st(undefined, 0, undefined, 2000, true)],
    ['armed, silent 1 ms short of the timeout: waiting', ARMED, sample(2999, 0), WAIT, ARMED],
    ['armed, silent exactly the timeout: noPackets', ARMED, sample(3000, 0), NO('noPackets'), ARMED],
    ['armed, first packet: ok, packet time kept', ARMED, sample(1500, 3), OK, st(1000, 3, 1500, undefined, true)],
    ['armed, first packet exactly at the timeout: ok', ARMED, sample(3000, 1), OK, st(1000, 1, 3000, undefined, true)],
    ['flowing, packets grow: ok', FLOWING, sample(2500, 60), OK, st(1000, 60, 2500, undefined, true)],
    ['flowing, count unchanged 1 ms short: ok', FLOWING, sample(3999, 50), OK, FLOWING],
    ['flowing, count unchanged the timeout: mediaStopped', FLOWING, sample(4000, 50), NO('mediaStopped'), FLOWING],
    ['flowing, count goes down (counter reset): not growth', FLOWING, sample(4000, 10), NO('mediaStopped'), st(1000, 10, 2000, undefined, true)],
    ['flowing, ICE disconnected: clock starts, still ok', FLOWING, sample(2500, 60, 'disconnected'), OK, st(1000, 60, 2500, 2500, true)],
    ['flowing, ICE failed: counts as down', FLOWING, sample(2500, 60, 'failed'), OK, st(1000, 60, 2500, 2500, true)],
    ['flowing, ICE checking: not down', FLOWING, sample(2500, 60, 'checking'), OK, FLOWING_AT(2500, 60)],
    ['ICE down 1 ms short of the grace: ok', ICE_DOWN, sample(3999, 60, 'disconnected'), OK, st(1000, 60, 3999, 1000, true)],
    ['ICE down for the grace: iceDisconnected, packets or not', ICE_DOWN, sample(4000, 60, 'disconnected'), NO('iceDisconnected'), st(1000, 60, 4000, 1000, true)],
    ['ICE back: its clock clears', ICE_DOWN, sample(3500, 60, 'connected'), OK, st(1000, 60, 3500, undefined, true)],
    ['expecting stops (hold): paused, ok, clock cleared', FLOWING, sample(9000, 50, 'connected', false), OK, st(undefined, 50, undefined, undefined, false)],
    ['paused, long silence: still ok', PAUSED, sample(60_000, 50, 'connected', false), OK, PAUSED],
    ['paused, ICE down: ok, but the ICE clock runs', PAUSED, sample(6000, 50, 'disconnected', false), OK, st(undefined, 50, undefined, 6000, false)],
    ['paused with ICE long down: still ok while paused', PAUSED_ICE_DOWN, sample(9000, 50, 'disconnected', false), OK, PAUSED_ICE_DOWN],
    ['expecting again: the clock restarts from this sample', PAUSED, sample(10_000, 50), WAIT, st(10_000, 50, undefined, undefined, true)],
    ['expecting again with packets: armed now, this growth counts', PAUSED, sample(10_000, 70), OK, st(10_000, 70, 10_000, undefined, true)],
    ['expecting again with ICE long down: iceDisconnected at once', PAUSED_ICE_DOWN, sample(10_000, 50, 'disconnected'), NO('iceDisconnected'), st(10_000, 50, undefined, 1000, true)],
  ];
  function FLOWING_AT(at: number, packets: number): WatchdogState {
    return st(1000, packets, at, undefined, true);
  }

  it.each(ROWS)('%s', (_title, prior, s, verdict, next) => {
    const before = structuredClone(prior);
    const r = watchdogSample(prior, s, C);
    expect(r.verdict).toStrictEqual(verdict);
    expect(r.state).toStrictEqual(next);
    expect(prior).toStrictEqual(before);
  });

  it.each<MediaEventKind>(['answered', 'resumed', 'reinvited', 'deviceSwitched', 'networkChanged'])('%s re-arms the clock and forgets the last packet, nothing else', (event) => {
    for (const prior of [INITIAL, ARMED, FLOWING, PAUSED, ICE_DOWN]) {
      expect(watchdogEvent(prior, event, 7000)).toStrictEqual({ ...prior, armedAt: 7000, lastPacketAt: undefined });
    }
  });

  it.each([
    [{ received: 0, loss: 0, jitterMs: 0, rttMs: 0 }, 'noMedia'],
    [{ received: -1, loss: 0, jitterMs: 0, rttMs: 0 }, 'noMedia'],
    [{ received: 1, loss: 0, jitterMs: 0, rttMs: 0 }, 'good'],
    [{ received: 1, loss: 0.01, jitterMs: 30, rttMs: 250 }, 'good'],
    [{ received: 1, loss: 0.0101, jitterMs: 0, rttMs: 0 }, 'fair'],
    [{ received: 1, loss: 0, jitterMs: 31, rttMs: 0 }, 'fair'],
    [{ received: 1, loss: 0, jitterMs: 0, rttMs: 251 }, 'fair'],
    [{ received: 1, loss: 0.05, jitterMs: 60, rttMs: 500 }, 'fair'],
    [{ received: 1, loss: 0.0501, jitterMs: 0, rttMs: 0 }, 'poor'],
    [{ received: 1, loss: 0, jitterMs: 61, rttMs: 0 }, 'poor'],
    [{ received: 1, loss: 0, jitterMs: 0, rttMs: 501 }, 'poor'],
  ])('grade %j → %s', (w, grade) => {
    expect(gradeWindow(w)).toBe(grade);
  });
});
