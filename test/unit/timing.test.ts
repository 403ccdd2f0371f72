/** within(): a bounded wait that leaves no timer behind. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { within } from '../../renderer/src/ui/timing';

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
