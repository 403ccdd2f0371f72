import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretStore, SecretsUnavailableError } from '../../main/secrets/secret-store';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { testEncryptor } from '../../e2e/support/test-encryptor';
import { tmpDir } from '../helpers/tmp';

const SECRET = 'S3cret-口令-8001!';
const logger = createLogger(new MemorySink());

describe('secret store', () => {
  it('never writes the secret in plaintext', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'secrets.json');
    const store = new SecretStore(file, testEncryptor(), logger);
    store.set('sipPassword', SECRET);
    const bytes = fs.readFileSync(file);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.toString('utf8')).not.toContain('S3cret');
    expect(bytes.includes(Buffer.from(Buffer.from(SECRET).toString('base64')))).toBe(false);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('round-trips through the encryptor and survives a restart with the same key', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'secrets.json');
    const key = crypto.randomBytes(32);
    new SecretStore(file, testEncryptor(key), logger).set('sipPassword', SECRET);
    const again = new SecretStore(file, testEncryptor(key), logger);
    expect(again.has('sipPassword')).toBe(true);
    expect(again.get('sipPassword')).toBe(SECRET);
  });

  it('drops a secret that no longer decrypts (keyring changed) instead of failing', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'secrets.json');
    new SecretStore(file, testEncryptor(), logger).set('sipPassword', SECRET);
    const sink = new MemorySink();
    const other = new SecretStore(file, testEncryptor(), createLogger(sink));
    expect(other.get('sipPassword')).toBeUndefined();
    expect(other.has('sipPassword')).toBe(false);
    expect(sink.entries.some((e) => e.level === 'warn')).toBe(true);
  });

  it('refuses to store anything when no encryption is available', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'secrets.json');
    const store = new SecretStore(file, testEncryptor(undefined, false), logger);
    expect(() => store.set('sipPassword', SECRET)).toThrow(SecretsUnavailableError);
    expect(fs.existsSync(file)).toBe(false);
    expect(store.protection()).toBe('unavailable');
  });

  it('ignores a tampered file', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'secrets.json');
    fs.writeFileSync(file, '{"version":1,"entries":{"sipPassword":"plain text!"}}');
    const store = new SecretStore(file, testEncryptor(), logger);
    expect(store.get('sipPassword')).toBeUndefined();
  });
});
