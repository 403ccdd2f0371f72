/** The ring of a call waits for what the workstation shows of it (the screen pop), never long. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdRingFor, ringGate } from '../../renderer/src/phone/ring-gate';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

describe('ring gate', () => {
  it('opens at once when nothing holds the ring, or the window is hidden', async () => {
    let opened = false;
    await ringGate('a', 80, false).then(() => (opened = true));
    expect(opened).toBe(true);
    stops.push(holdRingFor(() => new Promise(() => undefined)));
    opened = false;
    await ringGate('a', 80, true).then(() => (opened = true));
    expect(opened).toBe(true);
  });

  it('waits for every waiter of the call', async () => {
    const asked: string[] = [];
    let release = () => undefined as void;
    stops.push(holdRingFor((id) => (asked.push(id), new Promise<void>((r) => (release = r)))));
    stops.push(holdRingFor(() => Promise.resolve()));
    let opened = false;
    const gate = ringGate('call-1', 10_000, false).then(() => (opened = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(asked).toEqual(['call-1']);
    expect(opened).toBe(false);
    release();
    await gate;
    expect(opened).toBe(true);
  });

  it('opens after the cap when a waiter never answers or fails', async () => {
    vi.useFakeTimers();
    stops.push(holdRingFor(() => new Promise(() => undefined)));
    stops.push(holdRingFor(() => Promise.reject(new Error('pop failed'))));
    let opened = false;
    const gate = ringGate('call-2', 80, false).then(() => (opened = true));
    await vi.advanceTimersByTimeAsync(79);
    expect(opened).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await gate;
    expect(opened).toBe(true);
  });

  it('stops holding once unregistered', async () => {
    const stop = holdRingFor(() => new Promise(() => undefined));
    stop();
    let opened = false;
    await ringGate('call-3', 10_000, false).then(() => (opened = true));
    expect(opened).toBe(true);
  });
});
