/**
 * One-click transfer with context as the transferring seat runs it (renderer/src/transfers/
 * transfer-runner.ts) over the real orders data layer (fake IndexedDB, fake platform bridge) and a
 * stand-in for the softphone's lines: the order is submitted with the transfer's disposition and
 * recorded as pending on the platform before the target is called with its ticket; the outcome is
 * recorded; a one-click transfer that does not reach the target gives the caller back. And the
 * receiving seat's follower (ticket-follower.ts): a claim is looked up only when well-formed, and
 * an order not there yet is asked for again while the call lasts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { editDraft, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { addCall, callById, updateCall, useCallStore, type CallView } from '../../renderer/src/phone/call-store';
import { CONTEXT_WAIT_MS, recordReadOut, startTransfer } from '../../renderer/src/transfers/transfer-runner';
import { useTransfersStore } from '../../renderer/src/transfers/transfer-store';
import { followTickets } from '../../renderer/src/transfers/ticket-follower';
import type { TicketContext } from '../../shared/transfers/routes';
import { PHONE, answered, ended, platformOrder, ringing, setUp, tearDown, until, validForm, type Env } from './orders-harness';

/** What happened, in order, across the platform bridge and the lines. */
const events: string[] = [];

const lines = vi.hoisted(() => ({
  calls: [] as { op: string; number?: string; to?: unknown }[],
  timeoutS: 30,
}));

vi.mock('../../renderer/src/phone/sip-service', () => ({
  sipService: {
    lines: {
      focus: (id: string) => useCallStore.setState({ focusedId: id }),
      transferTimeoutS: () => lines.timeoutS,
      blindTransfer: async (number: string, to: unknown) => {
        lines.calls.push({ op: 'blind', number, to });
        events.push('blindTransfer');
        const main = useCallStore.getState().focusedId!;
        updateCall(main, (c) => ({ ...c, state: { ...c.state, kind: 'held' } as CallView['state'], transfer: { target: number, kind: 'blind', status: 'pending', state: { kind: 'requested', since: Date.now() } } }));
        return 'ok';
      },
      consult: async (number: string, to: unknown) => {
        lines.calls.push({ op: 'consult', number, to });
        events.push('consult');
        const main = useCallStore.getState().focusedId!;
        updateCall(main, (c) => ({ ...c, state: { ...c.state, kind: 'held' } as CallView['state'] }));
        addCall({ id: 'consult-1', remoteName: '', remoteNumber: number, consult: true, state: { kind: 'dialing', direction: 'outbound', since: Date.now() } }, true);
        return 'ok';
      },
      setHold: async (hold: boolean, id: string) => {
        lines.calls.push({ op: hold ? 'hold' : 'resume', number: id });
        updateCall(id, (c) => ({ ...c, state: { ...c.state, kind: hold ? 'held' : 'active' } as CallView['state'] }));
      },
      hangup: async (id: string) => {
        lines.calls.push({ op: 'hangup', number: id });
        updateCall(id, (c) => ({ ...c, state: { kind: 'ended', direction: 'outbound', since: Date.now(), reason: 'cancelled' } }));
      },
    },
  },
}));

const TAX = { number: '12366', name: '纳税缴费服务热线', uri: 'sip:12366@qy.example', org: 'QY-12366' };

let env: Env;

beforeEach(async () => {
  env = await setUp();
  events.length = 0;
  lines.calls.length = 0;
  lines.timeoutS = 30;
  useTransfersStore.setState({ tickets: {}, attempts: {} });
  const bridge = window.workstation as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
  for (const [domain, method] of [
    ['orders', 'push'],
    ['transfers', 'recordTransfer'],
  ] as const) {
    const real = bridge[domain]![method]!;
    bridge[domain]![method] = (...a: unknown[]) => {
      events.push(`${domain}.${method}`);
      return real(...a);
    };
  }
});
afterEach(tearDown);

