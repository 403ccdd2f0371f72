/**
 * The softphone's local call log: the shared schema and helpers, the Dexie database (on a fake
 * IndexedDB, a fresh one per test) and the write-through store.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import '../../renderer/src/i18n';
import { CallLogTable } from '../../renderer/src/phone/call-log/CallLogPanel';
import {
  callBackNumber,
  callDurationMs,
  callLogEntrySchema,
  callResultFromEnd,
  maskCallNumber,
  waitDurationMs,
  type CallLogEntry,
} from '../../shared/phone/call-log';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { setLocalCipherForTests } from '../../renderer/src/local-data/keys';
import {
  CALL_LOG_DB_NAME,
  CALL_LOG_DB_VERSION,
  CALL_LOG_RETENTION_MS,
  CallLogNotFoundError,
  CallLogValidationError,
  openCallLog,
  type CallLog,
} from '../../renderer/src/phone/call-log/call-log-db';
import {
  CALL_LOG_STORE_LIMIT,
  getEmptyCallLogState,
  linkCallToWorkOrder,
  loadCallLog,
  recordCallLog,
  updateCallLog,
  useCallLogStore,
} from '../../renderer/src/phone/call-log/call-log-store';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 25, 9, 0, 0); // 2026-11-25 17:00 in Beijing

function entry(id: string, overrides: Partial<CallLogEntry> = {}): CallLogEntry {
  return {
    id,
    direction: 'inbound',
    remoteNumber: '13812345678',
    remoteName: '张三',
    dialled: '12345',
    startedAt: T0,
    answeredAt: T0 + 8_000,
    endedAt: T0 + 128_000,
    result: 'answered',
    agentAccount: 'agent01',
    ...overrides,
  };
}

let log: CallLog;
let dbSeq = 0;

beforeAll(async () => {
  // The renderer's local cipher, with test keys instead of main's.
  const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
  setLocalCipherForTests(await createLocalCipher({ dataKey: key(1), indexKey: key(2) }));
});

afterAll(() => setLocalCipherForTests(undefined));

beforeEach(() => {
  // A fresh fake IndexedDB per test: nothing leaks between tests.
  log = openCallLog(`calllog-test-${++dbSeq}`, { indexedDB: new IDBFactory(), IDBKeyRange });
});

afterEach(() => {
  log.close();
  useCallLogStore.setState(getEmptyCallLogState());
});

describe('call log entry schema and helpers', () => {
  it('accepts a complete entry and keeps a display name with markup as plain characters', () => {
    const e = entry('a@pbx', {
      remoteName: '<img src=x onerror=alert(1)>',
      transferTarget: '8001',
      transferKind: 'blind',
      conference: true,
      workOrderId: 'wo-1',
    });
    expect(callLogEntrySchema.parse(e)).toEqual(e);
  });

  it('measures talk time and ring/wait time', () => {
    const e = entry('d1');
    expect(callDurationMs(e)).toBe(120_000);
    expect(waitDurationMs(e)).toBe(8_000);
    // Unanswered: no talk time, waited until it ended.
    const missed = entry('d2', { answeredAt: undefined, endedAt: T0 + 25_000, result: 'missed' });
    expect(callDurationMs(missed)).toBe(0);
    expect(waitDurationMs(missed)).toBe(25_000);
    // Still up: measured to `now` when given, 0 without it.
    const live = entry('d3', { endedAt: undefined });
    expect(callDurationMs(live, T0 + 68_000)).toBe(60_000);
    expect(callDurationMs(live)).toBe(0);
    expect(waitDurationMs(entry('d4', { answeredAt: undefined, endedAt: undefined }), T0 + 3_000)).toBe(3_000);
    expect(waitDurationMs(entry('d5', { answeredAt: undefined, endedAt: undefined }))).toBe(0);
  });

  it('maps the call machine end reason to a log result', () => {
    expect(callResultFromEnd({ direction: 'inbound', reason: 'remoteHangup', answeredAt: T0 })).toBe('answered');
    expect(callResultFromEnd({ direction: 'inbound', reason: 'cancelled' })).toBe('missed');
    expect(callResultFromEnd({ direction: 'outbound', reason: 'cancelled' })).toBe('cancelled');
    expect(callResultFromEnd({ direction: 'inbound', reason: 'remoteHangup' })).toBe('missed');
    expect(callResultFromEnd({ direction: 'outbound', reason: 'busy' })).toBe('busy');
    expect(callResultFromEnd({ direction: 'inbound', reason: 'transferred', answeredAt: T0 })).toBe('transferred');
    expect(callResultFromEnd({ direction: 'outbound', reason: 'noAnswer' })).toBe('failed');
  });

  it('masks personal numbers for display but not service numbers', () => {
    expect(maskCallNumber('13812345678')).toBe('138****5678');
    expect(maskCallNumber('+8613812345678')).toBe('138****5678');
    expect(maskCallNumber('01062345678')).toBe('010****5678');
    expect(maskCallNumber('12345')).toBe('12345');
    expect(maskCallNumber('')).toBe('');
  });

  it('calls back the real, normalized number and nothing for withheld or odd numbers', () => {
    expect(callBackNumber({ remoteNumber: '+86 138-1234-5678' })).toBe('13812345678');
    expect(callBackNumber({ remoteNumber: '12345' })).toBe('12345');
    expect(callBackNumber({ remoteNumber: '' })).toBeUndefined();
    expect(callBackNumber({ remoteNumber: 'anonymous' })).toBeUndefined();
  });
});

describe('call log database', () => {
  it('uses the workstation database name and the expected indexes', () => {
    const named = openCallLog(undefined, { indexedDB: new IDBFactory(), IDBKeyRange });
    expect(named.db.name).toBe(CALL_LOG_DB_NAME);
    expect(CALL_LOG_DB_NAME).toBe('hotline-workstation-calllog');
    expect(named.db.verno).toBe(CALL_LOG_DB_VERSION);
    const schema = named.db.table('sealedCalls').schema;
    expect(schema.primKey.name).toBe('id');
    expect(schema.indexes.map((i) => i.name).sort()).toEqual(['[numberIndex+startedAt]', 'startedAt', 'workOrderId']);
    // The plaintext table of version 1 (migrated after open) no longer indexes numbers.
    expect(named.db.table('calls').schema.indexes.map((i) => i.name).sort()).toEqual(['startedAt', 'workOrderId']);
    named.close();
  });

  it('records calls and reads them back newest first', async () => {
    await log.recordCall(entry('old', { startedAt: T0 - 2 * DAY, answeredAt: undefined, endedAt: T0 - 2 * DAY + 5_000, result: 'missed' }));
    await log.recordCall(entry('new', { startedAt: T0 }));
    await log.recordCall(entry('mid', { startedAt: T0 - DAY, direction: 'outbound', answeredAt: undefined, endedAt: undefined, result: 'busy', sipCode: 486 }));

    const recent = await log.recentCalls(10);
    expect(recent.map((e) => e.id)).toEqual(['new', 'mid', 'old']);
    expect(recent[0]).toEqual(entry('new', { startedAt: T0 }));
    expect(recent[1]).toMatchObject({ direction: 'outbound', result: 'busy', sipCode: 486 });
    expect(recent[1]).not.toHaveProperty('answeredAt');

    expect((await log.recentCalls(2)).map((e) => e.id)).toEqual(['new', 'mid']);
    expect((await log.recentCalls(10, { before: T0 })).map((e) => e.id)).toEqual(['mid', 'old']);
    await expect(log.recentCalls(0)).rejects.toThrow(RangeError);
  });

  it('upserts by Call-ID: recording the same id again replaces the entry', async () => {
    await log.recordCall(entry('same', { answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await log.recordCall(entry('same', { result: 'transferred', transferTarget: '8001', transferKind: 'attended' }));

    expect(await log.db.sealedCalls.count()).toBe(1);
    expect(await log.getCall('same')).toMatchObject({ result: 'transferred', transferTarget: '8001', transferKind: 'attended', answeredAt: T0 + 8_000 });
  });

  it('updates a call with a patch and clears a field set to undefined', async () => {
    await log.recordCall(entry('u', { conference: true }));
    const updated = await log.updateCall('u', { result: 'transferred', transferTarget: '12345', conference: undefined });
    expect(updated).toMatchObject({ result: 'transferred', transferTarget: '12345' });
    expect(await log.getCall('u')).not.toHaveProperty('conference');
    await expect(log.updateCall('nope', { result: 'missed' })).rejects.toThrow(CallLogNotFoundError);
  });

  it('links a call to its work order and keeps the link when the call is recorded again', async () => {
    await log.recordCall(entry('linked'));
    await log.recordCall(entry('other', { remoteNumber: '13900000000' }));
    const linked = await log.linkWorkOrder('linked', 'f47ac10b-58cc-4372-a567-0e02b2c3d479');
    expect(linked.workOrderId).toBe('f47ac10b-58cc-4372-a567-0e02b2c3d479');
    expect((await log.getCall('linked'))?.workOrderId).toBe('f47ac10b-58cc-4372-a567-0e02b2c3d479');
    expect((await log.callsForWorkOrder('f47ac10b-58cc-4372-a567-0e02b2c3d479')).map((e) => e.id)).toEqual(['linked']);

    // The final record of the call (from the softphone) does not know the work order: the link stays.
    await log.recordCall(entry('linked', { endedAt: T0 + 300_000 }));
    expect(await log.getCall('linked')).toMatchObject({ endedAt: T0 + 300_000, workOrderId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' });

    await expect(log.linkWorkOrder('missing', 'wo-2')).rejects.toThrow(CallLogNotFoundError);
    await expect(log.linkWorkOrder('linked', 'bad id <x>')).rejects.toThrow(CallLogValidationError);
  });

  it('rejects invalid entries with a clear error and writes nothing', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...entry('x'), result: 'lost' }, /result/],
      [{ ...entry('x'), direction: 'sideways' }, /direction/],
      [{ ...entry('x'), startedAt: -1 }, /startedAt/],
      [entry('x', { answeredAt: T0 - 1 }), /answeredAt: must not be before startedAt/],
      [entry('x', { endedAt: T0 + 1 }), /endedAt: must not be before answeredAt/],
      [entry('x', { remoteName: 'a\u0000b' }), /remoteName: must not contain control characters/],
      [entry('x', { remoteNumber: '138<script>' }), /remoteNumber/],
      [entry('x', { transferKind: 'blind' }), /transferKind: needs a transferTarget/],
      [entry(''), /id: must not be empty/],
      [entry('has space'), /id: must be printable ASCII/],
      [{ ...entry('x'), html: '<b>' }, /html|unrecognized/i],
      [{ id: 'x' }, /direction/],
    ];
    for (const [bad, message] of cases) {
      const attempt = log.recordCall(bad as CallLogEntry);
      await expect(attempt).rejects.toThrow(CallLogValidationError);
      await expect(attempt).rejects.toThrow(/^Invalid call log entry: /);
      await expect(attempt).rejects.toThrow(message);
    }
    expect(await log.db.sealedCalls.count()).toBe(0);
  });

  it('does not leak the refused values (personal data) into the error message', async () => {
    const error = await log.recordCall(entry('x', { remoteNumber: '13812345678<' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallLogValidationError);
    expect((error as Error).message).not.toContain('13812345678');
  });

  it('refuses an update that would make the entry invalid and keeps the stored one', async () => {
    await log.recordCall(entry('keep'));
    await expect(log.updateCall('keep', { endedAt: T0 - 1 })).rejects.toThrow(CallLogValidationError);
    expect(await log.getCall('keep')).toEqual(entry('keep'));
  });

  it('prunes calls by age (retention)', async () => {
    expect(CALL_LOG_RETENTION_MS).toBe(90 * DAY);
    await log.recordCall(entry('ancient', { startedAt: T0 - 120 * DAY, answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await log.recordCall(entry('expired', { startedAt: T0 - 91 * DAY, answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await log.recordCall(entry('kept', { startedAt: T0 - 89 * DAY, answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await log.recordCall(entry('today'));

    expect(await log.pruneOlderThan(T0 - 100 * DAY)).toBe(1);
    expect((await log.recentCalls(10)).map((e) => e.id)).toEqual(['today', 'kept', 'expired']);
    expect(await log.pruneExpired(T0)).toBe(1);
    expect((await log.recentCalls(10)).map((e) => e.id)).toEqual(['today', 'kept']);
    await expect(log.pruneOlderThan(Number.NaN)).rejects.toThrow(RangeError);
    expect(await log.db.sealedCalls.count()).toBe(2);
  });

  it('finds calls for a number, newest first, whichever prefix it was stored with', async () => {
    await log.recordCall(entry('n1', { startedAt: T0 - 3_600_000 }));
    await log.recordCall(entry('n2', { startedAt: T0, remoteNumber: '+8613812345678' }));
    await log.recordCall(entry('n3', { startedAt: T0 - 7_200_000 }));
    await log.recordCall(entry('other', { startedAt: T0, remoteNumber: '13900000000' }));
    await log.recordCall(entry('withheld1', { remoteNumber: '' }));
    await log.recordCall(entry('withheld2', { remoteNumber: '' }));

    expect((await log.callsForNumber('13812345678', 10)).map((e) => e.id)).toEqual(['n2', 'n1', 'n3']);
    expect((await log.callsForNumber('+86 138-1234-5678', 2)).map((e) => e.id)).toEqual(['n2', 'n1']);
    expect((await log.callsForNumber('13900000000', 10)).map((e) => e.id)).toEqual(['other']);
    expect(await log.callsForNumber('13700000000', 10)).toEqual([]);
    expect(await log.callsForNumber('', 10)).toEqual([]);
  });
});

describe('call log store', () => {
  it('loads recent calls newest first and prunes expired ones on load', async () => {
    await log.recordCall(entry('expired', { startedAt: T0 - 100 * DAY, answeredAt: undefined, endedAt: undefined, result: 'missed' }));
    await log.recordCall(entry('a', { startedAt: T0 - 1_000 }));
    await log.recordCall(entry('b', { startedAt: T0 }));

    await loadCallLog(log, T0);
    const state = useCallLogStore.getState();
    expect(state.loaded).toBe(true);
    expect(state.entries.map((e) => e.id)).toEqual(['b', 'a']);
    expect(await log.getCall('expired')).toBeUndefined();
  });

  it('caps the store at the most recent calls', async () => {
    const many = Array.from({ length: CALL_LOG_STORE_LIMIT + 5 }, (_, i) =>
      entry(`c${i}`, { startedAt: T0 - i * 1_000, answeredAt: undefined, endedAt: undefined, result: 'missed' }),
    );
    for (const e of many) await log.recordCall(e);
    await loadCallLog(log, T0);
    const { entries } = useCallLogStore.getState();
    expect(entries).toHaveLength(CALL_LOG_STORE_LIMIT);
    expect(entries[0]?.id).toBe('c0');
  });

  it('writes record, update and link through to the database, then updates the store', async () => {
    await loadCallLog(log, T0);
    await recordCallLog(entry('first', { startedAt: T0 - 1_000 }), log);
    await recordCallLog(entry('second', { startedAt: T0, answeredAt: undefined, endedAt: undefined, result: 'missed' }), log);
    expect(useCallLogStore.getState().entries.map((e) => e.id)).toEqual(['second', 'first']);

    await updateCallLog('second', { result: 'answered', answeredAt: T0 + 1_000, endedAt: T0 + 61_000 }, log);
    await linkCallToWorkOrder('first', 'wo-7', log);

    expect(await log.getCall('second')).toMatchObject({ result: 'answered', endedAt: T0 + 61_000 });
    expect((await log.getCall('first'))?.workOrderId).toBe('wo-7');
    const [second, first] = useCallLogStore.getState().entries;
    expect(second).toMatchObject({ id: 'second', result: 'answered' });
    expect(first).toMatchObject({ id: 'first', workOrderId: 'wo-7' });
  });

  it('leaves the store unchanged when the database refuses a write', async () => {
    await loadCallLog(log, T0);
    await expect(recordCallLog(entry('bad', { startedAt: Number.NaN }), log)).rejects.toThrow(CallLogValidationError);
    await expect(linkCallToWorkOrder('ghost', 'wo-1', log)).rejects.toThrow(CallLogNotFoundError);
    expect(useCallLogStore.getState().entries).toEqual([]);
  });
});

describe('call log panel', () => {
  const render = (entries: CallLogEntry[]) => renderToStaticMarkup(createElement(CallLogTable, { entries, onDial: () => undefined }));

  it('shows each call with a masked number, plain-text name, result, duration, transfer and work order', () => {
    const html = render([
      entry('in-1', { remoteName: '<img src=x onerror=alert(1)>', transferTarget: '8001', transferKind: 'blind', workOrderId: 'wo-9' }),
      entry('out-1', { direction: 'outbound', remoteNumber: '', remoteName: '', answeredAt: undefined, endedAt: undefined, result: 'busy', sipCode: 486 }),
    ]);
    expect(html).toContain('data-testid="call-log"');
    expect(html.match(/data-testid="call-log-row"/g)).toHaveLength(2);
    expect(html.match(/data-testid="call-log-dial"/g)).toHaveLength(2);
    // Masked for display; the real number never reaches the markup.
    expect(html).toContain('138****5678');
    expect(html).not.toContain('13812345678');
    // A display name is text, never markup.
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).toContain('11-25 17:00:00'); // Beijing time
    expect(html).toContain('2:00'); // talk time
    expect(html).toContain('8001');
    expect(html).toContain('wo-9');
    expect(html).toContain('data-result="busy"');
    expect(html).toContain('SIP 486');
    // A withheld number cannot be called back.
    expect(html).toMatch(/data-testid="call-log-dial"[^>]*disabled=""/);
  });
});
