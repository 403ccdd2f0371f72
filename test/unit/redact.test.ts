import { describe, expect, it, vi } from 'vitest';
import { maskPhone, redactText, redactValue } from '../../shared/base/redact';
import type * as RedactModule from '../../shared/base/redact';

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

/**
 * The patterns of shared/base/redact.ts are module-level constants, built once when the module is
 * first imported. Each test below imports a fresh copy of the module, so the patterns it checks are
 * the ones built for that test (this is also what lets mutation testing see which test covers a
 * pattern). The inputs are formats the 7+-digit catch-all cannot hide: numbers with separators,
 * prefixes glued to the number, values surrounded by text.
 */
async function fresh(): Promise<typeof RedactModule> {
  vi.resetModules();
  return import('../../shared/base/redact');
}

describe('redaction: specific patterns beyond the digit catch-all', () => {
  it.each([
    // Mobiles: with and without country prefix, separated by spaces or dashes, or partly glued.
    ['call 138 1234 5678 now', 'call [PHONE] now'],
    ['call 138-1234-5678 now', 'call [PHONE] now'],
    ['call +86-138-1234-5678 now', 'call [PHONE] now'],
    ['call +86 138 1234 5678 now', 'call [PHONE] now'],
    ['call 86 138 1234 5678 now', 'call [PHONE] now'],
    ['call +86 13812345678 now', 'call [PHONE] now'],
    ['call +8613812345678 now', 'call [PHONE] now'],
    ['call 0086 138 1234 5678 now', 'call [PHONE] now'],
    ['call 0086-138-1234-5678 now', 'call [PHONE] now'],
    ['call 0086138 1234 5678 now', 'call [PHONE] now'],
    ['call 1381234 5678 now', 'call [PHONE] now'],
    ['call 138 12345678 now', 'call [PHONE] now'],
    ['call 199 8765 4321, then 159-0000-1111.', 'call [PHONE], then [PHONE].'],
    // Landlines: area code of 3 or 4 digits, separated by a dash or a space, 7 or 8 digits.
    ['tel 010-12345678 ext 2', 'tel [PHONE] ext 2'],
    ['tel 010 1234567 ext 2', 'tel [PHONE] ext 2'],
    ['tel 0755 1234567 ext 2', 'tel [PHONE] ext 2'],
    ['tel 0755-83451234, desk', 'tel [PHONE], desk'],
  ])('%s', async (input, expected) => {
    const { redactText: redact } = await fresh();
    expect(redact(input)).toBe(expected);
  });

  it('near misses of the separated formats stay: 12 (not 1[3-9]) mobiles, short groups, no area code', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('room 128 1234 5678')).toBe('room 128 1234 5678');
    expect(redact('step 138 123 4567')).toBe('step 138 123 4567');
    expect(redact('dial 755-123456')).toBe('dial 755-123456');
    expect(redact('queue 123456 and 12366')).toBe('queue 123456 and 12366');
  });

  it('labels a number by what it is: resident ID → [ID], phone → [PHONE], other long runs → [PHONE]', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('id 110101199003077777 ok')).toBe('id [ID] ok');
    expect(redact('id 11010119900307777X ok')).toBe('id [ID] ok');
    expect(redact('id 11010119900307777x, ok')).toBe('id [ID], ok');
    expect(redact('id:110101199003077777')).toBe('id:[ID]');
    expect(redact('110101199003077777')).toBe('[ID]');
    // 17 digits + a letter other than X is no resident ID; 17 or 19 digits neither.
    expect(redact('id 11010119900307777Y ok')).toBe('id [PHONE]Y ok');
    expect(redact('n 11010119900307777 ok')).toBe('n [PHONE] ok');
    expect(redact('n 1101011990030777777 ok')).toBe('n [PHONE] ok');
    // Glued to letters it is part of another token (a hash, a file name): not an ID.
    expect(redact('ref a110101199003077777')).toBe('ref a[PHONE]');
    expect(redact('ref 110101199003077777b')).toBe('ref [PHONE]b');
  });

  it('catch-all: 7 digits are redacted, 6 are not, and only digit runs are touched', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('a 1234567 b')).toBe('a [PHONE] b');
    expect(redact('a 123456 b')).toBe('a 123456 b');
    expect(redact('transfer to 12366 or 110, attempt 3')).toBe('transfer to 12366 or 110, attempt 3');
    expect(redact('no numbers in this sentence at all')).toBe('no numbers in this sentence at all');
  });

  it('SIP and SIPS URIs lose their user part, whatever its length', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('To: <sip:8001@sip.gov.cn>')).toBe('To: <sip:[USER]@sip.gov.cn>');
    expect(redact('From: "x" <sips:13812345678@sip.gov.cn;tag=1>')).toBe('From: "x" <sips:[USER]@sip.gov.cn;tag=1>');
    expect(redact('sip:a@h')).toBe('sip:[USER]@h');
    expect(redact('SIP:agent.one@h')).toBe('SIP:[USER]@h');
    expect(redact('sip:sip.gov.cn;transport=ws')).toBe('sip:sip.gov.cn;transport=ws');
  });

  it('Authorization headers lose their whole value, however they are spaced or folded', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('Authorization: Digest username="8001", response="abc"')).toBe('Authorization: [REDACTED]');
    expect(redact('Authorization:Bearer abc.def')).toBe('Authorization: [REDACTED]');
    expect(redact('authorization : Bearer abc.def')).toBe('authorization: [REDACTED]');
    expect(redact('Proxy-Authorization:   Digest nonce="n1"\r\nVia: SIP/2.0/WSS')).toBe('Proxy-Authorization: [REDACTED]\r\nVia: SIP/2.0/WSS');
    // A folded header: the value sits on the continuation line.
    expect(redact('Authorization:\r\n  Digest username="8001"')).toBe('Authorization: [REDACTED]');
  });

  it('password, token and secret values in free text are redacted, quoted or not', async () => {
    const { redactText: redact } = await fresh();
    expect(redact('login password=hunter2 ok')).toBe('login password=[REDACTED] ok');
    expect(redact('token: abc.def, next')).toBe('token: [REDACTED], next');
    expect(redact('secret=s3 x')).toBe('secret=[REDACTED] x');
    expect(redact('{"password":"a b c","x":1}')).toBe('{"password":[REDACTED],"x":1}');
    expect(redact('{"token": "", "x":1}')).toBe('{"token": [REDACTED], "x":1}');
    expect(redact('{"secret":abc}')).toBe('{"secret":[REDACTED]}');
  });

  it('secret and personal keys: short forms are matched too (pass, caller)', async () => {
    const { redactValue: redactV } = await fresh();
    expect(redactV({ pass: 'opaque', caller: '张三', callerNumber: 'n', note: 'ok' })).toEqual({
      pass: '[REDACTED]',
      caller: '[PERSONAL]',
      callerNumber: '[PERSONAL]',
      note: 'ok',
    });
  });
});

