/**
 * Personal data at rest in the renderer's IndexedDB: sealed with AES-256-GCM under a key that
 * main keeps in its secret store (safeStorage) and hands over at start, and found again by keyed
 * hashes (blind indexes) instead of plaintext — the same approach as the platform's database.
 *
 * - `seal` / `open`: a JSON value ↔ { iv, data } (12-byte random IV per value, 128-bit tag). The
 *   record's id is bound as additional data, so a sealed value copied onto another row fails.
 * - `index`: HMAC-SHA-256 of a normalised value, truncated (base64url, 16 bytes): exact look-ups
 *   (a caller's number) without the number on disk.
 * - `terms`: keyed hashes of the character bigrams of text (and the digit bigrams of numbers),
 *   for local search (the orders' search index); they reveal only how often hashed bigrams
 *   recur, never the text.
 *
 * Sealing uses WebCrypto; the keyed hashes are HMAC-SHA-256 in JavaScript (@noble/hashes).
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';
import { normalizePhone } from '../../../shared/base/phone-number';

export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

export interface LocalCipher {
  seal(value: unknown, recordId: string): Promise<Sealed>;
  open<T>(sealed: Sealed, recordId: string): Promise<T>;
  /** Blind index of a phone number (normalised first: +86, spaces and dashes do not matter). */
  phoneIndex(phone: string): Promise<string>;
  /** The same blind index as phoneIndex, computed synchronously (where the cipher can). */
  phoneIndexNow?(phone: string): string;
  /** Blind index of any exact value. */
  index(value: string): Promise<string>;
  /** Blind search terms of free text and numbers (deduplicated). */
  terms(...texts: string[]): Promise<string[]>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Lower case, full-width forms folded, blanks and punctuation dropped: what search should ignore. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The character bigrams of text (a single character is its own term). */
export function bigrams(text: string): string[] {
  const chars = [...normaliseForSearch(text)];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

export async function createLocalCipher(keys: { dataKey: string; indexKey: string }): Promise<LocalCipher> {
  const aes = await crypto.subtle.importKey('raw', fromBase64(keys.dataKey), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
  // Blind indexes are computed in JavaScript, synchronously (the same HMAC-SHA-256 as WebCrypto's,
  // checked in the tests): a ringing call's number is looked up without a round trip to the
  // crypto thread while the main thread is busy drawing the call.
  const indexKey = fromBase64(keys.indexKey);
  const macNow = (label: string, value: string) => base64url(hmac(sha256, indexKey, encoder.encode(`${label}\u0000${value}`)).slice(0, 16));
  const mac = (label: string, value: string) => Promise.resolve(macNow(label, value));
  const cipher: LocalCipher = {
    async seal(value, recordId) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(recordId) }, aes, encoder.encode(JSON.stringify(value)));
      return { iv, data };
    },
    async open<T>(sealed: Sealed, recordId: string) {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(sealed.iv), additionalData: encoder.encode(recordId) }, aes, sealed.data);
      return JSON.parse(decoder.decode(plain)) as T;
    },
    phoneIndex: (phone) => mac('phone', normalizePhone(phone)),
    phoneIndexNow: (phone) => macNow('phone', normalizePhone(phone)),
    index: (value) => mac('value', value),
    async terms(...texts) {
      const all = new Set<string>();
      for (const t of texts) for (const g of bigrams(t)) all.add(g);
      return Promise.all([...all].map((g) => mac('term', g)));
    },
  };
  return cipher;
}
