import { describe, expect, it } from 'vitest';
import { cleanDisplayName, cleanNumber, MAX_DISPLAY_NAME, MAX_FULL_DISPLAY_NAME, MAX_NUMBER, sanitizeSipHeaders, shortDisplayName } from '../../shared/phone/remote-identity';

const length = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s)].length;

describe('caller identity from SIP headers', () => {
  it('unescapes quoted-string escapes', () => {
    expect(cleanDisplayName('"张\\"三\\\\"')).toBe('张"三\\');
  });
  it('unescapes a name as SIP.js hands it over: without its outer quotes, escapes kept', () => {
    // From: "Zhang \"The Boss\"" <sip:…> — the closing escaped quote is part of the name.
    expect(cleanDisplayName('Zhang \\"The Boss\\"')).toBe('Zhang "The Boss"');
    expect(cleanDisplayName('\\"市民\\"')).toBe('"市民"');
    expect(cleanDisplayName('C:\\\\temp\\\\')).toBe('C:\\temp\\');
    expect(cleanDisplayName('dangling\\')).toBe('dangling');
  });
  it('strips only a pair of outer quotes that really enclose the name', () => {
    expect(cleanDisplayName('"Zhang \\"The Boss\\""')).toBe('Zhang "The Boss"');
    expect(cleanDisplayName('"unterminated')).toBe('"unterminated');
  });
  it('keeps Chinese text and full-width punctuation as they are', () => {
    expect(cleanDisplayName('张三（市民）')).toBe('张三（市民）');
  });
  it('drops control and bidi characters and bounds the length', () => {
    expect(cleanDisplayName('李\u0000四\u202e\n王')).toBe('李 四 王');
    expect(cleanDisplayName('长'.repeat(200))).toBe('长'.repeat(200));
    expect([...cleanDisplayName('长'.repeat(1000))].length).toBe(MAX_FULL_DISPLAY_NAME);
  });
  it('drops control characters that came as quoted-pair escapes', () => {
    expect(cleanDisplayName('a\\\u0007b\\\u0000c')).toBe('a b c');
  });
  it('removes terminal escape sequences whole', () => {
    expect(cleanDisplayName('警告\u0007\u001b[31m红色\u001b[0m文字')).toBe('警告 红色文字');
    expect(cleanDisplayName('\u001b[1;4;38;5;196mX\u009b2J')).toBe('X');
    expect(cleanDisplayName('\u001b]0;title\u0007name')).toBe('name');
    expect(cleanDisplayName('a\u001bcb')).toBe('ab');
  });
  it('neutralises every bidi control, so a name cannot reorder the text after it', () => {
    expect(cleanDisplayName('invoice\u202egnp.exe')).toBe('invoice gnp.exe');
    for (const c of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(cleanDisplayName(`a${c}b`)).toBe('a b');
    }
  });
  it('drops zero-width and other invisible characters', () => {
    expect(cleanDisplayName('\ufeff张\u200b三\u2060\u00ad')).toBe('张 三');
    expect(cleanDisplayName('a\u2028b\u2029c')).toBe('a b c');
    expect(cleanDisplayName('tag\u{e0041}\u{e0042}')).toBe('tag');
  });
  it('joins emoji without their zero-width joiners, so each counts as a character', () => {
    expect(cleanDisplayName('👨\u200d👩\u200d👧')).toBe('👨👩👧');
  });
  it('caps piles of combining marks', () => {
    const zalgo = `Z${'\u0301\u0316\u0337'.repeat(30)}a`;
    expect(cleanDisplayName(zalgo)).toBe('Z\u0301\u0316\u0337\u0301a');
    expect(cleanDisplayName('Nguyễn')).toBe('Nguyễn');
  });
  it('keeps the full name up to its bound, and the card shows a cut version of it', () => {
    const long = '市民来电'.repeat(50);
    expect(cleanDisplayName(long)).toBe(long);
    const full = cleanDisplayName('市民来电'.repeat(500));
    expect(length(full)).toBe(MAX_FULL_DISPLAY_NAME);
    expect(full).toBe(`${'市民来电'.repeat(64).slice(0, MAX_FULL_DISPLAY_NAME - 1)}…`);
    const card = shortDisplayName(full);
    expect(length(card)).toBe(MAX_DISPLAY_NAME);
    expect(card).toBe(`${'市民来电'.repeat(16).slice(0, MAX_DISPLAY_NAME - 1)}…`);
    expect(shortDisplayName('张三')).toBe('张三');
    expect(shortDisplayName('A'.repeat(MAX_DISPLAY_NAME))).toBe('A'.repeat(MAX_DISPLAY_NAME));
  });
  it('truncates long names with an ellipsis, by characters as the agent sees them', () => {
    const name = cleanDisplayName('市民来电'.repeat(500), MAX_DISPLAY_NAME);
    expect(length(name)).toBe(MAX_DISPLAY_NAME);
    expect(name).toBe(`${'市民来电'.repeat(16).slice(0, MAX_DISPLAY_NAME - 1)}…`);
    expect(cleanDisplayName('e\u0301'.repeat(100), 3)).toBe('e\u0301e\u0301…');
    expect(cleanDisplayName('🇨🇳'.repeat(10), 4)).toBe('🇨🇳🇨🇳🇨🇳…');
    expect(cleanDisplayName('A'.repeat(MAX_DISPLAY_NAME))).toBe('A'.repeat(MAX_DISPLAY_NAME));
    // No dangling space before the ellipsis.
    expect(cleanDisplayName('ab cd', 4)).toBe('ab…');
  });
  it('bounds characters that chain code points without limit', () => {
    const jamo = cleanDisplayName('\u1100'.repeat(500));
    expect([...jamo].length).toBeLessThanOrEqual(8);
  });
  it('keeps markup as plain characters (rendering as text is the UI’s job)', () => {
    expect(cleanDisplayName('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(cleanDisplayName('<script>alert(1)</script>')).toBe('<script>alert(1)</script>');
  });
  it('gives an empty name for nothing or only invisible characters', () => {
    expect(cleanDisplayName(undefined)).toBe('');
    expect(cleanDisplayName('""')).toBe('');
    expect(cleanDisplayName('\u0007\u202e\u200b')).toBe('');
  });
  it('accepts phone-like users and strips anything else from others', () => {
    expect(cleanNumber('13812345678')).toBe('13812345678');
    expect(cleanNumber('%2B8613812345678')).toBe('+8613812345678');
    expect(cleanNumber('caller1')).toBe('caller1');
    expect(cleanNumber('<script>')).toBe('script');
  });
  it('reads numbers written with separators, full-width digits or as a URI', () => {
    expect(cleanNumber('+86 (10) 1234-5678')).toBe('+861012345678');
    expect(cleanNumber('１２３４５')).toBe('12345');
    expect(cleanNumber('<sip:12345@gateway;user=phone>')).toBe('12345');
    expect(cleanNumber('tel:+86-10-12345')).toBe('+861012345');
    expect(cleanNumber('sip:%2B8612345@gw')).toBe('+8612345');
  });
  it('bounds odd values and keeps no markup or control characters', () => {
    expect(cleanNumber(`12345${'6'.repeat(500)}`)).toBe(`12345${'6'.repeat(MAX_NUMBER - 5)}`);
    expect(cleanNumber('<b onmouseover=alert(1)>12345</b>')).toBe('bonmouseoveralert112345b');
    expect(cleanNumber('123\u0007\u001b[31m45\u202e')).toBe('12345');
    expect(cleanNumber('%E4%BD%A0')).toBe('');
    expect(cleanNumber('%zz12')).toBe('zz12');
    expect(cleanNumber(undefined)).toBe('');
  });
});

describe('sanitizeSipHeaders', () => {
  it('replaces control characters in the header section only, so the parser keeps the message', () => {
    const msg = 'INVITE sip:8001@x SIP/2.0\r\nFrom: "A\u0007B\u001b[31m" <sip:c@x>;tag=1\r\nContent-Length: 4\r\n\r\na\u0007b\n';
    const out = sanitizeSipHeaders(msg);
    expect(out).toBe('INVITE sip:8001@x SIP/2.0\r\nFrom: "A B" <sip:c@x>;tag=1\r\nContent-Length: 4\r\n\r\na\u0007b\n');
    // Quoted with a backslash (a quoted-pair), the character goes with its backslash.
    expect(sanitizeSipHeaders('From: "A\\\u0007B\\\u001b[0mC"\r\n\r\n')).toBe('From: "A BC"\r\n\r\n');
  });

  it('returns a clean message unchanged', () => {
    const msg = 'SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\n';
    expect(sanitizeSipHeaders(msg)).toBe(msg);
  });
});

describe('quoted display names, edge cases', () => {
  it('unquotes a quoted name with spaces around it', () => {
    expect(cleanDisplayName('  "Bob Li"  ')).toBe('Bob Li');
    expect(cleanDisplayName('\t"Bob"\r\n')).toBe('Bob');
  });
  it('keeps quotes that do not enclose the whole name', () => {
    // Only a name that starts with a quote and ends with its closing quote is quoted.
    expect(cleanDisplayName('a"')).toBe('a"');
    expect(cleanDisplayName('Bob "the builder"')).toBe('Bob "the builder"');
    // An opening quote that is never closed stays, whatever the length.
    expect(cleanDisplayName('"x')).toBe('"x');
    expect(cleanDisplayName('"Bob')).toBe('"Bob');
    expect(cleanDisplayName('"a\\"')).toBe('"a"');
  });
});

describe('cleanNumber, edge cases', () => {
  it('reads a URI with blanks before it or inside its angle bracket', () => {
    expect(cleanNumber('  <sip:12345@gateway>')).toBe('12345');
    expect(cleanNumber('< sip:12345@gateway>')).toBe('12345');
    expect(cleanNumber('<\tsips:12345@gateway>')).toBe('12345');
  });
  it('reads a URI only at the start of the value', () => {
    expect(cleanNumber('x<sip:12345@gateway>')).toBe('xsip12345gateway');
    expect(cleanNumber('caller sip:12345@gw')).toBe('callersip12345gw');
  });
});

describe('sanitizeSipHeaders without a body separator', () => {
  it('treats the whole text as the header section, to its last character', () => {
    expect(sanitizeSipHeaders('From: "A\u0007B"')).toBe('From: "A B"');
    expect(sanitizeSipHeaders('X\u0001y')).toBe('X y');
    expect(sanitizeSipHeaders('From: "AB"')).toBe('From: "AB"');
  });
  it('keeps the body after a separator at any position', () => {
    expect(sanitizeSipHeaders('X\u0001\r\n\r\nbody\u0001')).toBe('X \r\n\r\nbody\u0001');
    expect(sanitizeSipHeaders('\u0001\r\n\r\nb')).toBe(' \r\n\r\nb');
  });
});
