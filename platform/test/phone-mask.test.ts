import { describe, expect, it } from 'vitest';
import { maskPhoneNumber } from '../src/security/personal-data';

// Replies show callers' numbers masked unless revealed on purpose: never so little hidden that
// the number can be read back.
describe('maskPhoneNumber', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 138-1234-5678', '138****5678'],
    ['0086 13812345678', '138****5678'],
    ['075583451234', '075****1234'],
    ['83451234', '****1234'],
    ['8345123', '***5123'],
    ['0755834512', '******4512'],
  ])('%s → %s', (input, masked) => {
    expect(maskPhoneNumber(input)).toBe(masked);
  });

  it('shows service numbers of up to 6 digits as they are', () => {
    for (const n of ['110', '12345', '95588', '123456']) expect(maskPhoneNumber(n)).toBe(n);
  });
});
