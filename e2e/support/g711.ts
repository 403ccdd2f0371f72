/**
 * G.711 (ITU-T G.711) companding for the suite's plain-RTP callers: 16-bit linear PCM to and from
 * A-law (PCMA, RTP payload type 8) and µ-law (PCMU, payload type 0), one byte per sample at 8 kHz.
 * The segment tables are the recommendation's; written here so a test party can speak and hear
 * G.711 without a codec library.
 */

/** Upper bound of each A-law segment for the magnitude >> 3 (13-bit). */
const A_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
/** Upper bound of each µ-law segment for the biased magnitude >> 2 (14-bit). */
const U_SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const U_BIAS = 0x84;
const U_CLIP = 8159;

function segment(value: number, ends: readonly number[]): number {
  const i = ends.findIndex((end) => value <= end);
  return i < 0 ? ends.length : i;
}

export function alawEncode(sample: number): number {
  let v = sample >> 3;
  // Even bits are inverted on the wire (0x55); the sign bit is set for positive samples.
  let mask = 0xd5;
  if (v < 0) {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = segment(v, A_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  const quant = seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return ((seg << 4) | quant) ^ mask;
}

export function alawDecode(byte: number): number {
  const a = byte ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

export function ulawEncode(sample: number): number {
  let v = sample >> 2;
  let mask = 0xff;
  if (v < 0) {
    v = -v;
    mask = 0x7f;
  }
  v = Math.min(v, U_CLIP) + (U_BIAS >> 2);
  const seg = segment(v, U_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((v >> (seg + 1)) & 0x0f)) ^ mask;
}

export function ulawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const t = (((u & 0x0f) << 3) + U_BIAS) << ((u & 0x70) >> 4);
  return u & 0x80 ? U_BIAS - t : t - U_BIAS;
}

/** RTP static payload types of G.711. */
export const PCMU = 0;
export const PCMA = 8;

export function encodeG711(pt: number, samples: Int16Array): Buffer {
  const out = Buffer.alloc(samples.length);
  const enc = pt === PCMA ? alawEncode : ulawEncode;
  for (let i = 0; i < samples.length; i++) out[i] = enc(samples[i]!);
  return out;
}

/** Linear samples of a G.711 payload, or undefined for another payload type (events, comfort noise). */
export function decodeG711(pt: number, payload: Uint8Array): Int16Array | undefined {
  if (pt !== PCMA && pt !== PCMU) return undefined;
  const dec = pt === PCMA ? alawDecode : ulawDecode;
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = dec(payload[i]!);
  return out;
}
