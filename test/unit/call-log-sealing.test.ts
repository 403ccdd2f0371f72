/**
 * The call log's personal data at rest: rows are sealed with the local cipher (nothing personal in
 * the raw IndexedDB rows), the log refuses to work without the keys, and a database of schema
 * version 1 (plaintext rows) is migrated after open — in batches, resumably, with readers seeing
 * the not-yet-migrated rows meanwhile.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import '../../renderer/src/i18n';
import type { CallLogEntry } from '../../shared/phone/call-log';
import { createLocalCipher, type LocalCipher } from '../../renderer/src/local-data/sealed';
import { setLocalCipherForTests } from '../../renderer/src/local-data/keys';
import { BridgeError } from '../../renderer/src/ipc/bridge';
import {
  CALL_LOG_DB_VERSION,
  CallLogKeysUnavailableError,
  CallLogNotFoundError,
  openCallLog,
  type CallLog,
  type CallLogOptions,
} from '../../renderer/src/phone/call-log/call-log-db';
import { getEmptyCallLogState, loadCallLog, recordCallLog, useCallLogStore } from '../../renderer/src/phone/call-log/call-log-store';
import { CallLogTable, callLogLoadError } from '../../renderer/src/phone/call-log/CallLogPanel';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);
const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

/** Everything personal in the fixtures, in every form a number may take. */
const SECRETS = ['13800138000', '8613800138000', '138-0013-8000', '13900139000', '张三', '李四', 'Wang Wu', 'agent-zhao'];

function entry(id: string, overrides: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id,
    direction: 'inbound',
    remoteNumber: '13800138000',
    remoteName: '张三',
    dialled: '12345',
    startedAt: T0,
    answeredAt: T0 + 8_000,
    endedAt: T0 + 128_000,
    result: 'answered',
    agentAccount: 'agent-zhao',
    ...overrides,
  };
}

/** The fixture calls: the same caller written three ways, another caller, a withheld number, a transfer. */
const FIXTURES: CallLogEntry[] = [
  entry('c1@pbx', { startedAt: T0 - 5_000, answeredAt: undefined, endedAt: T0 - 1_000, result: 'missed' }),
  entry('c2@pbx', { startedAt: T0 - 4_000, remoteNumber: '+8613800138000', workOrderId: 'wo-1' }),
  entry('c3@pbx', { startedAt: T0 - 3_000, remoteNumber: '0086-138-0013-8000', remoteName: 'Wang Wu' }),
  entry('c4@pbx', { startedAt: T0 - 2_000, remoteNumber: '13900139000', remoteName: '李四', transferTarget: '12366', transferKind: 'blind', result: 'transferred' }),
  entry('c5@pbx', { startedAt: T0 - 1_000, remoteNumber: '', remoteName: '', transferFailed: { target: '12366', kind: 'attended', reason: 'busy', sipCode: 486 } }),
];

let keys: LocalCipher;
let seq = 0;
const open: CallLog[] = [];

beforeAll(async () => {
  keys = await createLocalCipher({ dataKey: key(7), indexKey: key(8) });
});

afterEach(() => {
  for (const l of open.splice(0)) l.close();
  useCallLogStore.setState(getEmptyCallLogState());
  setLocalCipherForTests(undefined);
  vi.unstubAllGlobals();
});

function fakeDb() {
  return { name: `calllog-sealing-${++seq}`, factory: new IDBFactory() };
}

function openLog(db: { name: string; factory: IDBFactory }, options: CallLogOptions = {}): CallLog {
  const l = openCallLog(db.name, { indexedDB: db.factory, IDBKeyRange, cipher: async () => keys, ...options });
  open.push(l);
  return l;
}

/** A cipher whose seals can be held back or made to fail (to pause or interrupt the migration). */
function controlled(base: LocalCipher) {
  let hold: Promise<void> | undefined;
  let release = () => {};
  let sealsLeft = Number.POSITIVE_INFINITY;
  const cipher: LocalCipher = {
    ...base,
    async seal(value, recordId) {
      if (sealsLeft-- <= 0) throw new Error('seal failed');
      if (hold) await hold;
      return base.seal(value, recordId);
    },
  };
  return {
    cipher,
    pause: () => {
      hold = new Promise((resolve) => (release = resolve));
    },
    resume: () => {
      hold = undefined;
      release();
    },
    failAfter: (n: number) => {
      sealsLeft = n;
    },
  };
}

