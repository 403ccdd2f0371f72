/** The screen-pop: local data at once, the platform merged in, flags, offline. */
import { afterEach, describe, expect, it } from 'vitest';
import { bindCall, editDraft, newDraft, ordersSettled, submitDraft, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { popFlags } from '../../renderer/src/orders/pop/pop';
import type { CallerHistory } from '../../shared/orders/ipc';
import { PHONE, PHONE_2, setUp, tearDown, until, validForm } from './orders-harness';

afterEach(tearDown);

const HISTORY: CallerHistory = {
  orders: [
    {
      id: '44444444-4444-4444-8444-444444444444',
      orderNo: 'GD2026000100',
      status: 'dispatched',
      createdAt: '2026-11-20T10:00:00+08:00',
      requestType: 'complaint',
      title: '噪音',
      disposition: 'dispatched',
      confidential: true,
    },
  ],
  total: 3,
  flags: { openOrders: 2, last30Days: 3, confidentialBefore: true },
};

const ring = (callId: string, remoteNumber = PHONE) => bindCall({ callId, direction: 'inbound', remoteNumber, dialled: '12333', ringAt: Date.now() });
const pop = (callId: string) => useOrdersStore.getState().pops[callId]!;

async function localOrder(extra = {}) {
  const id = newDraft();
  editDraft(id, validForm(extra));
  expect(await submitDraft(id)).toEqual({ ok: true, mutationId: expect.any(String) });
  return id;
}

describe('screen-pop', () => {
  it('shows with this seat\'s own orders before the platform answers, then merges local calls, number info and the platform history; caches the history', async () => {
    const env = await setUp();
    env.platform.mode = 'down'; // the earlier local order stays unsent
    const earlier = await localOrder();
    env.callLog.rows.set('old@pbx', { id: 'old@pbx', direction: 'inbound', startedAt: Date.now() - 86_400_000, result: 'answered', workOrderId: earlier, remoteNumber: PHONE });
    env.platform.mode = 'up';
    env.platform.history = HISTORY;
    let answer = () => undefined as void;
    env.platform.historyGate = new Promise<void>((r) => (answer = r));

    ring('p1@pbx');
    // Shown once, with the local orders, while the platform has not answered: masked number, dialled line, loading.
    await until(() => useOrdersStore.getState().pops['p1@pbx'] !== undefined);
    expect(pop('p1@pbx')).toMatchObject({ numberMasked: '138****5678', dialled: '12333', line: { name: '人社服务热线' }, platform: { state: 'loading' } });
    expect(pop('p1@pbx').local.orders.map((o) => o.id)).toEqual([earlier]);
    answer();
    await ordersSettled();
    const p = pop('p1@pbx');
    expect(p.local.orders.map((o) => o.id)).toEqual([earlier]);
    expect(p.local.calls).toEqual([{ id: 'old@pbx', direction: 'inbound', startedAt: expect.any(Number), result: 'answered', workOrderId: earlier }]);
    expect(p.numberInfo).toMatchObject({ region: '广东省深圳市' });
    expect(p.platform).toEqual({ state: 'ok', history: HISTORY });
    // Platform's 3 in 30 days and 2 open + the local order it does not have yet.
    expect(p.flags).toEqual({ repeat: 4, open: 3, confidentialBefore: true });
    expect(p.numberRevealed).toBeUndefined();
    const raw = env.raw();
    expect(await raw.historyCache.count()).toBe(1);
    raw.close();
  });

  it('with the platform down: local data, the cached history, state unavailable; never blocked', async () => {
    const env = await setUp();
    env.platform.history = HISTORY;
    ring('warm@pbx');
    await ordersSettled(); // history cached
    env.platform.mode = 'down';
    let answer = () => undefined as void;
    env.platform.historyGate = new Promise<void>((r) => (answer = r));
    ring('p2@pbx');
    await until(() => useOrdersStore.getState().pops['p2@pbx'] !== undefined);
    expect(pop('p2@pbx').platform).toMatchObject({ state: 'loading', history: HISTORY });
    answer();
    await ordersSettled();
    const p = pop('p2@pbx');
    expect(p.platform.state).toBe('unavailable');
    expect(p.platform.history).toEqual(HISTORY);
    expect(p.platform.cachedAt).toEqual(expect.any(Number));
    expect(p.flags).toEqual({ repeat: 3, open: 2, confidentialBefore: true });
  });

  it('with the platform down and nothing cached: flags from the local orders alone', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    await localOrder({ confidential: true });
    await localOrder({ disposition: 'notAccepted', notAcceptedReason: 'litigation', handlingUnit: '' });
    ring('p3@pbx');
    await ordersSettled();
    const p = pop('p3@pbx');
    expect(p.platform).toEqual({ state: 'unavailable' });
    expect(p.flags).toEqual({ repeat: 2, open: 1, confidentialBefore: true });
    // Another caller's pop knows nothing of them.
    ring('p4@pbx', PHONE_2);
    await ordersSettled();
    expect(pop('p4@pbx').local.orders).toEqual([]);
    expect(pop('p4@pbx').flags).toEqual({ repeat: 0, open: 0, confidentialBefore: false });
  });

  it('a withheld number: no number, no look-ups', async () => {
    const env = await setUp();
    ring('anon@pbx', '');
    await ordersSettled();
    expect(pop('anon@pbx')).toMatchObject({ numberMasked: '', platform: { state: 'ok' }, flags: { repeat: 0, open: 0, confidentialBefore: false } });
    expect(env.platform.similarAsked).toEqual([]);
  });

  it('asks for 并单 candidates when bound, and again (debounced) when the address changes; [] when the platform is down', async () => {
    const env = await setUp();
    ring('sim@pbx');
    await ordersSettled();
    expect(env.platform.similarAsked).toEqual([{ phone: PHONE, categoryCode: '03.01' }]);
    const id = useOrdersStore.getState().activeDraftId!;
    env.platform.mode = 'down';
    editDraft(id, { district: '南山' });
    editDraft(id, { district: '南山区', street: '粤海街道' });
    await new Promise((r) => setTimeout(r, 700));
    await ordersSettled();
    expect(env.platform.similarAsked).toHaveLength(2);
    expect(env.platform.similarAsked[1]).toEqual({ phone: PHONE, address: { district: '南山区', street: '粤海街道' }, categoryCode: '03.01' });
    expect(useOrdersStore.getState().drafts[id]!.similar).toEqual([]);
  });

  it('counts flags without double-counting orders the platform already has', () => {
    const now = Date.now();
    const local = [
      { createdAt: now, sync: 'synced' as const, open: true, confidential: false, kind: 'order' as const },
      { createdAt: now, sync: 'pending' as const, open: false, confidential: false, kind: 'order' as const },
      { createdAt: now - 40 * 86_400_000, sync: 'failed' as const, open: true, confidential: false, kind: 'order' as const },
      { createdAt: now, sync: 'pending' as const, open: false, confidential: true, kind: 'followUp' as const },
    ];
    expect(popFlags(local, undefined, now)).toEqual({ repeat: 2, open: 2, confidentialBefore: false });
    expect(popFlags(local, { orders: [], total: 1, flags: { openOrders: 1, last30Days: 1, confidentialBefore: false } }, now)).toEqual({ repeat: 2, open: 2, confidentialBefore: false });
  });
});
