/**
 * A seat shared between shifts: each agent's drafts, local orders, cached caller history and
 * outbox entries stay theirs. The next agent does not see the previous one's drafts or orders, and
 * their session does not send the previous agent's entries (the platform would record the order as
 * the wrong agent's); those wait, counted, until their owner signs in here again. Rows written
 * before owners were recorded stay shared.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { editDraft, newDraft, ordersSettled, searchMyOrders, startOrders, stopOrders, submitDraft, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { addCall } from '../../renderer/src/phone/call-store';
import { useSessionStore } from '../../renderer/src/session/session-store';
import { PHONE, ringing, setUp, tearDown, until, validForm, type Env } from './orders-harness';
import type { CallerHistory } from '../../shared/orders/ipc';

afterEach(tearDown);

const user = (account: string) => ({ account, displayName: account, role: 'agent' as const, orgCode: 'CITY' });

async function signInAs(account: string): Promise<void> {
  await stopOrders();
  useSessionStore.setState({ status: { state: 'online', user: user(account) } });
  await startOrders();
  if (useOrdersStore.getState().status !== 'ready') throw new Error('orders did not start');
}

const HISTORY: CallerHistory = { orders: [], total: 0, flags: { last30Days: 0, openOrders: 0, confidentialBefore: false } };

describe('a seat shared between agents', () => {
  it("keeps drafts, orders and the outbox per agent; the next agent's session does not send the previous agent's entries", async () => {
    const env: Env = await setUp({ start: false });
    await signInAs('agent01');
    env.platform.mode = 'down';
    const sent = newDraft();
    editDraft(sent, validForm({ title: '一号坐席的工单' }));
    expect((await submitDraft(sent)).ok).toBe(true);
    const open = newDraft();
    editDraft(open, validForm({ title: '一号坐席的草稿' }));
    await ordersSettled();
    await until(() => useOrdersStore.getState().sync.pending === 1);

    // Shift change: agent02 signs in on the same seat, the platform is back.
    env.platform.mode = 'up';
    await signInAs('agent02');
    // The status bar says what waits here for someone else.
    await until(() => useOrdersStore.getState().sync.others === 1);
    const s = useOrdersStore.getState();
    expect(Object.keys(s.drafts)).toEqual([]);
    expect(s.myOrders).toEqual([]);
    expect(await searchMyOrders('一号坐席')).toEqual([]);
    expect(s.sync).toMatchObject({ pending: 0, failed: 0 });
    expect(env.platform.pushes).toEqual([]);

    // agent02's own order goes at once, with its own sequence number.
    const theirs = newDraft();
    editDraft(theirs, validForm({ title: '二号坐席的工单' }));
    expect((await submitDraft(theirs)).ok).toBe(true);
    await until(() => env.platform.pushes.flat().some((m) => m.clientOrderId === theirs));
    expect(env.platform.pushes.flat().map((m) => m.clientOrderId)).toEqual([theirs]);
    expect((await searchMyOrders('坐席')).map((o) => o.id)).toEqual([theirs]);

    // agent01 again: the draft is back, the waiting order is sent now.
    await signInAs('agent01');
    await until(() => env.platform.pushes.flat().some((m) => m.clientOrderId === sent));
    await until(() => useOrdersStore.getState().myOrders.find((o) => o.id === sent)?.sync === 'synced');
    expect(Object.keys(useOrdersStore.getState().drafts)).toEqual([open]);
    expect(useOrdersStore.getState().myOrders.map((o) => o.id).sort()).toEqual([open, sent].sort());
    await until(() => useOrdersStore.getState().sync.pending === 0);
    expect(useOrdersStore.getState().sync.others).toBe(0);
    const raw = env.raw();
    expect((await raw.outbox.toArray()).map((e) => [e.clientOrderId, e.owner])).toEqual(
      expect.arrayContaining([
        [sent, 'agent01'],
        [theirs, 'agent02'],
      ]),
    );
    raw.close();
  });

  it("shows in the pop only this agent's local orders, calls and cached platform answer", async () => {
    const env = await setUp({ start: false });
    await signInAs('agent01');
    env.platform.mode = 'down';
    const earlier = newDraft();
    editDraft(earlier, validForm({ title: '一号坐席受理' }));
    expect((await submitDraft(earlier)).ok).toBe(true);
    env.platform.mode = 'up';
    env.platform.history = HISTORY;
    addCall(ringing('a1@pbx', PHONE), true);
    await until(() => useOrdersStore.getState().pops['a1@pbx']?.platform.state === 'ok');
    expect(useOrdersStore.getState().pops['a1@pbx']!.local.orders.map((o) => o.id)).toEqual([earlier]);
    await ordersSettled();

    await signInAs('agent02');
    env.platform.mode = 'down';
    const logged = (id: string, startedAt: number, agentAccount?: string) =>
      env.callLog.rows.set(id, { id, direction: 'inbound', startedAt, result: 'answered', remoteNumber: PHONE, ...(agentAccount ? { agentAccount } : {}) });
    logged('x@pbx', 3, 'agent01');
    logged('y@pbx', 2, 'agent02');
    logged('z@pbx', 1);
    addCall(ringing('b1@pbx', PHONE), true);
    await until(() => useOrdersStore.getState().pops['b1@pbx']?.platform.state === 'unavailable');
    const pop = useOrdersStore.getState().pops['b1@pbx']!;
    expect(pop.local.orders).toEqual([]);
    await until(() => useOrdersStore.getState().pops['b1@pbx']!.local.calls.length > 0);
    expect(useOrdersStore.getState().pops['b1@pbx']!.local.calls.map((c) => c.id)).toEqual(['y@pbx', 'z@pbx']);
    // agent01's cached answer is not shown to agent02 (what the platform answers depends on who asked).
    expect(pop.platform.history).toBeUndefined();
  });
});
