/**
 * Key material of the platform. One master key from configuration (PLATFORM_MASTER_KEY, 32 bytes
 * base64) is expanded with HKDF into independent keys per purpose, so a leaked token key does not
 * reveal personal data and vice versa.
 */
import crypto from 'node:crypto';

export interface PlatformKeys {
  /** AES-256-GCM key for personal data at rest. */
  dataKey: Buffer;
  /** HMAC key for the phone-number blind index. */
  indexKey: Buffer;
  /** HMAC key for access tokens. */
  tokenKey: Buffer;
  /** HMAC key for the audit chain: without it nobody can recompute a rewritten chain. */
  auditKey: Buffer;
}

export function deriveKeys(master: Buffer): PlatformKeys {
  if (master.length < 32) throw new Error('PLATFORM_MASTER_KEY must be at least 32 bytes');
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', master, Buffer.alloc(0), `hotline-platform/${info}`, 32));
  return { dataKey: derive('data-encryption/v1'), indexKey: derive('blind-index/v1'), tokenKey: derive('access-token/v1'), auditKey: derive('audit-chain/v1') };
}
