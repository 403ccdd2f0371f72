/**
 * Shared set-up of the orders data-layer tests: a fake IndexedDB (one per test, reused across a
 * simulated restart), a real LocalCipher, a stub of window.workstation with a fake platform, a
 * fake call log, and fixtures.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createLocalCipher } from '../../renderer/src/local-data/sealed';
import { setLocalCipherForTests } from '../../renderer/src/local-data/keys';
import { configureOrdersRuntime, type CallLogPort, type LoggedCall } from '../../renderer/src/orders/runtime';
import { openOrdersDb, type OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { useReferenceStore } from '../../renderer/src/directory/reference-store';
import { getEmptyCallState, useCallStore, type CallView } from '../../renderer/src/phone/call-store';
import { getEmptySessionState, useSessionStore } from '../../renderer/src/session/session-store';
import { startOrders, stopOrders, useOrdersStore } from '../../renderer/src/orders/orders-store';
import type { CallerHistory } from '../../shared/orders/ipc';
import type { Order, OrderChange, PushResult } from '../../shared/orders/routes';
import type { OrderForm } from '../../shared/orders/order-form';
import type { ReferenceState } from '../../shared/directory/ipc';
import type { TicketContext, TransferInput } from '../../shared/transfers/routes';

export const KEYS = { dataKey: Buffer.alloc(32, 7).toString('base64'), indexKey: Buffer.alloc(32, 9).toString('base64') };

// Fixture personal data: none of it may appear in the clear in the database or in logs.
export const PHONE = '13812345678';
export const PHONE_2 = '13987654321';
export const NAME = '王小明';
export const CONTENT = '幸福小区三号楼门口的路灯坏了两个星期';
export const TITLE = '路灯损坏报修';

type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = (code: string, message = code): Promise<Result<never>> => Promise.resolve({ ok: false, error: { code, message } });

export interface FakePlatform {
  /** up: answers · down: 'unavailable' · signedOut: 'signed_out' */
  mode: 'up' | 'down' | 'signedOut';
  pushes: { idempotencyKey: string; clientSeq: number; clientOrderId: string }[][];
  followUps: { idempotencyKey: string; orderId: string }[];
  reveals: { idempotencyKey: string; phone: string; purpose: string; callId?: string }[];
  reports: { idempotencyKey: string; articleId: string; articleVersion: number; problem: string; comment?: string }[];
  /** Per-mutation answer override by clientOrderId (status + error code). */
  refuse: Map<string, { status: number; code: string; message: string; issues?: { path: string; message: string }[] }>;
  history: CallerHistory | undefined;
  /** When set, the history answer waits for it (a slow platform). */
  historyGate?: Promise<void>;
  similarAsked: unknown[];
  logs: { message: string; context?: unknown }[];
  seq: number;
  /** The platform's order change feed (seq "1:n", n counting up); pulls asked (their `after`). */
  feed: OrderChange[];
  pulls: string[];
  /** Desktop notifications asked for. */
  notified: { title: string; body: string }[];
  /** Transfer and handling records sent (in the order they arrived), and the contexts served by ticket. */
  transfers: { idempotencyKey: string; ticketId: string; transferId: string; transfer: TransferInput }[];
  handling: { idempotencyKey: string; ticketId: string; handlingId: string; text: string }[];
  contexts: Map<string, TicketContext>;
  contextAsked: string[];
}

/** Add a change to the fake feed (its seq is given). */
export function feedChange(p: FakePlatform, change: Omit<OrderChange, 'seq' | 'at'> & { at?: string }): OrderChange {
  const c: OrderChange = { at: '2026-12-06T10:00:00.000+08:00', ...change, seq: `1:${p.feed.length + 1}` };
  p.feed.push(c);
  return c;
}

export function platformOrder(id: string, clientOrderId: string, orderNo: string, status: Order['status'] = 'dispatched'): Order {
  return {
    id,
    orderNo,
    clientOrderId,
    status,
    version: 1,
    orgCode: 'ORG',
    createdBy: 'agent01',
    createdAt: '2026-11-25T17:00:00+08:00',
    updatedAt: '2026-11-25T17:00:00+08:00',
    channel: 'phone',
    requestType: 'help',
    urgency: 'normal',
    confidential: false,
    title: 'x',
    content: 'x',
    caller: { phone: '138****5678' },
    disposition: 'dispatched',
    coUnits: [],
    returnCount: 0,
    extensionDays: 0,
    followUpCount: 0,
  };
}

