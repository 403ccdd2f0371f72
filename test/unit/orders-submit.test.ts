/** Submit: field errors, and the order + outbox entry + draft state in one transaction. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindCall, editDraft, newDraft, ordersSettled, setMergeTarget, submitDraft, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { addCall, updateCall } from '../../renderer/src/phone/call-store';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { openOutboxRow } from '../../renderer/src/orders/local/records';
import { rt } from '../../renderer/src/orders/runtime';
import { KEYS, PHONE, answered, ended, ringing, setUp, tearDown, until, validForm } from './orders-harness';

afterEach(tearDown);

describe('submitting a draft', () => {
  it('returns the field errors and keeps the draft open', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const id = newDraft();
    editDraft(id, validForm({ disposition: 'dispatched', handlingUnit: '', callerPhone: '12' }));
    const r = await submitDraft(id);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual(expect.arrayContaining([{ field: 'handlingUnit', code: 'required' }, { field: 'callerPhone', code: 'invalidPhone' }]));
    expect(useOrdersStore.getState().drafts[id]!.errors).toEqual(r.errors);
    expect(useOrdersStore.getState().drafts[id]!.state).toBe('open');
    const raw = env.raw();
    expect(await raw.outbox.count()).toBe(0);
    expect(await raw.orders.count()).toBe(0);
    raw.close();
  });

  it('saves what was typed just before a refused submit: it is there after a restart', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const id = newDraft();
    await ordersSettled();
    // Chosen and submitted at once, inside the autosave's debounce.
    editDraft(id, validForm({ disposition: 'dispatched', handlingUnit: '' }));
    expect((await submitDraft(id)).ok).toBe(false);
    await env.restart();
    const restored = useOrdersStore.getState().drafts[id];
    expect(restored?.form).toMatchObject({ disposition: 'dispatched', title: validForm().title });
  });

  it('writes the local order, the outbox entry (idempotency key, client seq, client order id) and the draft state together', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const t0 = Date.now() - 90_000;
    addCall(ringing('s1@pbx', PHONE, '12345', t0), true);
    updateCall('s1@pbx', (c) => answered(c, t0 + 4_000));
    await ordersSettled(); // the form shows the call's draft once its pop is in
    const id = useOrdersStore.getState().activeDraftId!;
    editDraft(id, validForm());
    const second = newDraft();
    editDraft(second, validForm({ title: '第二张' }));

    const first = await submitDraft(id);
    expect(first).toEqual({ ok: true, mutationId: expect.any(String) });
    expect(await submitDraft(second)).toEqual({ ok: true, mutationId: expect.any(String) });
    expect(await submitDraft(id)).toEqual({ ok: false, errors: [] }); // once only
    await ordersSettled();

    const raw = env.raw();
    const cipher = await createLocalCipher(KEYS);
    const entries = await raw.outbox.orderBy('clientSeq').toArray();
    expect(entries.map((e) => [e.clientOrderId, e.clientSeq, e.kind, e.state])).toEqual([
      [id, 1, 'order.create', 'pending'],
      [second, 2, 'order.create', 'pending'],
    ]);
    const opened = await openOutboxRow(raw, cipher, entries[0]!);
    expect(opened?.payload.kind).toBe('order.create');
    if (opened?.payload.kind !== 'order.create') return;
    expect(opened.payload.order).toMatchObject({ title: '路灯损坏报修', caller: { phone: PHONE }, handlingUnit: 'STREET-01' });
    expect(opened.payload.order.call).toMatchObject({ callId: 's1@pbx', dialled: '12345' });
    expect(opened.payload.order.call?.ringAt).toMatch(/\+08:00$/);
    expect(opened.payload.order.call?.answerAt).toBeDefined();
    expect(entries[0]!.mutationId).toMatch(/^[0-9a-f-]{36}$/);
    // The submit names its outbox entry (a transfer waits for that entry to be delivered).
    expect(first.ok && first.mutationId).toBe(entries[0]!.mutationId);
    expect((await raw.drafts.get(id))?.state).toBe('submitted');
    expect(await raw.orders.get(id)).toMatchObject({ sync: 'pending', kind: 'order', open: true });
    expect((await raw.meta.get('clientSeq'))?.value).toBe(2);
    raw.close();

    const s = useOrdersStore.getState();
    expect(s.drafts[id]!.state).toBe('submitted');
    expect(s.myOrders.find((o) => o.id === id)).toMatchObject({ sync: 'pending', title: '路灯损坏报修', callerMasked: '138****5678' });
    expect(s.sync.pending).toBe(2);
  });

  it('stores nothing when the transaction fails half way: no outbox entry, no order, the draft open', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const id = newDraft();
    editDraft(id, validForm());
    await ordersSettled();
    // Autosaved first, so that the submit's own transaction is the next write of the draft.
    (window as unknown as EventTarget).dispatchEvent(new Event('pagehide'));
    await ordersSettled();
    const { db } = rt();
    // The draft's write is the last step, after the order and the outbox entry were added.
    const put = vi.spyOn(db.drafts, 'put').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    await expect(submitDraft(id)).rejects.toThrow('disk full');
    put.mockRestore();
    const raw = env.raw();
    expect(await raw.outbox.count()).toBe(0);
    expect(await raw.orders.count()).toBe(0);
    expect(await raw.meta.get('clientSeq')).toBeUndefined();
    expect((await raw.drafts.get(id))?.state).toBe('open');
    raw.close();
    expect(useOrdersStore.getState().drafts[id]!.state).toBe('open');
    // And it can be submitted afterwards.
    expect(await submitDraft(id)).toEqual({ ok: true, mutationId: expect.any(String) });
  });

  it('queues a 并单 follow-up instead of an order when a merge target is set', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const id = newDraft();
    editDraft(id, { content: '又来电催促', callerPhone: PHONE });
    setMergeTarget(id, { orderId: '22222222-2222-4222-8222-222222222222', orderNo: 'GD2026000042' });
    expect(await submitDraft(id)).toEqual({ ok: true, mutationId: expect.any(String) });
    const raw = env.raw();
    const [entry] = await raw.outbox.toArray();
    expect(entry?.kind).toBe('order.followUp');
    const opened = await openOutboxRow(raw, await createLocalCipher(KEYS), entry!);
    expect(opened?.payload).toMatchObject({ kind: 'order.followUp', orderId: '22222222-2222-4222-8222-222222222222', followUp: { content: '又来电催促', caller: { phone: PHONE } } });
    expect(await raw.orders.get(id)).toMatchObject({ kind: 'followUp', orderId: '22222222-2222-4222-8222-222222222222' });
    raw.close();
    expect(useOrdersStore.getState().myOrders.find((o) => o.id === id)?.followUpOf).toBe('GD2026000042');
    // Without a target again, it is a new order and needs all its fields.
    const other = newDraft();
    editDraft(other, { content: '内容' });
    setMergeTarget(other, { orderId: '22222222-2222-4222-8222-222222222222', orderNo: 'GD2026000042' });
    setMergeTarget(other, undefined);
    const r = await submitDraft(other);
    expect(r.ok).toBe(false);
  });

  it('links the ended call to the submitted draft', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const t0 = Date.now();
    bindCall({ callId: 'l1@pbx', direction: 'inbound', remoteNumber: PHONE, ringAt: t0 });
    addCall(ended(answered(ringing('l1@pbx', PHONE, '12345', t0), t0 + 1_000), t0 + 2_000), false);
    const id = Object.values(useOrdersStore.getState().drafts)[0]!.id;
    editDraft(id, validForm());
    env.callLog.rows.set('l1@pbx', { id: 'l1@pbx', direction: 'inbound', startedAt: t0, result: 'answered', remoteNumber: PHONE });
    expect(await submitDraft(id)).toEqual({ ok: true, mutationId: expect.any(String) });
    await until(() => env.callLog.links.some((l) => l.callId === 'l1@pbx' && l.workOrderId === id));
  });
});
