import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
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

describe('secret store: file format, failures and what they log', () => {
  function storeAt(file: string, encryptor = testEncryptor()) {
    const sink = new MemorySink();
    return { store: new SecretStore(file, encryptor, createLogger(sink)), sink };
  }

  // The file schema is a module-level constant: a fresh import builds it inside this test (so that
  // mutation testing sees the test cover it).
  it('a file whose entries are not base64 ciphertext is ignored as a whole, and that is logged', async () => {
    vi.resetModules();
    const { SecretStore: FreshStore } = await import('../../main/secrets/secret-store');
    for (const value of ['plain text!', 'S3cret 8001', '!abc', 'abc!']) {
      const file = path.join(tmpDir(), 'secrets.json');
      fs.writeFileSync(file, JSON.stringify({ version: 1, entries: { sipPassword: value, platformRefreshToken: 'AAAA' } }));
      const sink = new MemorySink();
      const store = new FreshStore(file, testEncryptor(), createLogger(sink));
      expect(store.has('platformRefreshToken')).toBe(false);
      expect(store.has('sipPassword')).toBe(false);
      expect(store.get('sipPassword')).toBeUndefined();
      expect(sink.entries).toContainEqual(expect.objectContaining({ level: 'warn', module: 'secrets', message: 'secrets file unreadable; starting empty' }));
    }
  });

  it('an undecryptable secret is removed and the warning names which one, under the secrets module', () => {
    const file = path.join(tmpDir(), 'secrets.json');
    new SecretStore(file, testEncryptor(), logger).set('sipPassword', SECRET);
    const { store, sink } = storeAt(file);
    expect(store.get('sipPassword')).toBeUndefined();
    expect(sink.entries).toEqual([
      { level: 'warn', module: 'secrets', message: 'stored secret could not be decrypted; it was removed', context: { name: 'sipPassword' } },
    ]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, entries: {} });
  });

  it('the refusal without encryption carries a code and a message the renderer can show', () => {
    const { store } = storeAt(path.join(tmpDir(), 'secrets.json'), testEncryptor(undefined, false));
    let caught: unknown;
    try {
      store.set('sipPassword', SECRET);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretsUnavailableError);
    expect((caught as SecretsUnavailableError).code).toBe('secrets_unavailable');
    expect((caught as Error).message).toBe('No secure storage is available on this machine; the secret was not saved.');
  });

  it('deleting a secret that is not stored writes nothing', () => {
    const dir = path.join(tmpDir(), 'profile');
    const file = path.join(dir, 'secrets.json');
    const { store } = storeAt(file);
    store.delete('sipPassword');
    expect(fs.existsSync(dir)).toBe(false);

    store.set('platformRefreshToken', 'tok');
    fs.utimesSync(file, new Date(0), new Date(0));
    store.delete('sipPassword');
    expect(fs.statSync(file).mtimeMs).toBe(0);
    expect(store.get('platformRefreshToken')).toBe('tok');
  });

  it('deleting a stored secret removes only that one', () => {
    const file = path.join(tmpDir(), 'secrets.json');
    const { store } = storeAt(file);
    store.set('sipPassword', SECRET);
    store.set('platformRefreshToken', 'tok');
    store.delete('sipPassword');
    expect(store.has('sipPassword')).toBe(false);
    expect(new SecretStore(file, testEncryptor(), logger).has('platformRefreshToken')).toBe(true);
  });
});