/** Bytes as text both ways (Latin-1 and UTF-8), so a value in clear would show up either way. */
function bytesAsText(bytes: Uint8Array): string {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return `${b.toString('latin1')}|${b.toString('utf8')}`;
}

/** Every row of every table, opened with a plain Dexie (no cipher, no schema): what is on disk. */
async function rawRows(db: { name: string; factory: IDBFactory }): Promise<{ verno: number; tables: Record<string, Record<string, unknown>[]>; text: string }> {
  const raw = new Dexie(db.name, { indexedDB: db.factory, IDBKeyRange });
  await raw.open();
  try {
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const t of raw.tables) tables[t.name] = (await t.toArray()) as Record<string, unknown>[];
    const text = JSON.stringify(tables, (_k, v: unknown) => {
      if (v instanceof ArrayBuffer || Object.prototype.toString.call(v) === '[object ArrayBuffer]') return bytesAsText(new Uint8Array(v as ArrayBuffer));
      if (ArrayBuffer.isView(v)) return bytesAsText(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      return v;
    });
    return { verno: raw.verno, tables, text };
  } finally {
    raw.close();
  }
}

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) expect(text, `"${secret}" in clear`).not.toContain(secret);
}

/** A database as the previous version (schema 1) left it: plaintext rows, numbers indexed. */
async function createVersion1(db: { name: string; factory: IDBFactory }, rows: CallLogEntry[]): Promise<void> {
  const old = new Dexie(db.name, { indexedDB: db.factory, IDBKeyRange }) as Dexie & { calls: Dexie.Table<CallLogEntry, string> };
  old.version(1).stores({ calls: 'id, startedAt, remoteNumber, workOrderId' });
  await old.calls.bulkPut(rows);
  // The old format really is plaintext (the fixture is what the migration must remove).
  expect(JSON.stringify(await old.calls.toArray())).toContain('13800138000');
  old.close();
}

const ids = (entries: readonly CallLogEntry[]) => entries.map((e) => e.id);
const newestFirst = (entries: readonly CallLogEntry[]) => [...entries].sort((a, b) => b.startedAt - a.startedAt);

