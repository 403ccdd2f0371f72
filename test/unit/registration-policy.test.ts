/**
 * The REGISTER retry policy (shared/phone/registration-policy.ts), code by code: wrong
 * credentials and definitive refusals are final — never retried — while a registrar that is
 * overloaded, restarting or timing out is retried.
 */
import { describe, expect, it } from 'vitest';
import { registerRejection } from '../../shared/phone/registration-policy';

const AUTH = { retry: false, failure: 'auth' };
const REJECTED = { retry: false, failure: 'rejected' };
const RETRY = { retry: true };

/** Every code a registrar may answer with, and what the seat must do. */
const TABLE: [code: number | undefined, expected: unknown][] = [
  [401, AUTH],
  [403, AUTH],
  [407, AUTH],
  [300, REJECTED],
  [301, REJECTED],
  [302, REJECTED],
  [400, REJECTED],
  [402, REJECTED],
  [404, REJECTED],
  [405, REJECTED],
  [406, REJECTED],
  [410, REJECTED],
  [415, REJECTED],
  [416, REJECTED],
  [420, REJECTED],
  [423, REJECTED],
  [429, REJECTED],
  [480, REJECTED],
  [481, REJECTED],
  [482, REJECTED],
  [483, REJECTED],
  [484, REJECTED],
  [488, REJECTED],
  [489, REJECTED],
  [494, REJECTED],
  [499, REJECTED],
  [408, RETRY],
  [500, RETRY],
  [501, RETRY],
  [502, RETRY],
  [503, RETRY],
  [504, RETRY],
  [505, RETRY],
  [513, RETRY],
  [580, RETRY],
  [599, RETRY],
  [600, REJECTED],
  [603, REJECTED],
  [604, REJECTED],
  [606, REJECTED],
  [699, REJECTED],
  [0, REJECTED],
  [undefined, REJECTED],
];

describe('REGISTER rejection policy', () => {
  it.each(TABLE)('%s → %j', (code, expected) => {
    expect(registerRejection(code)).toStrictEqual(expected);
  });

  it('authentication failures are never retried', () => {
    for (const code of [401, 403, 407]) expect(registerRejection(code).retry).toBe(false);
  });

  it('every 4xx but 408 is final; every 5xx is retried', () => {
    for (let code = 400; code <= 499; code++) expect(registerRejection(code).retry, String(code)).toBe(code === 408);
    for (let code = 500; code <= 599; code++) expect(registerRejection(code), String(code)).toStrictEqual(RETRY);
    for (let code = 600; code <= 699; code++) expect(registerRejection(code).retry, String(code)).toBe(false);
  });
});
