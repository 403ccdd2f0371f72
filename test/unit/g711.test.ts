import { describe, expect, it } from 'vitest';
import { alawDecode, alawEncode, decodeG711, encodeG711, PCMA, PCMU, ulawDecode, ulawEncode } from '../../e2e/support/g711';

// The suite's plain-RTP caller speaks and hears G.711 through this codec: a wrong table would make
// every "who hears whom" assertion on the phone-network side meaningless.
describe('G.711 codec of the test callers', () => {
  it('encodes silence and full scale to the recommendation code words', () => {
    expect(alawEncode(0)).toBe(0xd5);
    expect(alawEncode(-1)).toBe(0x55);
    expect(alawEncode(32767)).toBe(0xaa);
    expect(alawEncode(-32768)).toBe(0x2a);
    expect(ulawEncode(0)).toBe(0xff);
    expect(ulawEncode(32767)).toBe(0x80);
    expect(ulawEncode(-32768)).toBe(0x00);
  });

  it('decodes every code word back within the segment step of what was encoded', () => {
    for (let s = -32768; s <= 32767; s += 7) {
      const a = alawDecode(alawEncode(s));
      const u = ulawDecode(ulawEncode(s));
      // Quantisation error grows with the segment: at most 1/16 of the magnitude, plus the first step.
      expect(Math.abs(a - s)).toBeLessThanOrEqual(Math.abs(s) / 16 + 16);
      expect(Math.abs(u - s)).toBeLessThanOrEqual(Math.abs(s) / 16 + 132);
    }
  });

  it('is a bijection on code words (decode then encode gives the byte back)', () => {
    for (let b = 0; b < 256; b++) {
      expect(alawEncode(alawDecode(b))).toBe(b);
      if (b !== 0x7f) expect(ulawEncode(ulawDecode(b))).toBe(b); // 0x7f and 0xff are both zero in µ-law
    }
  });

  it('knows only the G.711 payload types', () => {
    const tone = Int16Array.from({ length: 160 }, (_, i) => Math.round(16000 * Math.sin(i / 3)));
    for (const pt of [PCMA, PCMU]) {
      const back = decodeG711(pt, encodeG711(pt, tone))!;
      expect(back).toHaveLength(160);
      expect(Math.max(...back.map((v, i) => Math.abs(v - tone[i]!)))).toBeLessThan(1100);
    }
    expect(decodeG711(101, new Uint8Array(4))).toBeUndefined();
  });
});
