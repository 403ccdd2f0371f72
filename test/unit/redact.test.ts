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