describe('redaction of structured values: shapes and limits', () => {
  const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });
  const nestArray = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : [nestArray(levels - 1, leaf)]);

  it('keeps values up to 6 levels deep and cuts what lies deeper', () => {
    expect(redactValue(nest(6, 'x'))).toEqual(nest(6, 'x'));
    expect(redactValue(nest(7, 'x'))).toEqual(nest(7, '[DEPTH]'));
    expect(redactValue(nestArray(6, 'x'))).toEqual(nestArray(6, 'x'));
    expect(redactValue(nestArray(7, 'x'))).toEqual(nestArray(7, '[DEPTH]'));
    expect(redactValue({ a: [{ a: [{ a: [{ a: 'x' }] }] }] })).toEqual({ a: [{ a: [{ a: [{ a: '[DEPTH]' }] }] }] });
  });

  it('terminates on a self-referencing context', () => {
    const loop: Record<string, unknown> = { state: 'ringing' };
    loop.self = loop;
    const out = redactValue(loop) as Record<string, unknown>;
    expect(out.state).toBe('ringing');
    expect(JSON.stringify(out)).toContain('[DEPTH]');
  });

  it('keeps at most 50 array items', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => i);
    expect(redactValue(fifty)).toEqual(fifty);
    expect(redactValue([...fifty, 50])).toEqual(fifty);
    expect(redactValue({ list: Array.from({ length: 80 }, () => 'x') })).toEqual({ list: Array.from({ length: 50 }, () => 'x') });
  });

  it('reduces an Error to its name and redacted message', () => {
    expect(redactValue(new Error('failed for 13812345678'))).toEqual({ name: 'Error', message: 'failed for [PHONE]' });
    expect(redactValue({ error: new TypeError('bad sip:8001@h') })).toEqual({ error: { name: 'TypeError', message: 'bad sip:[USER]@h' } });
  });

  it('keeps null, undefined, booleans and small numbers as they are; long numbers become [PHONE]', () => {
    expect(redactValue(null)).toBeNull();
    expect(redactValue(undefined)).toBeUndefined();
    expect(redactValue(true)).toBe(true);
    expect(redactValue(false)).toBe(false);
    expect(redactValue({ a: null, b: undefined, c: true, d: 123456, e: 1234567, f: [null, false] })).toEqual({
      a: null,
      b: undefined,
      c: true,
      d: 123456,
      e: '[PHONE]',
      f: [null, false],
    });
  });

  it('masks a phone for display from its digits only, whatever the separators', () => {
    expect(maskPhone('12-34')).toBe('****');
    expect(maskPhone('123 456')).toBe('******');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('008613812345678')).toBe('138****5678');
    expect(maskPhone('8613812345678')).toBe('138****5678');
    // Short numbers: never all digits shown (3 + 4 of 7 would be the whole number).
    expect(maskPhone('1234567')).toBe('***4567');
    expect(maskPhone('83451234')).toBe('****1234');
    expect(maskPhone('0755834512')).toBe('******4512');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone('')).toBe('');
  });
});

describe('maskPersonalNumber', () => {
  it('masks a person’s number and leaves service numbers and extensions as they are', async () => {
    const { maskPersonalNumber } = await import('../../shared/base/redact');
    expect(maskPersonalNumber('13900139000')).toBe('139****9000');
    expect(maskPersonalNumber('+8613900139000')).toBe('139****9000');
    expect(maskPersonalNumber('075583765566')).toBe('075****5566');
    expect(maskPersonalNumber('12366')).toBe('12366');
    expect(maskPersonalNumber('caller1')).toBe('caller1');
    expect(maskPersonalNumber('')).toBe('');
  });
});
