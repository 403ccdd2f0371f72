/** The sync panel's data: this agent's entries still owed (pending and needing attention) with their orders, and the storage. */
import { afterEach, describe, expect, it } from 'vitest';
import { editDraft, isQuotaError, newDraft, outboxDetails, startOrders, stopOrders, submitDraft, syncNow, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { setUp, tearDown, until, validForm } from './orders-harness';
import { LISTED_PER_STATE } from '../../renderer/src/orders/outbox/outbox-details';

afterEach(tearDown);

describe('sync panel', () => {
  it('lists what is owed in sequence order with the order titles; the oldest pending time is in the figures', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const a = newDraft();
    editDraft(a, validForm({ title: '第一张' }));
    await submitDraft(a);
    const b = newDraft();
    editDraft(b, validForm({ title: '第二张' }));
    await submitDraft(b);
    await until(() => useOrdersStore.getState().sync.pending === 2);
    expect(useOrdersStore.getState().sync.oldestPendingAt).toBeLessThanOrEqual(Date.now());
    let d = await outboxDetails();
    expect(d.entries.map((e) => [e.title, e.state, e.kind])).toEqual([
      ['第一张', 'pending', 'order.create'],
      ['第二张', 'pending', 'order.create'],
    ]);
    expect(JSON.stringify(d.entries)).not.toContain('payload');

    env.platform.refuse.set(a, { status: 400, code: 'invalid_request', message: 'bad' });
    env.platform.mode = 'up';
    syncNow();
    await until(() => useOrdersStore.getState().sync.failed === 1 && useOrdersStore.getState().sync.pending === 0);
    d = await outboxDetails();
    expect(d.entries.map((e) => [e.title, e.state, e.lastError?.code])).toEqual([['第一张', 'failed', 'invalid_request']]);
    expect(useOrdersStore.getState().sync.oldestPendingAt).toBeUndefined();
  });

  it('lists the first entries of a long backlog per state, in sequence order, without reading the whole queue', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const ids: string[] = [];
    for (let i = 0; i < LISTED_PER_STATE + 5; i++) {
      const id = newDraft();
      editDraft(id, validForm({ title: `积压${i}` }));
      await submitDraft(id);
      ids.push(id);
    }
    // The last one needs attention: it is listed although it comes after the first 200 waiting ones.
    // Marked with the app stopped: a push of it still on its way would put it back to pending.
    await stopOrders();
    const raw = env.raw();
    await raw.outbox.where('clientOrderId').equals(ids.at(-1)!).modify({ state: 'failed' });
    raw.close();
    await startOrders();
    const d = await outboxDetails();
    expect(d.entries).toHaveLength(LISTED_PER_STATE + 1);
    expect(d.entries.slice(0, 3).map((e) => e.title)).toEqual(['积压0', '积压1', '积压2']);
    expect(d.entries.at(-2)?.title).toBe(`积压${LISTED_PER_STATE - 1}`);
    expect(d.entries.at(-1)).toMatchObject({ title: `积压${LISTED_PER_STATE + 4}`, state: 'failed' });
    const seqs = d.entries.map((e) => e.clientSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('knows a full disk when IndexedDB says so (directly or wrapped by Dexie)', () => {
    expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });
});
