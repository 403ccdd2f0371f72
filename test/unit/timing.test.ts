/** within(): a bounded wait that leaves no timer behind; coalesced(): a refresh asked for often, run seldom. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { coalesced, within } from '../../renderer/src/ui/timing';

afterEach(() => vi.useRealTimers());

describe('within', () => {
  it('gives the value when it comes in time, and clears its timer', async () => {
    vi.useFakeTimers();
    const got = within(Promise.resolve(7), 100);
    await expect(got).resolves.toBe(7);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives undefined once the time is up', async () => {
    vi.useFakeTimers();
    let value: number | undefined = -1;
    const got = within(new Promise<number>(() => undefined), 100).then((v) => (value = v));
    await vi.advanceTimersByTimeAsync(99);
    expect(value).toBe(-1);
    await vi.advanceTimersByTimeAsync(1);
    await got;
    expect(value).toBeUndefined();
  });

  it('passes a rejection on', async () => {
    await expect(within(Promise.reject(new Error('no')), 100)).rejects.toThrow('no');
  });
});

describe('coalesced', () => {
  function counted() {
    const runs: number[] = [];
    let finish: (() => void) | undefined;
    const task = () => {
      runs.push(Date.now());
      return new Promise<void>((resolve) => (finish = resolve));
    };
    return { runs, task, finish: () => finish?.() };
  }

  it('runs at once, then many requests make one run, not before the gap', async () => {
    vi.useFakeTimers({ now: 0 });
    const c = counted();
    const r = coalesced(c.task, 2_000);
    r.request();
    expect(c.runs).toEqual([0]);
    c.finish();
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) r.request();
    await vi.advanceTimersByTimeAsync(1_899);
    expect(c.runs).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.runs).toEqual([0, 2_000]);
    c.finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(c.runs).toHaveLength(2);
  });

  it('never overlaps: a request during a run makes one run after it (the last request is always served)', async () => {
    vi.useFakeTimers({ now: 0 });
    const c = counted();
    const r = coalesced(c.task, 1_000);
    r.request();
    await vi.advanceTimersByTimeAsync(5_000);
    r.request();
    r.request();
    expect(c.runs).toEqual([0]);
    c.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(c.runs).toEqual([0, 5_000]);
  });

  it('runs nothing more once disposed, and leaves no timer', async () => {
    vi.useFakeTimers({ now: 0 });
    const c = counted();
    const r = coalesced(c.task, 1_000);
    r.request();
    c.finish();
    await vi.advanceTimersByTimeAsync(10);
    r.request();
    r.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(c.runs).toEqual([0]);
  });

  it('goes on after a run that failed', async () => {
    vi.useFakeTimers({ now: 0 });
    let n = 0;
    const r = coalesced(() => (++n === 1 ? Promise.reject(new Error('read failed')) : Promise.resolve()), 1_000);
    r.request();
    await vi.advanceTimersByTimeAsync(0);
    r.request();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(n).toBe(2);
  });
});