describe('call log at rest', () => {
  it('keeps no number or name in clear in the raw IndexedDB rows, and reads everything back', async () => {
    const db = fakeDb();
    const log = openLog(db);
    for (const e of FIXTURES) await log.recordCall(e);
    await log.updateCall('c1@pbx', { remoteName: '李四' });
    await log.linkWorkOrder('c3@pbx', 'wo-3');

    const { verno, tables, text } = await rawRows(db);
    expect(verno).toBe(CALL_LOG_DB_VERSION);
    expect(tables['sealedCalls']).toHaveLength(FIXTURES.length);
    expect(tables['calls']).toEqual([]);
    expectNoSecrets(text);
    // The transfer target (a service number) is sealed too: only the dialled hotline is in clear.
    for (const row of tables['sealedCalls']!) {
      expect(Object.keys(row).sort()).toEqual(
        expect.arrayContaining(['id', 'direction', 'startedAt', 'result', 'sealed', 'rev']),
      );
      for (const field of ['remoteNumber', 'remoteName', 'transferTarget', 'transferKind', 'transferFailed', 'agentAccount']) expect(row).not.toHaveProperty(field);
    }

    // One blind index for every form of the same number; none for a withheld number.
    const indexOf = (id: string) => tables['sealedCalls']!.find((r) => r['id'] === id)?.['numberIndex'];
    expect(indexOf('c1@pbx')).toEqual(expect.any(String));
    expect(indexOf('c2@pbx')).toBe(indexOf('c1@pbx'));
    expect(indexOf('c3@pbx')).toBe(indexOf('c1@pbx'));
    expect(indexOf('c4@pbx')).not.toBe(indexOf('c1@pbx'));
    expect(tables['sealedCalls']!.find((r) => r['id'] === 'c5@pbx')).not.toHaveProperty('numberIndex');

    const expected = FIXTURES.map((e) => (e.id === 'c1@pbx' ? { ...e, remoteName: '李四' } : e.id === 'c3@pbx' ? { ...e, workOrderId: 'wo-3' } : e));
    expect(await log.recentCalls(10)).toEqual(newestFirst(expected));
    expect(ids(await log.callsForNumber('+86 138 0013 8000', 10))).toEqual(['c3@pbx', 'c2@pbx', 'c1@pbx']);
    expect(ids(await log.callsForNumber('13900139000', 10))).toEqual(['c4@pbx']);
    expect(await log.callsForNumber('', 10)).toEqual([]);
  });

  it('does not open a row whose sealed blob was copied onto another call', async () => {
    const db = fakeDb();
    const log = openLog(db);
    await log.recordCall(FIXTURES[0]!);
    await log.recordCall(FIXTURES[3]!);
    const victim = await log.db.sealedCalls.get('c4@pbx');
    const source = await log.db.sealedCalls.get('c1@pbx');
    await log.db.sealedCalls.put({ ...victim!, sealed: source!.sealed });
    expect(await log.getCall('c4@pbx')).toBeUndefined();
    expect(ids(await log.recentCalls(10))).toEqual(['c1@pbx']);
    await expect(log.linkWorkOrder('c4@pbx', 'wo-1')).rejects.toThrow(CallLogNotFoundError);
    // Recording the call again replaces the bad row.
    await log.recordCall(FIXTURES[3]!);
    expect(await log.getCall('c4@pbx')).toEqual(FIXTURES[3]);
  });

  it('does not open under other keys', async () => {
    const db = fakeDb();
    await openLog(db).recordCall(FIXTURES[0]!);
    const other = await createLocalCipher({ dataKey: key(9), indexKey: key(8) });
    expect(await openLog(db, { cipher: async () => other }).recentCalls(10)).toEqual([]);
  });

  it('keeps both changes when an update and a new record of the same call race', async () => {
    const log = openLog(fakeDb());
    await log.recordCall(FIXTURES[0]!);
    const final = { endedAt: T0 + 300_000 };
    await Promise.all([log.linkWorkOrder('c1@pbx', 'wo-9'), log.recordCall({ ...FIXTURES[0]!, ...final }), log.updateCall('c1@pbx', { remoteName: '李四' })]);
    expect(await log.getCall('c1@pbx')).toMatchObject({ workOrderId: 'wo-9', ...final });
    expect((await log.db.sealedCalls.get('c1@pbx'))?.rev).toBe(4);
  });
});

describe('call log without keys', () => {
  const unavailable = () => Promise.reject(new BridgeError({ code: 'secrets_unavailable', message: 'not built yet' }));

  it('refuses to store or show calls rather than keep them in plaintext', async () => {
    const db = fakeDb();
    const log = openLog(db, { cipher: unavailable });
    const refused = await log.recordCall(FIXTURES[0]!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CallLogKeysUnavailableError);
    expect((refused as CallLogKeysUnavailableError).code).toBe('secrets_unavailable');
    expect((refused as Error).message).toMatch(/keys are not available \(secrets_unavailable\)/);
    await expect(log.recentCalls(10)).rejects.toThrow(CallLogKeysUnavailableError);
    await expect(log.callsForNumber('13800138000', 10)).rejects.toThrow(CallLogKeysUnavailableError);
    await expect(log.updateCall('c1@pbx', { result: 'missed' })).rejects.toThrow(CallLogKeysUnavailableError);

    // Through the store, as the panel and the recorder use it.
    await expect(recordCallLog(FIXTURES[1]!, log)).rejects.toThrow(CallLogKeysUnavailableError);
    const loadError = await loadCallLog(log, T0).catch((e: unknown) => e);
    expect(callLogLoadError(loadError)).toBe('keysUnavailable');
    expect(useCallLogStore.getState()).toEqual(getEmptyCallLogState());

    const { tables } = await rawRows(db);
    expect(Object.values(tables).flat()).toEqual([]);
  });

  it('asks main for the keys through the bridge and reports its secrets_unavailable', async () => {
    const localKeys = vi.fn(async () => ({ ok: false as const, error: { code: 'secrets_unavailable', message: 'not built yet' } }));
    vi.stubGlobal('window', { workstation: { orders: { localKeys } } });
    setLocalCipherForTests(undefined);
    const db = fakeDb();
    const log = openCallLog(db.name, { indexedDB: db.factory, IDBKeyRange }); // the default cipher: localCipher()
    open.push(log);
    await expect(log.recordCall(FIXTURES[0]!)).rejects.toMatchObject({ name: 'CallLogKeysUnavailableError', code: 'secrets_unavailable' });
    // A failure is not cached: once main has the keys, the log works.
    localKeys.mockImplementation(async () => ({ ok: true as const, value: { dataKey: key(7), indexKey: key(8) } }) as never);
    await log.recordCall(FIXTURES[0]!);
    expect(await log.getCall('c1@pbx')).toEqual(FIXTURES[0]);
    expect(localKeys).toHaveBeenCalledTimes(2);
  });

  it('the panel says why the log is not shown', () => {
    const html = (error: 'keysUnavailable' | 'failed') => renderToStaticMarkup(createElement(CallLogTable, { entries: [], error, onDial: () => undefined }));
    expect(html('keysUnavailable')).toContain('data-testid="call-log-error"');
    expect(html('keysUnavailable')).toContain('data-error="keysUnavailable"');
    expect(html('keysUnavailable')).toContain('加密密钥不可用');
    expect(html('failed')).toContain('data-error="failed"');
    expect(renderToStaticMarkup(createElement(CallLogTable, { entries: [], onDial: () => undefined }))).not.toContain('call-log-error');
    expect(callLogLoadError(new Error('boom'))).toBe('failed');
  });
});

