import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../shared/phone/backoff';

describe('full-jitter backoff', () => {
  it('stays within [0, min(cap, base·2^n))', () => {
    expect(fullJitterDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(fullJitterDelay(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(fullJitterDelay(20, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(fullJitterDelay(5, 500, 30_000, () => 0)).toBe(0);
  });
});
