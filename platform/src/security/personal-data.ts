/**
 * Personal data at rest: AES-256-GCM with a random IV per value ("v1." + base64(iv|tag|ciphertext)),
 * and a keyed hash (HMAC-SHA256, the "blind index") of the normalised phone number for exact-match
 * look-ups — the database never holds a phone number in clear.
 */
import crypto from 'node:crypto';
import { normalizePhone } from '../../../shared/base/phone-number';

export class PersonalDataCipher {
  constructor(
    private readonly dataKey: Buffer,
    private readonly indexKey: Buffer,
  ) {}

  encrypt(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.dataKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return 'v1.' + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored.startsWith('v1.')) throw new Error('unknown ciphertext version');
    const blob = Buffer.from(stored.slice(3), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.dataKey, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(12, 28));
    return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(stored: string): T {
    return JSON.parse(this.decrypt(stored)) as T;
  }

  phoneIndex(phone: string): string {
    return crypto.createHmac('sha256', this.indexKey).update(normalizePhone(phone)).digest('hex');
  }

  /**
   * Blind index of an address (district|street|detail, each normalised), or undefined when the
   * address is too vague to match on: it needs district and street, or a detail. Domain-separated
   * from the phone index, so the two never collide.
   */
  addressIndex(address: { district?: string; street?: string; detail?: string } | undefined): string | undefined {
    if (!address) return undefined;
    const [district, street, detail] = [address.district, address.street, address.detail].map(normalizeAddressPart);
    if (!((district && street) || detail)) return undefined;
    return crypto.createHmac('sha256', this.indexKey).update(`address\u0000${district}|${street}|${detail}`).digest('hex');
  }
}

/** Full-width to half-width (NFKC), lower case, without spaces, punctuation or symbols: 3栋-2单元 = ３栋２单元. */
export function normalizeAddressPart(part: string | undefined): string {
  return (part ?? '').normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * 13812341234 → 138****1234. Numbers of up to 6 digits are service numbers (110, 12345, 95588)
 * and shown as they are; a 7- to 10-digit number (a local landline, with or without area code)
 * shows only its last four digits — 3 + 4 of them would be nearly the whole number.
 */
export function maskPhoneNumber(phone: string): string {
  const d = normalizePhone(phone);
  if (d.length <= 6) return d;
  if (d.length < 11) return `${'*'.repeat(d.length - 4)}${d.slice(-4)}`;
  return `${d.slice(0, 3)}****${d.slice(-4)}`;
}

/** 张三丰 → 张**; single characters stay masked. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

const PHONES_IN_TEXT = [/(?<!\d)(?:\+?86[-\s]?)?(1[3-9]\d)[-\s]?\d{4}[-\s]?(\d{4})(?!\d)/g, /(?<!\d)(0\d{2,3})[-\s]?\d{3,4}(\d{4})(?!\d)/g];

/** Phone numbers written into free text (content, title) are masked in replies too. */
export function maskPhonesInText(text: string): string {
  let out = text;
  for (const re of PHONES_IN_TEXT) out = out.replace(re, (_m, head: string, tail: string) => `${head}****${tail}`);
  return out;
}