describe('call log upgrade from schema version 1 (plaintext rows)', () => {
  it('migrates the plaintext rows after open: sealed, plaintext deleted, the number index dropped', async () => {
    const db = fakeDb();
    await createVersion1(db, FIXTURES);

    const log = openLog(db);
    expect(await log.migrateLegacy()).toBe(FIXTURES.length);
    expect(await log.recentCalls(10)).toEqual(newestFirst(FIXTURES));

    const { verno, tables, text } = await rawRows(db);
    expect(verno).toBe(CALL_LOG_DB_VERSION);
    expect(tables['calls']).toEqual([]);
    expect(tables['sealedCalls']).toHaveLength(FIXTURES.length);
    expectNoSecrets(text);
    expect(log.db.table('calls').schema.indexes.map((i) => i.name)).not.toContain('remoteNumber');

    // Idempotent: nothing left to do on the next open.
    log.close();
    expect(await openLog(db).migrateLegacy()).toBe(0);
  });

  it('reads not-yet-migrated rows correctly while the migration is held up', async () => {
    const db = fakeDb();
    await createVersion1(db, FIXTURES);
    const c = controlled(keys);
    c.pause();
    const log = openLog(db, { cipher: async () => c.cipher });

    // The migration started with the first use and is waiting for its seals; readers do not wait.
    expect(await log.recentCalls(10)).toEqual(newestFirst(FIXTURES));
    expect(await log.recentCalls(2, { before: T0 - 2_000 })).toEqual(newestFirst(FIXTURES.slice(0, 3)).slice(0, 2));
    expect(await log.getCall('c4@pbx')).toEqual(FIXTURES[3]);
    expect(ids(await log.callsForNumber('+8613800138000', 10))).toEqual(['c3@pbx', 'c2@pbx', 'c1@pbx']);
    expect(ids(await log.callsForWorkOrder('wo-1'))).toEqual(['c2@pbx']);
    expect(await log.db.calls.count()).toBe(FIXTURES.length);

    c.resume();
    expect(await log.migrateLegacy()).toBe(FIXTURES.length);
    expect(await log.db.calls.count()).toBe(0);
    expect(await log.recentCalls(10)).toEqual(newestFirst(FIXTURES));
  });

  it('resumes an interrupted migration; rows of both formats read, update and prune correctly meanwhile', async () => {
    const db = fakeDb();
    await createVersion1(db, FIXTURES);
    const c = controlled(keys);
    c.failAfter(3); // the first batch of 2 is sealed and written, the second fails
    const log = openLog(db, { cipher: async () => c.cipher, migrationBatch: 2 });
    await expect(log.migrateLegacy()).rejects.toThrow('seal failed');
    expect(await log.db.sealedCalls.count()).toBe(2);
    expect(await log.db.calls.count()).toBe(3);

    // Half migrated: every reader sees each call once, as it was.
    expect(await log.recentCalls(10)).toEqual(newestFirst(FIXTURES));
    expect(ids(await log.callsForNumber('13800138000', 10))).toEqual(['c3@pbx', 'c2@pbx', 'c1@pbx']);
    expect(ids(await log.callsForNumber('13800138000', 1))).toEqual(['c3@pbx']);
    log.close();

    // The next start (seals work again) finishes the job.
    const next = openLog(db, { migrationBatch: 2 });
    const plainLeft = (await next.db.calls.toArray()).map((e) => e.id).sort();
    expect(plainLeft).toEqual(['c3@pbx', 'c4@pbx', 'c5@pbx']);
    // Writes to calls still in the old format: the old row is replaced, its work-order link kept.
    await next.db.calls.update('c3@pbx', { workOrderId: 'wo-3' });
    await next.recordCall({ ...FIXTURES[2]!, endedAt: T0 + 500_000 });
    await next.updateCall('c4@pbx', { remoteName: '张三' });
    expect(await next.getCall('c3@pbx')).toEqual({ ...FIXTURES[2], endedAt: T0 + 500_000, workOrderId: 'wo-3' });
    expect(await next.getCall('c4@pbx')).toEqual({ ...FIXTURES[3], remoteName: '张三' });
    await expect(next.updateCall('nope', { result: 'missed' })).rejects.toThrow(CallLogNotFoundError);

    await next.migrateLegacy();
    expect(await next.db.calls.count()).toBe(0);
    expect(await next.db.sealedCalls.count()).toBe(FIXTURES.length);
    expect(await next.pruneOlderThan(T0 - 3_500)).toBe(2);
    expect(ids(await next.recentCalls(10))).toEqual(['c5@pbx', 'c4@pbx', 'c3@pbx']);
    expectNoSecrets((await rawRows(db)).text);
  });

  it('prunes expired plaintext rows even before they are migrated or without keys', async () => {
    const db = fakeDb();
    await createVersion1(db, FIXTURES);
    const log = openLog(db, { cipher: () => Promise.reject(new BridgeError({ code: 'secrets_unavailable', message: 'x' })) });
    expect(await log.pruneOlderThan(T0 - 2_500)).toBe(3);
    expect(await log.db.calls.count()).toBe(2);
    await expect(log.migrateLegacy()).rejects.toThrow(CallLogKeysUnavailableError);
  });

  it('two windows migrating at once move each row exactly once', async () => {
    const db = fakeDb();
    const many = Array.from({ length: 25 }, (_, i) => entry(`m${i}@pbx`, { startedAt: T0 - i * 1_000, answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await createVersion1(db, many);
    const a = openLog(db, { migrationBatch: 4 });
    const b = openLog(db, { migrationBatch: 3 });
    const moved = await Promise.all([a.migrateLegacy(), b.migrateLegacy()]);
    expect(moved[0] + moved[1]).toBe(many.length);
    expect(await a.db.calls.count()).toBe(0);
    expect(await a.recentCalls(100)).toEqual(many);
    expect(await b.recentCalls(100)).toEqual(many);
  });

  it('a call recorded while its old row is being migrated ends up as recorded', async () => {
    const db = fakeDb();
    await createVersion1(db, FIXTURES);
    const c = controlled(keys);
    c.pause();
    const log = openLog(db, { cipher: async () => c.cipher });
    const migrating = log.migrateLegacy();
    const recorded = log.recordCall({ ...FIXTURES[1]!, workOrderId: undefined, result: 'transferred', transferTarget: '12366' });
    c.resume();
    await Promise.all([migrating, recorded]);
    expect(await log.getCall('c2@pbx')).toEqual({ ...FIXTURES[1], result: 'transferred', transferTarget: '12366' });
    expect(await log.db.calls.count()).toBe(0);
    expect(await log.db.sealedCalls.count()).toBe(FIXTURES.length);
  });
});