export function installWorkstation(): FakePlatform {
  const p: FakePlatform = {
    mode: 'up',
    pushes: [],
    followUps: [],
    reveals: [],
    reports: [],
    refuse: new Map(),
    history: undefined,
    similarAsked: [],
    logs: [],
    seq: 0,
    feed: [],
    pulls: [],
    notified: [],
    transfers: [],
    handling: [],
    contexts: new Map(),
    contextAsked: [],
  };
  const position = (seq: string) => Number(seq.split(':')[1] ?? 0);
  const down = () => (p.mode === 'down' ? fail('unavailable') : fail('signed_out'));
  const events = new EventTarget();
  const workstation = {
    logging: {
      write: (entry: { message: string; context?: unknown }) => {
        p.logs.push({ message: entry.message, context: entry.context });
        return ok(undefined);
      },
    },
    orders: {
      localKeys: () => ok(KEYS),
      numberInfo: () => ok({ kind: 'mobile', region: '广东省深圳市', carrier: '中国移动' }),
      history: async () => {
        await p.historyGate;
        return p.mode !== 'up' ? down() : p.history ? ok(p.history) : ok({ orders: [], total: 0, flags: { openOrders: 0, last30Days: 0, confidentialBefore: false } });
      },
      similar: (q: unknown) => {
        p.similarAsked.push(q);
        return p.mode !== 'up' ? down() : ok({ orders: [] });
      },
      push: (req: { mutations: { idempotencyKey: string; clientSeq: number; clientOrderId: string }[] }) => {
        if (p.mode !== 'up') return down();
        p.pushes.push(req.mutations.map((m) => ({ idempotencyKey: m.idempotencyKey, clientSeq: m.clientSeq, clientOrderId: m.clientOrderId })));
        const results: PushResult[] = req.mutations.map((m) => {
          const refused = p.refuse.get(m.clientOrderId);
          if (refused) return { idempotencyKey: m.idempotencyKey, status: refused.status, error: { code: refused.code, message: refused.message, ...(refused.issues ? { issues: refused.issues } : {}) } };
          const n = ++p.seq;
          return { idempotencyKey: m.idempotencyKey, status: 201, order: platformOrder(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, m.clientOrderId, `GD2026${String(n).padStart(6, '0')}`) };
        });
        return ok({ results });
      },
      followUp: (req: { idempotencyKey: string; orderId: string }) => {
        if (p.mode !== 'up') return down();
        p.followUps.push({ idempotencyKey: req.idempotencyKey, orderId: req.orderId });
        const refused = p.refuse.get(req.orderId);
        if (refused) return fail(refused.code, refused.message);
        return ok(platformOrder(req.orderId, '11111111-1111-4111-8111-111111111111', 'GD2026999999', 'dispatched'));
      },
      recordReveal: (req: { idempotencyKey: string; phone: string; purpose: string; callId?: string }) => {
        if (p.mode !== 'up') return down();
        p.reveals.push(req);
        return ok({ recorded: true });
      },
      reportArticle: (req: { idempotencyKey: string; articleId: string; articleVersion: number; problem: string; comment?: string }) => {
        if (p.mode !== 'up') return down();
        p.reports.push(req);
        return ok({ id: '22222222-2222-4222-8222-222222222222' });
      },
      get: () => fail('not_found'),
      reportLocalData: () => ok({ wiped: false }),
      changes: ({ after }: { after: string }) => {
        p.pulls.push(after);
        if (p.mode !== 'up') return down();
        if (after === 'now') return ok({ changes: [], checkpoint: p.feed.at(-1)?.seq ?? '0', hasMore: false });
        const next = p.feed.filter((c) => position(c.seq) > position(after));
        const page = next.slice(0, 2);
        return ok({ changes: page, checkpoint: page.at(-1)?.seq ?? after, hasMore: next.length > page.length });
      },
    },
    transfers: {
      context: ({ ticketId }: { ticketId: string }) => {
        p.contextAsked.push(ticketId);
        if (p.mode !== 'up') return down();
        const c = p.contexts.get(ticketId);
        return c ? ok(c) : fail('not_found');
      },
      recordTransfer: (req: { idempotencyKey: string; ticketId: string; transferId: string; transfer: TransferInput }) => {
        if (p.mode !== 'up') return down();
        p.transfers.push({ idempotencyKey: req.idempotencyKey, ticketId: req.ticketId, transferId: req.transferId, transfer: req.transfer });
        return ok({ id: req.transferId, ...req.transfer, by: 'agent01', byName: '坐席', byOrg: 'ORG' });
      },
      addHandling: (req: { idempotencyKey: string; ticketId: string; handlingId: string; handling: { text: string; at: string } }) => {
        if (p.mode !== 'up') return down();
        p.handling.push({ idempotencyKey: req.idempotencyKey, ticketId: req.ticketId, handlingId: req.handlingId, text: req.handling.text });
        return ok({ id: req.handlingId, text: req.handling.text, at: req.handling.at, by: 'tax01', byName: '税务', byOrg: 'TAX' });
      },
    },
    shell: {
      notify: (n: { title: string; body: string }) => {
        p.notified.push({ title: n.title, body: n.body });
        return ok({ shown: true });
      },
    },
  };
  (globalThis as unknown as { window: unknown }).window = {
    workstation,
    setTimeout: globalThis.setTimeout.bind(globalThis),
    clearTimeout: globalThis.clearTimeout.bind(globalThis),
    addEventListener: events.addEventListener.bind(events),
    removeEventListener: events.removeEventListener.bind(events),
    dispatchEvent: events.dispatchEvent.bind(events),
  };
  return p;
}