/** A caller on line c1, answered, with the call's draft bound (and typed as given). */
async function talking(form: Parameters<typeof validForm>[0] | null = {}): Promise<string> {
  addCall(ringing('c1@pbx', PHONE), true);
  updateCall('c1@pbx', (c) => answered(c));
  await until(() => Object.values(useOrdersStore.getState().drafts).some((d) => d.call?.callId === 'c1@pbx'));
  const draft = Object.values(useOrdersStore.getState().drafts).find((d) => d.call?.callId === 'c1@pbx')!;
  if (form) editDraft(draft.id, validForm(form));
  return draft.id;
}

const attempt = () => useTransfersStore.getState().attempts['c1@pbx'];
const mainTransfer = (kind: 'succeeded' | 'failed') =>
  updateCall('c1@pbx', (c) => ({
    ...c,
    transfer: { target: '12366', kind: c.transfer?.kind ?? 'attended', status: kind === 'succeeded' ? 'done' : 'failed', state: kind === 'succeeded' ? { kind, since: Date.now(), code: 200 } : { kind, since: Date.now(), reason: 'busy', code: 486 } },
  }));

describe('transfer runner', () => {
  it('submits the order as 转分中心 and records the transfer as pending on the platform before the target is called with the ticket; then records it connected', async () => {
    const ticket = await talking({ disposition: 'dispatched' });
    const r = await startTransfer('c1@pbx', TAX, 'blind');
    expect(r).toEqual({ ok: true });
    // The order and the pending record reached the platform before the REFER left.
    expect(events.slice(0, events.indexOf('blindTransfer') + 1)).toEqual(['orders.push', 'transfers.recordTransfer', 'blindTransfer']);
    expect(env.platform.pushes.flat().map((m) => m.clientOrderId)).toEqual([ticket]);
    expect(env.platform.transfers).toEqual([expect.objectContaining({ ticketId: ticket, transfer: expect.objectContaining({ kind: 'blind', targetNumber: '12366', outcome: 'pending' }) })]);
    expect(lines.calls[0]).toEqual({ op: 'blind', number: '12366', to: { uri: TAX.uri, ticketId: ticket } });
    expect(useOrdersStore.getState().drafts[ticket]).toMatchObject({ state: 'submitted', form: expect.objectContaining({ disposition: 'transferred', transferTarget: 'QY-12366' }) });
    expect(attempt()).toMatchObject({ phase: 'calling', ticketId: ticket, contextDelivered: true });

    mainTransfer('succeeded');
    await until(() => env.platform.transfers.length === 2);
    expect(env.platform.transfers[1]!.transfer).toMatchObject({ outcome: 'connected', endedAt: expect.any(String) });
    expect(env.platform.transfers[1]!.transferId).toBe(env.platform.transfers[0]!.transferId);
    expect(attempt()?.phase).toBe('connected');
  });

  it('does not transfer an incomplete order without asking; without an order it transfers and records nothing', async () => {
    await talking(null);
    const r = await startTransfer('c1@pbx', TAX, 'threeWay');
    expect(r.ok).toBe(false);
    if (r.ok || r.reason !== 'incomplete') throw new Error('expected incomplete');
    expect(r.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['title', 'content']));
    expect(lines.calls).toEqual([]);
    expect(env.platform.pushes).toEqual([]);

    expect(await startTransfer('c1@pbx', TAX, 'threeWay', { withoutOrder: true })).toEqual({ ok: true });
    expect(lines.calls[0]).toEqual({ op: 'consult', number: '12366', to: { uri: TAX.uri, threeWay: true } });
    expect(attempt()?.ticketId).toBeUndefined();
    expect(env.platform.transfers).toEqual([]);
  });

  it('with the platform down waits no longer than its bound, says the context is late, and the records follow when it is back', async () => {
    const ticket = await talking();
    env.platform.mode = 'down';
    const t0 = Date.now();
    expect(await startTransfer('c1@pbx', TAX, 'blind')).toEqual({ ok: true });
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(CONTEXT_WAIT_MS - 50);
    expect(waited).toBeLessThan(CONTEXT_WAIT_MS + 1_500);
    expect(lines.calls).toHaveLength(1);
    expect(attempt()).toMatchObject({ contextDelivered: false, ticketId: ticket });
    env.platform.mode = 'up';
    (await import('../../renderer/src/orders/orders-store')).syncNow();
    await until(() => env.platform.transfers.length === 1, 10_000);
    expect(env.platform.pushes.flat().map((m) => m.clientOrderId)).toEqual([ticket]);
  });

  it('three-way: a target that does not answer within the transfer timeout is cancelled, recorded failed (no answer), and the caller is taken back off hold', async () => {
    lines.timeoutS = 1;
    await talking();
    expect(await startTransfer('c1@pbx', TAX, 'threeWay')).toEqual({ ok: true });
    expect(callById('c1@pbx')?.state.kind).toBe('held');
    await until(() => attempt()?.phase === 'failed', 5_000);
    expect(attempt()?.reason).toBe('noAnswer');
    expect(lines.calls.map((c) => c.op)).toEqual(['consult', 'hangup', 'resume']);
    expect(callById('c1@pbx')?.state.kind).toBe('active');
    await until(() => env.platform.transfers.length === 2);
    expect(env.platform.transfers[1]!.transfer).toMatchObject({ outcome: 'failed', reason: 'noAnswer' });
  });

  it('three-way: a busy target is recorded as such and the caller is back; an attended consult that fails leaves the caller on hold', async () => {
    await talking();
    await startTransfer('c1@pbx', TAX, 'threeWay');
    updateCall('consult-1', (c) => ({ ...c, state: { kind: 'ended', direction: 'outbound', since: Date.now(), reason: 'busy', sipCode: 486 } }));
    await until(() => attempt()?.phase === 'failed');
    expect(attempt()?.reason).toBe('busy');
    await until(() => callById('c1@pbx')?.state.kind === 'active');

    useCallStore.setState({ calls: useCallStore.getState().calls.filter((c) => c.id !== 'consult-1') });
    await startTransfer('c1@pbx', TAX, 'attended');
    updateCall('consult-1', (c) => ({ ...c, state: { kind: 'ended', direction: 'outbound', since: Date.now(), reason: 'rejected', sipCode: 603 } }));
    await until(() => attempt()?.phase === 'failed' && attempt()?.kind === 'attended');
    expect(attempt()?.reason).toBe('declined');
    expect(callById('c1@pbx')?.state.kind).toBe('held');
  });

  it('a hand-over whose consultation ends before the NOTIFY says 200 is connected, not failed', async () => {
    await talking();
    await startTransfer('c1@pbx', TAX, 'threeWay');
    updateCall('consult-1', (c) => ({ ...c, state: { kind: 'active', direction: 'outbound', since: Date.now(), answeredAt: Date.now(), muted: false } }));
    await until(() => attempt()?.phase === 'introducing');
    // 退出三方: the REFER with Replaces is under way; the target ends the replaced consultation first.
    updateCall('c1@pbx', (c) => ({ ...c, transfer: { target: '12366', kind: 'attended', status: 'pending', state: { kind: 'accepted', since: Date.now(), progress: 'trying' } } }));
    updateCall('consult-1', (c) => ({ ...c, state: { kind: 'ended', direction: 'outbound', since: Date.now(), reason: 'remoteHangup', answeredAt: Date.now() } }));
    await new Promise((r) => setTimeout(r, 20));
    expect(attempt()?.phase).toBe('introducing');
    mainTransfer('succeeded');
    await until(() => attempt()?.phase === 'connected');
  });

  it('emergency: an untyped order gets its linkage written in, is submitted, and the transfer does not wait for the platform; a read-out is recorded too', async () => {
    const ticket = await talking(null);
    editDraft(ticket, { callerPhone: PHONE });
    env.platform.mode = 'down';
    const t0 = Date.now();
    expect(await startTransfer('c1@pbx', { number: '120', name: '医疗急救电话', uri: 'sip:120@qy.example', org: null }, 'emergency')).toEqual({ ok: true });
    expect(Date.now() - t0).toBeLessThan(CONTEXT_WAIT_MS);
    expect(useOrdersStore.getState().drafts[ticket]).toMatchObject({ state: 'submitted', form: expect.objectContaining({ disposition: 'emergency', emergencyLine: '120', requestType: 'help', title: '紧急联动转 120' }) });
    expect(lines.calls[0]).toMatchObject({ op: 'blind', number: '120' });

    await recordReadOut('c1@pbx', { number: '120', name: '医疗急救电话' });
    env.platform.mode = 'up';
    (await import('../../renderer/src/orders/orders-store')).syncNow();
    await until(() => env.platform.transfers.some((t) => t.transfer.outcome === 'readOut'), 10_000);
  });

  it('passes on the ticket a transferred call came with, without submitting this seat’s own draft', async () => {
    const own = await talking(null);
    const received = '6f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';
    useTransfersStore.setState({ tickets: { 'c1@pbx': { state: 'ready', ticketId: received, context: {} as TicketContext, at: Date.now() } } });
    expect(await startTransfer('c1@pbx', { number: '12345', uri: 'sip:12345@qy.example' }, 'threeWay')).toEqual({ ok: true });
    expect(lines.calls[0]).toEqual({ op: 'consult', number: '12345', to: { uri: 'sip:12345@qy.example', ticketId: received, threeWay: true } });
    expect(useOrdersStore.getState().drafts[own]?.state).toBe('open');
    expect(env.platform.transfers[0]).toMatchObject({ ticketId: received });
  });
});

