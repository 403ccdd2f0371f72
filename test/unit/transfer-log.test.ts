/**
 * Transfers in the call log: 'transferred' only when the target answered; a failed attempt (the
 * caller came back to the agent) is recorded on the entry with its reason, strictly validated.
 */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { callLogEntrySchema, type CallLogEntry } from '../../shared/phone/call-log';
import { CALL_LOG_DB_VERSION, openCallLog } from '../../renderer/src/phone/call-log/call-log-db';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { toCallLogEntry } from '../../renderer/src/phone/call-log/call-log-recorder';
import { transferStatusOf, type CallView } from '../../renderer/src/phone/call-store';
import type { TransferState } from '../../shared/phone/transfer-machine';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

function call(transfer: TransferState | undefined, failed?: CallView['transferFailed'], reason: 'transferred' | 'localHangup' = 'localHangup'): CallView {
  return {
    id: 'call-1@pbx',
    remoteName: '张三',
    remoteNumber: '13812345678',
    dialled: '12345',
    state: { kind: 'ended', direction: 'inbound', since: T0 + 60_000, reason, answeredAt: T0 + 5_000 },
    ...(transfer ? { transfer: { target: '12366', kind: 'blind', status: transferStatusOf(transfer), state: transfer } } : {}),
    ...(failed ? { transferFailed: failed } : {}),
  };
}

describe('transfer outcome in the call log', () => {
  it('a transfer the target answered is logged as transferred, with target and kind', () => {
    const e = toCallLogEntry(call({ kind: 'succeeded', since: T0 + 59_000, code: 200 }, undefined, 'transferred'), T0)!;
    expect(e).toMatchObject({ result: 'transferred', transferTarget: '12366', transferKind: 'blind' });
    expect(e).not.toHaveProperty('transferFailed');
    expect(callLogEntrySchema.parse(e)).toEqual(e);
  });

  it('a failed attempt leaves the call answered and records why on the entry', () => {
    const failed = { target: '12366', kind: 'blind' as const, reason: 'busy' as const, code: 486 };
    const e = toCallLogEntry(call({ kind: 'failed', since: T0 + 30_000, reason: 'busy', code: 486 }, failed), T0)!;
    expect(e).toMatchObject({ result: 'answered', transferFailed: { target: '12366', kind: 'blind', reason: 'busy', sipCode: 486 } });
    expect(e).not.toHaveProperty('transferTarget');
    expect(callLogEntrySchema.parse(e)).toEqual(e);
    const timeout = toCallLogEntry(call(undefined, { target: '12366', kind: 'blind', reason: 'timeout' }), T0)!;
    expect(timeout.transferFailed).toEqual({ target: '12366', kind: 'blind', reason: 'timeout' });
  });

  it('a pending transfer when the call ended is not logged as transferred', () => {
    const e = toCallLogEntry(call({ kind: 'accepted', since: T0, progress: 'ringing' }), T0)!;
    expect(e.result).toBe('answered');
    expect(e).not.toHaveProperty('transferTarget');
  });

  it('the schema stays strict and bounded', () => {
    const base = toCallLogEntry(call(undefined), T0)!;
    const bad: unknown[] = [
      { target: '12366', kind: 'blind', reason: 'gremlins' },
      { target: '12366', kind: 'sideways', reason: 'busy' },
      { target: '', kind: 'blind', reason: 'busy' },
      { target: '1'.repeat(33), kind: 'blind', reason: 'busy' },
      { target: '12366<b>', kind: 'blind', reason: 'busy' },
      { target: '12366', kind: 'blind', reason: 'busy', sipCode: 99 },
      { target: '12366', kind: 'blind', reason: 'busy', sipCode: 700 },
      { target: '12366', kind: 'blind', reason: 'busy', note: 'x' },
    ];
    for (const transferFailed of bad) expect(callLogEntrySchema.safeParse({ ...base, transferFailed }).success, JSON.stringify(transferFailed)).toBe(false);
  });

  it('round-trips through the Dexie database (sealed rows, schema version 2)', async () => {
    const cipher = await createLocalCipher({ dataKey: Buffer.alloc(32, 1).toString('base64'), indexKey: Buffer.alloc(32, 2).toString('base64') });
    const log = openCallLog('transfer-log-test', { indexedDB: new IDBFactory(), IDBKeyRange, cipher: async () => cipher });
    try {
      const e: CallLogEntry = { ...toCallLogEntry(call(undefined), T0)!, transferFailed: { target: '12366', kind: 'attended', reason: 'noAnswer', sipCode: 480 } };
      await log.recordCall(e);
      expect(await log.getCall(e.id)).toEqual(e);
      expect(log.db.verno).toBe(CALL_LOG_DB_VERSION);
    } finally {
      log.close();
    }
  });
});
