/**
 * Pulling the platform's order changes: a new seat starts at the feed's head; a return (退单) and a
 * supervision note (督办) on this agent's order reach the local order (status, events with their
 * sealed reason) and notify the agent once — also when they happened while the seat was offline;
 * changes of orders the seat does not have are skipped; a pull cut short resumes where it stopped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dismissNotice, editDraft, newDraft, ordersSettled, startOrders, stopOrders, submitDraft, syncNow, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { eventsOf } from '../../renderer/src/orders/pull/order-pull';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { useSessionStore } from '../../renderer/src/session/session-store';
import { KEYS, feedChange, setUp, tearDown, until, validForm, type Env } from './orders-harness';

afterEach(tearDown);

async function synced(env: Env, title: string): Promise<{ id: string; orderId: string; orderNo: string }> {
  const id = newDraft();
  editDraft(id, validForm({ title }));
  expect((await submitDraft(id)).ok).toBe(true);
  await until(() => useOrdersStore.getState().myOrders.find((o) => o.id === id)?.sync === 'synced');
  const o = useOrdersStore.getState().myOrders.find((x) => x.id === id)!;
  void env;
  return { id, orderId: o.orderId!, orderNo: o.orderNo! };
}

describe('order changes from the platform', () => {
  it('a return and a supervision note reach the order and the agent, once; others are skipped', async () => {
    const env = await setUp();
    await ordersSettled();
    expect(env.platform.pulls).toEqual(['now']);
    const mine = await synced(env, '路灯不亮');
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'submit', status: 'dispatched' });
    feedChange(env.platform, { orderId: '99999999-0000-4000-8000-000000000000', orderNo: 'QY-OTHER', action: 'return', status: 'returned', detail: { reason: '别人的' } });
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'supervise', status: 'dispatched', detail: { reason: '请加快办理' } });
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'return', status: 'returned', detail: { reason: '非本单位职责，请核实地址' } });

    syncNow();
    await ordersSettled();
    // Page by page from the head (the fake serves two changes a page).
    expect(env.platform.pulls).toEqual(['now', '0', '1:2']);
    const s = useOrdersStore.getState();
    expect(s.myOrders.find((o) => o.id === mine.id)?.status).toBe('returned');
    expect(s.notices.map((n) => [n.action, n.orderNo, n.reason])).toEqual([
      ['supervise', mine.orderNo, '请加快办理'],
      ['return', mine.orderNo, '非本单位职责，请核实地址'],
    ]);
    expect(env.platform.notified.map((n) => n.body)).toEqual(['请加快办理', '非本单位职责，请核实地址']);
    expect(env.platform.notified[1]!.title).toContain(mine.orderNo);

    const raw = env.raw();
    const events = await eventsOf(raw, await createLocalCipher(KEYS), mine.id);
    expect(events.map((e) => [e.action, e.status, e.detail?.reason])).toEqual([
      ['submit', 'dispatched', undefined],
      ['supervise', 'dispatched', '请加快办理'],
      ['return', 'returned', '非本单位职责，请核实地址'],
    ]);
    // The reasons are sealed at rest.
    expect(JSON.stringify(await raw.events.toArray())).not.toContain('请加快');
    expect(await raw.events.where('clientOrderId').equals('x').count()).toBe(0);
    raw.close();

    // Nothing new: nothing applied again, nobody notified again.
    syncNow();
    await ordersSettled();
    expect(env.platform.notified).toHaveLength(2);
    dismissNotice(useOrdersStore.getState().notices[0]!.seq);
    expect(useOrdersStore.getState().notices.map((n) => n.action)).toEqual(['return']);
  });

  it('changes made while the seat was offline arrive when it is back online; a restart goes on from the checkpoint', async () => {
    const env = await setUp();
    const mine = await synced(env, '噪音扰民');
    useSessionStore.setState({ status: { state: 'offline' } });
    env.platform.mode = 'down';
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'extend', status: 'extended', detail: { reason: '需现场核查', extensionDays: 3 } });
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'return', status: 'returned', detail: { reason: '地址不详' } });
    syncNow();
    await ordersSettled();
    expect(useOrdersStore.getState().notices).toEqual([]);

    env.platform.mode = 'up';
    useSessionStore.setState({ status: { state: 'online' } });
    await until(() => useOrdersStore.getState().notices.length === 1);
    await until(() => useOrdersStore.getState().myOrders.find((o) => o.id === mine.id)?.status === 'returned');

    // A restart pulls from where it stopped, not from the head.
    feedChange(env.platform, { orderId: mine.orderId, orderNo: mine.orderNo, action: 'supervise', status: 'returned', detail: { reason: '尽快重新派单' } });
    await stopOrders();
    env.platform.pulls.length = 0;
    await startOrders();
    await until(() => useOrdersStore.getState().notices.some((n) => n.action === 'supervise'));
    expect(env.platform.pulls[0]).not.toBe('now');
  });

  it("on a shared seat: the status follows, but only the order's own agent is notified", async () => {
    const env = await setUp({ start: false });
    const user = (account: string) => ({ account, displayName: account, role: 'agent' as const, orgCode: 'CITY' });
    useSessionStore.setState({ status: { state: 'online', user: user('agent01') } });
    await startOrders();
    const theirs = await synced(env, '一号坐席的工单');
    await stopOrders();
    useSessionStore.setState({ status: { state: 'online', user: user('agent02') } });
    await startOrders();
    feedChange(env.platform, { orderId: theirs.orderId, orderNo: theirs.orderNo, action: 'return', status: 'returned', detail: { reason: '退回' } });
    syncNow();
    await ordersSettled();
    expect(useOrdersStore.getState().notices).toEqual([]);
    expect(env.platform.notified).toEqual([]);
    const raw = env.raw();
    expect((await raw.orders.get(theirs.id))?.status).toBe('returned');
    raw.close();
  });
});
