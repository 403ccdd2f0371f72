/** Local data at rest: no phone number, caller name or content in the clear in any table, nor in logs. */
import { afterEach, describe, expect, it } from 'vitest';
import { IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { editDraft, newDraft, ordersSettled, revealNumber, stopOrders, submitDraft, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { addCall, updateCall } from '../../renderer/src/phone/call-store';
import { CONTENT, NAME, PHONE, TITLE, answered, ended, ringing, setUp, tearDown, validForm } from './orders-harness';

afterEach(tearDown);

/** Every value of a row as text: strings as they are, binary as UTF-8 and as Latin-1 (so no encoding hides a plaintext). */
function dump(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
    else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
      const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      parts.push(Buffer.from(bytes).toString('utf8'), Buffer.from(bytes).toString('latin1'));
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        parts.push(k);
        walk(x);
      }
    }
  };
  walk(value);
  return parts.join('\n');
}

describe('personal data at rest', () => {
  it('keeps numbers, names, titles and content out of every raw IndexedDB row', async () => {
    const env = await setUp();
    env.platform.history = {
      orders: [{ id: '55555555-5555-4555-8555-555555555555', orderNo: 'GD2026000001', status: 'dispatched', createdAt: '2026-11-20T10:00:00+08:00', requestType: 'help', title: TITLE, disposition: 'dispatched', confidential: false }],
      total: 1,
      flags: { openOrders: 1, last30Days: 1, confidentialBefore: false },
    };
    // One call: pop (history cached), draft typed, reveal, submit, sent; a second order left unsent.
    addCall(ringing('rest@pbx', PHONE, '12345'), true);
    updateCall('rest@pbx', (c) => answered(c));
    await ordersSettled(); // the form shows the call's draft once its pop is in
    const id = useOrdersStore.getState().activeDraftId!;
    editDraft(id, validForm());
    await revealNumber('rest@pbx', '核实身份');
    updateCall('rest@pbx', (c) => ended(c));
    expect(await submitDraft(id)).toEqual({ ok: true, mutationId: expect.any(String) });
    await ordersSettled();
    env.platform.mode = 'down';
    const other = newDraft();
    editDraft(other, validForm({ content: `${CONTENT}（第二次）` }));
    expect(await submitDraft(other)).toEqual({ ok: true, mutationId: expect.any(String) });
    const open = newDraft();
    editDraft(open, validForm());
    await ordersSettled();
    await stopOrders();

    // Read every table of the database as it is on disk (no schema: a plain Dexie over the same name).
    const raw = new Dexie(env.dbName, { indexedDB: env.factory, IDBKeyRange });
    await raw.open();
    const tables = raw.tables.map((t) => t.name).sort();
    expect(tables).toEqual(['drafts', 'events', 'historyCache', 'meta', 'orders', 'outbox', 'postings', 'quarantine']);
    let rows = 0;
    const seen = new Map<string, number>();
    for (const t of raw.tables) {
      const all = await t.toArray();
      rows += all.length;
      seen.set(t.name, all.length);
      const text = dump(all);
      for (const secret of [PHONE, PHONE.slice(3), NAME, TITLE, CONTENT, '幸福小区', '粤海街道', '核实身份']) {
        expect(text.includes(secret), `${secret} in the clear in ${t.name}`).toBe(false);
      }
    }
    raw.close();
    expect(seen.get('drafts')).toBe(3);
    expect(seen.get('orders')).toBe(2);
    expect(seen.get('outbox')).toBe(3);
    expect(seen.get('historyCache')).toBe(1);
    expect(rows).toBeGreaterThan(8);

    // Nor in what the data layer logged.
    const logged = JSON.stringify(env.platform.logs);
    for (const secret of [PHONE, NAME, TITLE, CONTENT]) expect(logged.includes(secret)).toBe(false);
  });
});