describe('ticket follower (the receiving seat)', () => {
  const context = (ticketId: string): TicketContext => ({
    order: platformOrder('00000000-0000-4000-8000-000000000001', ticketId, 'QY20261207000001', 'transferred'),
    transfers: [],
    handling: [],
    history: { orders: [], total: 0, flags: { openOrders: 0, last30Days: 0, confidentialBefore: false } },
  });
  const T1 = '6f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';

  it('looks up a well-formed ticket while the call rings, never a malformed one', async () => {
    env.platform.contexts.set(T1, context(T1));
    const stop = followTickets([]);
    try {
      addCall({ ...ringing('t1@pbx', '8001'), ticket: { kind: 'ticket', ticketId: T1 } }, true);
      addCall({ ...ringing('t2@pbx', '8001'), ticket: { kind: 'malformed' } }, false);
      await until(() => useTransfersStore.getState().tickets['t1@pbx']?.state === 'ready');
      expect(useTransfersStore.getState().tickets['t2@pbx']).toEqual({ state: 'unavailable', reason: 'malformed' });
      expect(env.platform.contextAsked).toEqual([T1]);
    } finally {
      stop();
    }
  });

  it('asks again for an order not there yet while the call lasts, and stops when it ended', async () => {
    const stop = followTickets([30, 30, 30]);
    try {
      addCall({ ...ringing('t1@pbx', '8001'), ticket: { kind: 'ticket', ticketId: T1 } }, true);
      await until(() => useTransfersStore.getState().tickets['t1@pbx']?.state === 'unavailable');
      expect(useTransfersStore.getState().tickets['t1@pbx']).toMatchObject({ reason: 'notFound' });
      env.platform.contexts.set(T1, context(T1));
      await until(() => useTransfersStore.getState().tickets['t1@pbx']?.state === 'ready');
      const asked = env.platform.contextAsked.length;
      expect(asked).toBeGreaterThanOrEqual(2);

      const T2 = '7f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';
      addCall({ ...ringing('t3@pbx', '8001'), ticket: { kind: 'ticket', ticketId: T2 } }, false);
      await until(() => env.platform.contextAsked.filter((t) => t === T2).length === 1);
      updateCall('t3@pbx', (c) => ended(c));
      await new Promise((r) => setTimeout(r, 150));
      expect(env.platform.contextAsked.filter((t) => t === T2).length).toBeLessThanOrEqual(2);
    } finally {
      stop();
    }
  });
});
