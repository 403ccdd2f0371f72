import { describe, expect, it } from 'vitest';
import { maskPhone, redactText, redactValue } from '../../shared/base/redact';

describe('redaction', () => {
  it.each([
    ['call from 13812345678', 'call from [PHONE]'],
    ['call from +86 138 1234 5678', 'call from [PHONE]'],
    ['landline 0755-83451234 rang', 'landline [PHONE] rang'],
    ['id 110101199003077777', 'id [ID]'],
    ['id 11010119900307777X.', 'id [ID].'],
    ['sip:8001@sip.gov.cn;transport=ws', 'sip:[USER]@sip.gov.cn;transport=ws'],
    ['Proxy-Authorization: Digest username="8001"', 'Proxy-Authorization: [REDACTED]'],
    ['{"password":"abc","x":1}', '{"password":[REDACTED],"x":1}'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('keeps short numbers that are not personal (emergency and hotline numbers, counts)', () => {
    expect(redactText('transfer to 12366 or 110, attempt 3')).toBe('transfer to 12366 or 110, attempt 3');
  });

  it('masks secret and personal keys in structured context', () => {
    expect(redactValue({ token: 'x', phone: '123', nested: { sipPassword: 'p', note: 'tel 13912345678' }, n: 13912345678 })).toEqual({
      token: '[REDACTED]',
      phone: '[PERSONAL]',
      nested: { sipPassword: '[REDACTED]', note: 'tel [PHONE]' },
      n: '[PHONE]',
    });
  });

  it('masks phone numbers for display', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('0755-83451234')).toBe('075****1234');
    expect(maskPhone('110')).toBe('***');
  });
});

/**
 * One test per protection, so that dropping any single pattern or key from shared/base/redact.ts
 * fails here. Values are chosen so that no *other* rule would hide the loss (a name, not a number,
 * under a personal key; an opaque string under a secret key).
 */
describe('redaction: each protection on its own', () => {
  describe('catch-all for long digit runs (7+ digits that match no phone or ID pattern)', () => {
    it.each([
      ['order ref 1234567', 'order ref [PHONE]'],
      ['extension 2345678901', 'extension [PHONE]'],
      ['badge 999888777666', 'badge [PHONE]'],
      ['uid=4567890;', 'uid=[PHONE];'],
      ['24680135791357', '[PHONE]'],
    ])('%s', (input, expected) => {
      expect(redactText(input)).toBe(expected);
    });

    it('in text under a neutral key and as a number value', () => {
      expect(redactValue({ note: 'ticket 5556667', n: 2345678, big: 12345678901234 })).toEqual({
        note: 'ticket [PHONE]',
        n: '[PHONE]',
        big: '[PHONE]',
      });
    });

    it('near misses stay: runs of 6 or fewer digits, and small numbers', () => {
      expect(redactText('queue 123456, wait 12 s, code 404, ext 8001, 2026-12-06 06:26:37')).toBe(
        'queue 123456, wait 12 s, code 404, ext 8001, 2026-12-06 06:26:37',
      );
      expect(redactValue({ n: 123456, m: 0, status: 503, note: 'line 2 of 3' })).toEqual({ n: 123456, m: 0, status: 503, note: 'line 2 of 3' });
    });
  });

  describe('secret keys', () => {
    const opaque = 'abcDEF-opaque';
    it.each([
      'credential',
      'sipCredential',
      'credentials',
      'cookie',
      'Cookie',
      'setCookie',
      'ha1',
      'HA1',
      'ha1b',
      'nonce',
      'cnonce',
      'authNonce',
      'password',
      'sipPassword',
      'pass',
      'secret',
      'clientSecret',
      'token',
      'refreshToken',
      'authorization',
    ])('%s is masked whatever its value', (key) => {
      expect(redactValue({ [key]: opaque })).toEqual({ [key]: '[REDACTED]' });
      expect(redactValue({ [key]: { nested: opaque } })).toEqual({ [key]: '[REDACTED]' });
      expect(redactValue({ outer: { [key]: opaque } })).toEqual({ outer: { [key]: '[REDACTED]' } });
    });
  });

  describe('personal keys', () => {
    const name = '张三 Zhang';
    it.each([
      'caller',
      'callerNumber',
      'callerName',
      'callerId',
      'callerDisplay',
      'callee',
      'calleeName',
      'contact',
      'contactName',
      'identity',
      'remoteIdentity',
      'address',
      'emailAddress',
      'phone',
      'mobile',
      'msisdn',
      'idCard',
    ])('%s is masked whatever its value', (key) => {
      expect(redactValue({ [key]: name })).toEqual({ [key]: '[PERSONAL]' });
      expect(redactValue({ [key]: { display: name } })).toEqual({ [key]: '[PERSONAL]' });
      expect(redactValue({ outer: [{ [key]: name }] })).toEqual({ outer: [{ [key]: '[PERSONAL]' }] });
    });

    it('an absent personal value stays absent', () => {
      expect(redactValue({ callerName: null, contact: undefined })).toEqual({ callerName: null, contact: undefined });
    });
  });

  it('near misses: neutral keys keep their (non-personal) values', () => {
    const ctx = { callId: 'c-17', line: 2, state: 'ringing', direction: 'inbound', reason: 'Busy Here', hash: 'v1', count: 3, duration: 42 };
    expect(redactValue(ctx)).toEqual(ctx);
  });
});
