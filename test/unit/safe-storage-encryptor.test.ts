/**
 * The Electron edge of the secret store: main/electron/ports.ts `safeStorageEncryptor()` against
 * the recording stand-in of `electron`. These pin the two protections that the store's own tests
 * (secrets.test.ts, with a test encryptor) cannot see:
 *  - the bytes written for a secret are safeStorage's ciphertext, never the plain text, and
 *    reading it back goes through safeStorage.decryptString;
 *  - on Linux, a safeStorage backend of `basic_text` (or `unknown`) means no real keyring: the
 *    protection is reported as 'weak' all the way to the renderer's status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ElectronStandIn, topFrame } from '../helpers/electron-stand-in';
import { APP_ENTRY_URL } from '../../main/security/baseline';
import { tmpDir } from '../helpers/tmp';
import { SecretStore } from '../../main/secrets/secret-store';
import { secretsService } from '../../main/secrets/service';
import { createLogger, MemorySink } from '../../main/logging/logger';
import type { ServiceContext } from '../../main/ipc/service';

const electron = vi.hoisted(() => ({ current: undefined as ElectronStandIn | undefined }));

vi.mock('electron', async () => {
  const { electronModule } = await import('../helpers/electron-stand-in');
  return electronModule(() => electron.current);
});

const { safeStorageEncryptor } = await import('../../main/electron/ports');

const SECRET = 'S3cret-口令-8001!';
const logger = createLogger(new MemorySink());
const realPlatform = process.platform;

function setPlatform(platform: NodeJS.Platform) {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

let stand: ElectronStandIn;
beforeEach(() => {
  stand = new ElectronStandIn({ userData: tmpDir('ws-safe-storage-') });
  electron.current = stand;
});
afterEach(() => {
  setPlatform(realPlatform);
  electron.current = undefined;
  vi.restoreAllMocks();
});

/** Every base64 entry of the secrets file, decoded. */
function storedEntries(file: string): Record<string, Buffer> {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: Record<string, string> };
  return Object.fromEntries(Object.entries(parsed.entries).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

describe('safeStorage encryptor (main/electron/ports.ts)', () => {
  it('encrypts through safeStorage: the stored bytes are its ciphertext, not the secret', () => {
    const encrypt = vi.spyOn(stand.safeStorage, 'encryptString');
    const file = path.join(tmpDir(), 'secrets.json');
    const store = new SecretStore(file, safeStorageEncryptor(), logger);
    store.set('sipPassword', SECRET);

    expect(encrypt).toHaveBeenCalledWith(SECRET);
    const stored = storedEntries(file).sipPassword!;
    expect(stored.equals(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(stored.includes(Buffer.from(SECRET, 'utf8'))).toBe(false);
    expect(stored.toString('utf8')).not.toContain('S3cret');
    expect(stored.toString('latin1')).not.toContain('S3cret');
    // Exactly what safeStorage produced, so nothing else (e.g. Buffer.from) stood in for it.
    expect(stored.equals(encrypt.mock.results[0]!.value as Buffer)).toBe(true);
    const raw = fs.readFileSync(file);
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    expect(raw.includes(Buffer.from(Buffer.from(SECRET).toString('base64')))).toBe(false);
  });

  it('decrypts through safeStorage', () => {
    const decrypt = vi.spyOn(stand.safeStorage, 'decryptString');
    const file = path.join(tmpDir(), 'secrets.json');
    new SecretStore(file, safeStorageEncryptor(), logger).set('sipPassword', SECRET);
    const again = new SecretStore(file, safeStorageEncryptor(), logger);
    expect(again.get('sipPassword')).toBe(SECRET);
    expect(decrypt).toHaveBeenCalledTimes(1);
    expect((decrypt.mock.calls[0]![0] as Buffer).equals(storedEntries(file).sipPassword!)).toBe(true);
  });

  it('keeps nothing when a value stored in plain text is read back (it must not decrypt to the secret)', () => {
    // A plain-text entry (what a Buffer.from "encryptor" would have written) is not accepted as-is.
    const file = path.join(tmpDir(), 'secrets.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, entries: { sipPassword: Buffer.from(SECRET).toString('base64') } }));
    const store = new SecretStore(file, safeStorageEncryptor(), logger);
    expect(store.get('sipPassword')).not.toBe(SECRET);
  });

  it('reports availability from safeStorage', () => {
    vi.spyOn(stand.safeStorage, 'isEncryptionAvailable').mockReturnValue(false);
    const enc = safeStorageEncryptor();
    expect(enc.isEncryptionAvailable()).toBe(false);
    expect(enc.protection()).toBe('unavailable');
    expect(new SecretStore(path.join(tmpDir(), 's.json'), enc, logger).protection()).toBe('unavailable');
  });

  describe('weak keyring detection', () => {
    const cases: [NodeJS.Platform, string, 'os' | 'weak'][] = [
      ['linux', 'basic_text', 'weak'],
      ['linux', 'unknown', 'weak'],
      ['linux', 'gnome_libsecret', 'os'],
      ['linux', 'kwallet5', 'os'],
      ['linux', 'kwallet6', 'os'],
      ['win32', 'unknown', 'os'],
      ['darwin', 'unknown', 'os'],
    ];
    for (const [platform, backend, expected] of cases) {
      it(`${platform} with backend ${backend} → ${expected}`, () => {
        setPlatform(platform);
        vi.spyOn(stand.safeStorage, 'getSelectedStorageBackend').mockReturnValue(backend);
        expect(safeStorageEncryptor().protection()).toBe(expected);
      });
    }

    it('a weak keyring reaches the renderer through secrets:status', () => {
      setPlatform('linux');
      vi.spyOn(stand.safeStorage, 'getSelectedStorageBackend').mockReturnValue('basic_text');
      const secrets = new SecretStore(path.join(tmpDir(), 'secrets.json'), safeStorageEncryptor(), logger);
      expect(secrets.protection()).toBe('weak');
      const service = secretsService({ secrets, logger } as unknown as ServiceContext);
      const status = (service.handlers.status as (i: undefined) => unknown)(undefined);
      expect(status).toEqual({ sipPasswordSet: false, protection: 'weak' });
    });
  });
});

/** The same, through the real start-up (main/index.ts → core → secret store), over IPC. */
describe('secrets as wired by the app', () => {
  const APP_FRAME = topFrame(APP_ENTRY_URL);

  async function startApp(): Promise<ElectronStandIn> {
    vi.resetModules();
    await import('../../main/index');
    stand.makeReady();
    await stand.firstWindowLoaded();
    return stand;
  }

  it('the SIP password is stored as safeStorage ciphertext and the status says os', async () => {
    setPlatform('linux');
    const encrypt = vi.spyOn(stand.safeStorage, 'encryptString');
    const app = await startApp();
    expect(await app.invoke('secrets:setSipPassword', { password: SECRET }, APP_FRAME)).toEqual({ ok: true, value: { sipPasswordSet: true, protection: 'os' } });
    expect(encrypt).toHaveBeenCalledWith(SECRET);
    const file = path.join(app.options.userData, 'secrets.json');
    const raw = fs.readFileSync(file);
    expect(raw.includes(Buffer.from(SECRET))).toBe(false);
    expect(raw.includes(Buffer.from(Buffer.from(SECRET).toString('base64')))).toBe(false);
    expect(storedEntries(file).sipPassword!.equals(encrypt.mock.results.at(-1)!.value as Buffer)).toBe(true);
  });

  it('on Linux without a keyring (basic_text) the renderer is told the protection is weak', async () => {
    setPlatform('linux');
    vi.spyOn(stand.safeStorage, 'getSelectedStorageBackend').mockReturnValue('basic_text');
    const app = await startApp();
    expect(await app.invoke('secrets:status', undefined, APP_FRAME)).toEqual({ ok: true, value: { sipPasswordSet: false, protection: 'weak' } });
  });
});