export class FakeCallLog implements CallLogPort {
  rows = new Map<string, LoggedCall & { remoteNumber: string }>();
  links: { callId: string; workOrderId: string }[] = [];
  async linkWorkOrder(callId: string, workOrderId: string) {
    const row = this.rows.get(callId);
    if (!row) throw new Error('not found');
    this.rows.set(callId, { ...row, workOrderId });
    this.links.push({ callId, workOrderId });
    return row;
  }
  async callsForNumber(number: string) {
    return [...this.rows.values()].filter((r) => r.remoteNumber === number).sort((a, b) => b.startedAt - a.startedAt);
  }
}

export interface Env {
  platform: FakePlatform;
  callLog: FakeCallLog;
  factory: IDBFactory;
  dbName: string;
  /** A second connection to the same database, for looking at raw rows. */
  raw(): OrdersDatabase;
  restart(): Promise<void>;
}

let dbSeq = 0;

export async function setUp(opts: { start?: boolean } = {}): Promise<Env> {
  const platform = installWorkstation();
  const callLog = new FakeCallLog();
  const factory = new IDBFactory();
  const dbName = `orders-test-${process.pid}-${++dbSeq}`;
  setLocalCipherForTests(await createLocalCipher(KEYS));
  configureOrdersRuntime({ dbName, dexie: { indexedDB: factory, IDBKeyRange }, callLog, random: () => 0.5 });
  useReferenceStore.setState({
    data: {
      directory: [
        { number: '12333', name: '人社服务热线', mergeMode: 'dual', status: 'active', unitCode: 'HRSS', transferUri: null, threeWay: false, serviceHours: '7×24', note: null, categoryCode: '03.01' },
      ],
    } as unknown as ReferenceState['data'],
    fetchedAt: 1,
    stale: false,
  });
  useCallStore.setState(getEmptyCallState());
  useSessionStore.setState({ status: { state: 'online' } });
  const env: Env = {
    platform,
    callLog,
    factory,
    dbName,
    raw: () => openOrdersDb(dbName, { indexedDB: factory, IDBKeyRange }),
    restart: async () => {
      await stopOrders();
      await startOrders();
    },
  };
  if (opts.start !== false) {
    await startOrders();
    if (useOrdersStore.getState().status !== 'ready') throw new Error(`orders did not start: ${useOrdersStore.getState().problem}`);
  }
  return env;
}

export async function tearDown(): Promise<void> {
  await stopOrders();
  useCallStore.setState(getEmptyCallState());
  useSessionStore.setState(getEmptySessionState());
  setLocalCipherForTests(undefined);
}

export function ringing(id: string, remoteNumber = PHONE, dialled = '12345', since = Date.now()): CallView {
  return { id, remoteName: NAME, remoteNumber, dialled, state: { kind: 'ringing', direction: 'inbound', since } };
}

export function answered(c: CallView, at = Date.now()): CallView {
  return { ...c, state: { kind: 'active', direction: 'inbound', since: at, answeredAt: at, muted: false } };
}

export function ended(c: CallView, at = Date.now()): CallView {
  const answeredAt = 'answeredAt' in c.state ? c.state.answeredAt : undefined;
  return { ...c, state: { kind: 'ended', direction: 'inbound', since: at, reason: 'remoteHangup', ...(answeredAt !== undefined ? { answeredAt } : {}) } };
}

/** A form that validates as a dispatched order. */
export function validForm(extra: Partial<OrderForm> = {}): Partial<OrderForm> {
  return {
    requestType: 'help',
    title: TITLE,
    content: CONTENT,
    callerName: NAME,
    callerPhone: PHONE,
    disposition: 'dispatched',
    handlingUnit: 'STREET-01',
    district: '南山区',
    street: '粤海街道',
    addressDetail: '幸福小区三号楼',
    ...extra,
  };
}

/** Wait until `cond` holds (real time; IndexedDB work is asynchronous). */
export async function until(cond: () => boolean | Promise<boolean>, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
