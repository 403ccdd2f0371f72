import { describe, expect, it } from 'vitest';
import { cleanDisplayName, cleanNumber } from '../../shared/softphone/remote-identity';

describe('caller identity from SIP headers', () => {
  it('unescapes quoted-string escapes', () => {
    expect(cleanDisplayName('"张\\"三\\\\"')).toBe('张"三\\');
  });
  it('drops control and bidi characters and bounds the length', () => {
    expect(cleanDisplayName('李\u0000四\u202e\n王')).toBe('李 四 王');
    expect([...cleanDisplayName('长'.repeat(200))].length).toBe(64);
  });
  it('keeps markup as plain characters (rendering as text is the UI’s job)', () => {
    expect(cleanDisplayName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
  it('accepts phone-like users and strips anything else from others', () => {
    expect(cleanNumber('13812345678')).toBe('13812345678');
    expect(cleanNumber('%2B8613812345678')).toBe('+8613812345678');
    expect(cleanNumber('caller1')).toBe('caller1');
    expect(cleanNumber('<script>')).toBe('script');
  });
});
