/**
 * Stand-in for Electron's safeStorage where Electron cannot run (tests, the Chromium bridge):
 * AES-256-GCM with a key held by the harness. It is the Electron edge, not the secret store —
 * the store, its file format and its refusal to keep plaintext are the real ones.
 */
import crypto from 'node:crypto';
import type { Encryptor } from '../../main/secrets/secret-store';

export function testEncryptor(key: Buffer = crypto.randomBytes(32), available = true): Encryptor {
  return {
    isEncryptionAvailable: () => available,
    protection: () => (available ? 'os' : 'unavailable'),
    encryptString(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(blob) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
      decipher.setAuthTag(blob.subarray(12, 28));
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
