/**
 * Secrets (SIP password, platform tokens) live only in the main process, encrypted by an
 * Encryptor — Electron's safeStorage in the app. The file holds ciphertext only; a secret that
 * cannot be decrypted (OS keyring changed, profile copied to another machine) is dropped and must
 * be entered again, never guessed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Logger } from '../logging/logger';

export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(cipher: Buffer): string;
  /** How well the key is protected (safeStorage on Linux without a keyring uses a built-in key). */
  protection(): 'os' | 'weak' | 'unavailable';
}

/** localDataKey / localIndexKey: the keys of the renderer's local database (main/orders/local-keys.ts). */
export const SECRET_NAMES = ['sipPassword', 'platformRefreshToken', 'localDataKey', 'localIndexKey'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

const fileSchema = z
  .object({
    version: z.literal(1),
    entries: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/=]*$/)),
  })
  .strict();

export class SecretsUnavailableError extends Error {
  readonly code = 'secrets_unavailable';
  constructor() {
    super('No secure storage is available on this machine; the secret was not saved.');
  }
}

export class SecretStore {
  private readonly log: Logger;

  constructor(
    private readonly filePath: string,
    private readonly encryptor: Encryptor,
    logger: Logger,
  ) {
    this.log = logger.child('secrets');
  }

  protection(): 'os' | 'weak' | 'unavailable' {
    return this.encryptor.isEncryptionAvailable() ? this.encryptor.protection() : 'unavailable';
  }

  has(name: SecretName): boolean {
    return name in this.read().entries;
  }

  get(name: SecretName): string | undefined {
    const cipher = this.read().entries[name];
    if (cipher === undefined) return undefined;
    try {
      return this.encryptor.decryptString(Buffer.from(cipher, 'base64'));
    } catch {
      this.log.warn('stored secret could not be decrypted; it was removed', { name });
      this.delete(name);
      return undefined;
    }
  }

  set(name: SecretName, value: string): void {
    if (!this.encryptor.isEncryptionAvailable()) throw new SecretsUnavailableError();
    const file = this.read();
    file.entries[name] = this.encryptor.encryptString(value).toString('base64');
    this.write(file);
  }

  delete(name: SecretName): void {
    const file = this.read();
    if (!(name in file.entries)) return;
    delete file.entries[name];
    this.write(file);
  }

  private read(): z.infer<typeof fileSchema> {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch {
      return { version: 1, entries: {} };
    }
    try {
      return fileSchema.parse(JSON.parse(text));
    } catch {
      this.log.warn('secrets file unreadable; starting empty');
      return { version: 1, entries: {} };
    }
  }

  private write(file: z.infer<typeof fileSchema>): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true, mode: 0o700 });
    const tmp = `${this.filePath}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(file), { mode: 0o600 });
    fs.renameSync(tmp, this.filePath);
  }
}
