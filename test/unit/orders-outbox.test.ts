/** The outbox sender: result mapping, backoff and resume, per-order ordering, reveals. */
import { afterEach, describe, expect, it } from 'vitest';
import { editDraft, newDraft, ordersSettled, reportArticle, revealNumber, setMergeTarget, startOrders, stopOrders, submitDraft, syncNow, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { DEFAULT_POLICY, OutboxSender, classifyPushResult, dueEntries, type OutboxTransport, type SenderPolicy } from '../../renderer/src/orders/outbox/outbox-sender';
import { addCall } from '../../renderer/src/phone/call-store';
import { useSessionStore } from '../../renderer/src/session/session-store';
import { BridgeError } from '../../renderer/src/ipc/bridge';
import type { OutboxEntry } from '../../shared/outbox/entry';
import type { OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { PHONE, platformOrder, ringing, setUp, tearDown, until, validForm, type Env } from './orders-harness';

afterEach(tearDown);

async function submitted(env: Env, n: number, extra = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = newDraft();
    editDraft(id, validForm({ title: `工单${i}`, ...extra }));
    const r = await submitDraft(id);
    if (!r.ok) throw new Error('submit failed');
    ids.push(id);
  }
  void env;
  return ids;
}

const rawEntries = async (env: Env) => {
  const raw = env.raw();
  const rows = await raw.outbox.orderBy('clientSeq').toArray();
  raw.close();
  return rows;
};

const entry = (seq: number, order: string, kind: OutboxEntry['kind'], state: OutboxEntry['state'], nextAttemptAt = 0): OutboxEntry => ({
  mutationId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  clientSeq: seq,
  clientOrderId: order,
  kind,
  state,
  attempts: 0,
  createdAt: 0,
  nextAttemptAt,
});

describe('which entries go', () => {
  it('keeps per-order sequence: an unfinished earlier entry holds back later ones of that order only; reveals and article reports never wait', () => {
    const A = 'aaaaaaaa-0000-4000-8000-000000000000';
    const B = 'bbbbbbbb-0000-4000-8000-000000000000';
    const due = dueEntries(
      [entry(4, A, 'order.followUp', 'pending'), entry(1, A, 'order.create', 'failed'), entry(2, B, 'order.create', 'pending'), entry(3, A, 'caller.reveal', 'pending'), entry(5, B, 'order.followUp', 'pending'), entry(6, A, 'knowledge.feedback', 'pending')],
      10,
    );
    expect(due.map((e) => e.clientSeq)).toEqual([2, 3, 6]);
    expect(dueEntries([entry(1, A, 'order.create', 'pending', 20)], 10)).toEqual([]);
  });

  it('maps push results: 2xx done, 4xx failed, 408/429/5xx retried', () => {
    const o = platformOrder('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'GD1');
    expect(classifyPushResult({ idempotencyKey: 'k', status: 201, order: o }).kind).toBe('done');
    expect(classifyPushResult({ idempotencyKey: 'k', status: 200, order: o }).kind).toBe('done');
    expect(classifyPushResult({ idempotencyKey: 'k', status: 400, error: { code: 'invalid_request', message: 'bad' } })).toMatchObject({ kind: 'failed', message: 'bad' });
    expect(classifyPushResult({ idempotencyKey: 'k', status: 409, error: { code: 'conflict', message: 'x' } }).kind).toBe('failed');
    expect(classifyPushResult({ idempotencyKey: 'k', status: 429, error: { code: 'rate_limited', message: 'x' } }).kind).toBe('retry');
    expect(classifyPushResult({ idempotencyKey: 'k', status: 503, error: { code: 'unavailable', message: 'x' } }).kind).toBe('retry');
  });
});

describe('sending', () => {
  it('pushes in clientSeq order, the platform number comes back to the local order and my orders', async () => {
    const env = await setUp();
    const ids = await submitted(env, 3);
    await until(async () => (await rawEntries(env)).every((e) => e.state === 'done'));
    await ordersSettled();
    expect(env.platform.pushes.flat().map((m) => m.clientSeq)).toEqual([1, 2, 3]);
    expect(env.platform.pushes.flat().map((m) => m.clientOrderId)).toEqual(ids);
    // A delivered entry keeps no payload: the record of its delivery only.
    expect((await rawEntries(env)).map((e) => [e.state, e.attempts, 'payload' in e])).toEqual([1, 2, 3].map(() => ['done', 1, false]));
    const mine = useOrdersStore.getState().myOrders.find((o) => o.id === ids[0]);
    expect(mine).toMatchObject({ sync: 'synced', orderNo: expect.stringMatching(/^GD2026/), status: 'dispatched', orderId: expect.any(String) });
    expect(useOrdersStore.getState().sync).toMatchObject({ pending: 0, failed: 0, lastSyncAt: expect.any(Number) });
  });

  it('sends a backlog queued while the platform was down in clientSeq order, in as few pushes as the limits allow', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    await submitted(env, 103);
    await stopOrders();
    env.platform.mode = 'up';
    await startOrders(); // a new page sends the whole backlog at once
    await until(async () => (await rawEntries(env)).every((e) => e.state === 'done'), 10_000);
    expect(env.platform.pushes.map((b) => b.length)).toEqual([103]);
    expect(env.platform.pushes.flat().map((m) => m.clientSeq)).toEqual(Array.from({ length: 103 }, (_, i) => i + 1));
  });

  it('marks a refused order failed with the platform message, visible, and goes on with the others', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const [bad, good] = await submitted(env, 2);
    env.platform.refuse.set(bad!, { status: 422, code: 'invalid_request', message: 'category 99 is not known' });
    env.platform.mode = 'up';
    syncNow();
    await until(async () => (await rawEntries(env)).every((e) => e.state !== 'pending' && e.state !== 'sending'));
    await ordersSettled();
    const rows = await rawEntries(env);
    expect(rows.map((r) => r.state)).toEqual(['failed', 'done']);
    expect(rows[0]!.lastError).toMatchObject({ code: 'invalid_request', message: 'category 99 is not known', status: 422 });
    const s = useOrdersStore.getState();
    expect(s.myOrders.find((o) => o.id === bad)).toMatchObject({ sync: 'failed', error: 'category 99 is not known' });
    expect(s.myOrders.find((o) => o.id === good)).toMatchObject({ sync: 'synced' });
    expect(s.sync.failed).toBe(1);
    // Never dropped: still there after another run.
    syncNow();
    await ordersSettled();
    expect((await rawEntries(env)).length).toBe(2);
  });

  it('keeps entries pending with the queue’s full-jitter backoff while the platform is down, and resumes at once when the session is online', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    useSessionStore.setState({ status: { state: 'offline' } });
    const before = Date.now();
    await submitted(env, 2);
    await until(async () => (await rawEntries(env)).every((e) => e.attempts >= 1));
    await ordersSettled();
    const rows = await rawEntries(env);
    // Each send found the platform down: the queue waits random 0.5 × min(60 s, 100 ms · 2^(n-1))
    // after the n-th failure in a row, and each entry waits with it (none goes before another).
    const sends = rows.reduce((n, r) => n + r.attempts, 0);
    for (const r of rows) {
      expect(r.state).toBe('pending');
      expect(r.lastError?.code).toBe('unavailable');
      expect(r.nextAttemptAt - before).toBeGreaterThanOrEqual(40);
      expect(r.nextAttemptAt - Date.now()).toBeLessThanOrEqual(0.5 * Math.min(60_000, 100 * 2 ** (sends - 1)) + 10);
    }
    expect(useOrdersStore.getState().sync).toMatchObject({ pending: 2, lastError: 'unavailable' });

    env.platform.mode = 'signedOut';
    await until(async () => (await rawEntries(env)).every((e) => e.attempts >= 2), 5_000);
    const second = await rawEntries(env);
    expect(second.every((r) => r.state === 'pending' && r.lastError?.code === 'signed_out')).toBe(true);

    env.platform.mode = 'up';
    const t = Date.now();
    useSessionStore.setState({ status: { state: 'online' } });
    await until(async () => (await rawEntries(env)).every((e) => e.state === 'done'));
    expect(Date.now() - t).toBeLessThan(1_000);
  });

  it('sends a follow-up only after the earlier entries of its order; a failed one blocks that order only', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const merge = { orderId: '33333333-3333-4333-8333-333333333333', orderNo: 'GD2026000077' };
    const f = newDraft();
    editDraft(f, { content: '再次来电', callerPhone: PHONE });
    setMergeTarget(f, merge);
    expect(await submitDraft(f)).toEqual({ ok: true, mutationId: expect.any(String) });
    const [o] = await submitted(env, 1);
    env.platform.refuse.set(merge.orderId, { status: 404, code: 'not_found', message: 'no such order' });
    env.platform.mode = 'up';
    syncNow();
    await until(async () => (await rawEntries(env)).every((e) => e.state === 'done' || e.state === 'failed'));
    await ordersSettled();
    const rows = await rawEntries(env);
    expect(rows.map((r) => [r.kind, r.state])).toEqual([
      ['order.followUp', 'failed'],
      ['order.create', 'done'],
    ]);
    expect(useOrdersStore.getState().myOrders.find((x) => x.id === o)?.sync).toBe('synced');
    expect(useOrdersStore.getState().myOrders.find((x) => x.id === f)).toMatchObject({ sync: 'failed', followUpOf: 'GD2026000077' });
  });

  it('records a reveal even when the platform is down: queued, shown, sent later', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    addCall(ringing('r1@pbx', PHONE), true);
    await ordersSettled();
    await expect(revealNumber('r1@pbx', 'x')).rejects.toThrow(RangeError);
    await revealNumber('r1@pbx', '核实回访号码');
    expect(useOrdersStore.getState().pops['r1@pbx']?.numberRevealed).toBe(PHONE);
    let rows = await rawEntries(env);
    expect(rows.map((r) => [r.kind, r.state])).toEqual([['caller.reveal', 'pending']]);
    env.platform.mode = 'up';
    syncNow();
    await until(async () => (await rawEntries(env)).every((e) => e.state === 'done'));
    expect(env.platform.reveals).toEqual([
      expect.objectContaining({ idempotencyKey: rows[0]!.mutationId, clientSeq: 1, phone: PHONE, purpose: '核实回访号码', callId: 'r1@pbx', source: expect.stringMatching(/^[0-9a-f-]{36}$/) }),
    ]);
    rows = await rawEntries(env);
    expect(rows[0]!.state).toBe('done');
  });

  it('queues a report on a knowledge article with the platform down, and sends it once it is back, never held by an order', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const [o] = await submitted(env, 1);
    await reportArticle({ articleId: 'kb-101', articleVersion: 3, problem: 'outdated', comment: '  2026年起标准已调整  ' });
    await reportArticle({ articleId: 'kb-102', articleVersion: 1, problem: 'unclear', comment: '   ' });
    expect((await rawEntries(env)).map((r) => [r.kind, r.state])).toEqual([
      ['order.create', 'pending'],
      ['knowledge.feedback', 'pending'],
      ['knowledge.feedback', 'pending'],
    ]);
    // The platform refuses the order: the reports still go (they belong to no order).
    env.platform.refuse.set(o!, { status: 400, code: 'invalid_request', message: 'bad' });
    env.platform.mode = 'up';
    syncNow();
    await until(async () => (await rawEntries(env)).every((e) => e.state !== 'pending'));
    const rows = await rawEntries(env);
    expect(rows.map((r) => [r.kind, r.state])).toEqual([
      ['order.create', 'failed'],
      ['knowledge.feedback', 'done'],
      ['knowledge.feedback', 'done'],
    ]);
    expect(env.platform.reports).toEqual([
      expect.objectContaining({ idempotencyKey: rows[1]!.mutationId, clientSeq: rows[1]!.clientSeq, articleId: 'kb-101', articleVersion: 3, problem: 'outdated', comment: '2026年起标准已调整' }),
      expect.not.objectContaining({ comment: expect.anything() }),
    ]);
    expect(env.platform.reports[1]).toMatchObject({ articleId: 'kb-102', problem: 'unclear' });
  });

  it('skips (moves aside) an outbox row whose payload does not open, and sends the rest', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const [a, b] = await submitted(env, 2);
    const raw = env.raw();
    const first = (await raw.outbox.orderBy('clientSeq').first())!;
    await raw.outbox.put({ ...first, payload: { iv: new Uint8Array(12), data: new ArrayBuffer(8) } });
    raw.close();
    env.platform.mode = 'up';
    syncNow();
    await until(async () => (await rawEntries(env)).length === 1 && (await rawEntries(env))[0]!.state === 'done');
    expect(env.platform.pushes.flat().map((m) => m.clientOrderId)).toEqual([b]);
    const check = env.raw();
    expect((await check.quarantine.toArray()).map((q) => q.table)).toEqual(['outbox']);
    expect((await check.orders.get(a!))?.sync).toBe('pending');
    check.close();
  });
});

describe('one sender per app', () => {
  it('sends only from the page holding the Web Lock; the next page takes over when it is released', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    await submitted(env, 1);
    await stopOrders(); // the store's own sender is gone; two "pages" compete below
    const { openOrdersDb } = await import('../../renderer/src/orders/local/local-db');
    const { IDBKeyRange } = await import('fake-indexeddb');
    const { createLocalCipher } = await import('../../renderer/src/local-data/sealed');
    const { KEYS } = await import('./orders-harness');
    // A minimal exclusive lock manager.
    let held = false;
    const waiting: (() => void)[] = [];
    const locks = {
      request: async (_name: string, cb: () => Promise<void>) => {
        while (held) await new Promise<void>((r) => waiting.push(r));
        held = true;
        try {
          await cb();
        } finally {
          held = false;
          waiting.shift()?.();
        }
      },
    };
    Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true });
    try {
      const db = openOrdersDb(env.dbName, { indexedDB: env.factory, IDBKeyRange });
      const cipher = await createLocalCipher(KEYS);
      const sent: string[] = [];
      const transport = (page: string): OutboxTransport => ({
        push: async (ms) => {
          sent.push(page);
          return ms.map((m) => ({ idempotencyKey: m.idempotencyKey, status: 201, order: platformOrder('00000000-0000-4000-8000-000000000009', m.clientOrderId, 'GD9') }));
        },
        followUp: async () => {
          throw new Error('unused');
        },
        recordReveal: async () => undefined,
        reportArticle: async () => undefined,
        recordTransfer: async () => undefined,
        addHandling: async () => undefined,
      });
      const events = { ordersChanged: () => undefined, counts: () => undefined };
      const first = new OutboxSender(db, cipher, events, { ...transport('first'), push: async () => { sent.push('first'); throw new Error('down'); } }, DEFAULT_POLICY);
      const second = new OutboxSender(db, cipher, events, transport('second'), DEFAULT_POLICY);
      first.start();
      second.start();
      await until(() => sent.length >= 1);
      await first.settled();
      expect(sent.every((p) => p === 'first')).toBe(true);
      first.stop();
      await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
      expect(sent.at(-1)).toBe('second');
      second.stop();
      db.close();
    } finally {
      Object.defineProperty(globalThis, 'navigator', { value: undefined, configurable: true });
    }
  });
});

describe('a push refused as a whole', () => {
  it('is split: each creation goes alone, only the culprit fails', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const [a, bad, c] = await submitted(env, 3);
    await stopOrders();
    const { openOrdersDb } = await import('../../renderer/src/orders/local/local-db');
    const { IDBKeyRange } = await import('fake-indexeddb');
    const { createLocalCipher } = await import('../../renderer/src/local-data/sealed');
    const { BridgeError } = await import('../../renderer/src/ipc/bridge');
    const { KEYS } = await import('./orders-harness');
    const db = openOrdersDb(env.dbName, { indexedDB: env.factory, IDBKeyRange });
    const batches: number[] = [];
    const transport: OutboxTransport = {
      push: async (ms) => {
        batches.push(ms.length);
        if (ms.some((m) => m.clientOrderId === bad)) throw new BridgeError({ code: 'rejected', message: 'mutation 2 is invalid' });
        return ms.map((m) => ({ idempotencyKey: m.idempotencyKey, status: 201, order: platformOrder('00000000-0000-4000-8000-000000000008', m.clientOrderId, 'GD8') }));
      },
      followUp: async () => {
        throw new Error('unused');
      },
      recordReveal: async () => undefined,
      reportArticle: async () => undefined,
      recordTransfer: async () => undefined,
      addHandling: async () => undefined,
    };
    const sender = new OutboxSender(db, await createLocalCipher(KEYS), { ordersChanged: () => undefined, counts: () => undefined }, transport, DEFAULT_POLICY);
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done' || e.state === 'failed'));
    await sender.settled();
    const byOrder = new Map((await db.outbox.toArray()).map((e) => [e.clientOrderId, e.state]));
    expect([byOrder.get(a!), byOrder.get(bad!), byOrder.get(c!)]).toEqual(['done', 'failed', 'done']);
    expect(batches).toEqual([3, 1, 1, 1]);
    expect((await db.orders.get(bad!))).toMatchObject({ sync: 'failed', error: 'mutation 2 is invalid' });
    sender.stop();
    db.close();
  });
});

describe('a backlog on its way', () => {
  /** Entries queued while the platform was down, and a sender of its own over `transport` (batches of 2). */
  async function backlogWith(n: number, transport: (db: OrdersDatabase) => OutboxTransport, policy: Partial<SenderPolicy> = {}, content?: (i: number) => string) {
    const env = await setUp();
    env.platform.mode = 'down';
    if (content) for (let i = 0; i < n; i++) await submitted(env, 1, { content: content(i) });
    else await submitted(env, n);
    await stopOrders();
    const { openOrdersDb } = await import('../../renderer/src/orders/local/local-db');
    const { IDBKeyRange } = await import('fake-indexeddb');
    const { createLocalCipher } = await import('../../renderer/src/local-data/sealed');
    const { KEYS } = await import('./orders-harness');
    const db = openOrdersDb(env.dbName, { indexedDB: env.factory, IDBKeyRange });
    const sender = new OutboxSender(db, await createLocalCipher(KEYS), { ordersChanged: () => undefined, counts: () => undefined }, transport(db), { ...DEFAULT_POLICY, batchSize: 2, baseMs: 1, capMs: 5, lossyCapMs: 5, ...policy });
    return { db, sender };
  }
  const accepted = (ms: Parameters<OutboxTransport['push']>[0]) =>
    ms.map((m) => ({ idempotencyKey: m.idempotencyKey, status: 201, order: platformOrder(`00000000-0000-4000-8000-${String(m.clientSeq).padStart(12, '0')}`, m.clientOrderId, `GD${m.clientSeq}`) }));
  /** The sender's first batch of answers is stored only once `until` settles. */
  const holdFirstStorage = (sender: OutboxSender, until: Promise<void>) => {
    const internals = sender as unknown as { applyAll(sent: unknown): Promise<void> };
    const applyAll = internals.applyAll.bind(sender);
    let first = true;
    internals.applyAll = async (sent) => {
      if (first) {
        first = false;
        await until;
      }
      return applyAll(sent);
    };
  };
  const unused = async (): Promise<never> => {
    throw new Error('unused');
  };

  it('sends the next batch while the answers of the one before are being stored, and stores every answer', async () => {
    let secondPush!: () => void;
    const second = new Promise<void>((resolve) => (secondPush = resolve));
    let pushes = 0;
    const { db, sender } = await backlogWith(6, () => ({
      push: async (ms) => {
        if (++pushes === 2) secondPush();
        return accepted(ms);
      },
      followUp: unused,
      recordReveal: async () => undefined,
      reportArticle: async () => undefined,
      recordTransfer: async () => undefined,
      addHandling: async () => undefined,
    }));
    // The first batch's answers are stored only once the second batch has left: a sender that
    // waited for them before sending on would never get there.
    holdFirstStorage(sender, second);
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    expect(pushes).toBe(3);
    const orders = await db.orders.toArray();
    expect(orders.map((o) => `${o.sync} ${o.orderNo}`).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `synced GD${n}`).sort());
    sender.stop();
    db.close();
  });

  it('resends a lost push in its turn without waiting for the answers before it to be stored', async () => {
    let retried!: () => void;
    const retry = new Promise<void>((resolve) => (retried = resolve));
    const pushes: number[][] = [];
    const { db, sender } = await backlogWith(4, () => ({
      push: async (ms) => {
        pushes.push(ms.map((m) => m.clientSeq));
        if (pushes.length === 2) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
        if (pushes.length === 3) retried();
        return accepted(ms);
      },
      followUp: unused,
      recordReveal: async () => undefined,
      reportArticle: async () => undefined,
      recordTransfer: async () => undefined,
      addHandling: async () => undefined,
    }));
    // The first batch's answers are stored only once the lost second push has gone again: a
    // sender that waited for them before its retry would never get there.
    holdFirstStorage(sender, retry);
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    expect(pushes).toEqual([[1, 2], [3, 4], [3, 4]]);
    // The lost push counts as an attempt of its entries.
    expect((await db.outbox.orderBy('clientSeq').toArray()).slice(2).map((e) => e.attempts)).toEqual([2, 2]);
    sender.stop();
    db.close();
  });

  it('keeps the entries of answers it could not store pending, and sends them again with the same keys', async () => {
    const keys: string[][] = [];
    let failOnce = true;
    const { db, sender } = await backlogWith(4, (database) => {
      // The first batch's answers cannot be written (a full disk, a closing database).
      const bulkUpdate = database.orders.bulkUpdate.bind(database.orders);
      database.orders.bulkUpdate = ((...args: Parameters<typeof bulkUpdate>) => {
        if (!failOnce) return bulkUpdate(...args);
        failOnce = false;
        return Promise.reject(new Error('QuotaExceededError'));
      }) as typeof bulkUpdate;
      return {
        push: async (ms) => {
          keys.push(ms.map((m) => m.idempotencyKey));
          return accepted(ms);
        },
        followUp: unused,
        recordReveal: async () => undefined,
        reportArticle: async () => undefined,
        recordTransfer: async () => undefined,
        addHandling: async () => undefined,
      };
    });
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    const [first] = keys;
    // The batch whose answers were lost went again, under its own keys (the platform replays them).
    expect(keys.filter((k) => k.join() === first!.join())).toHaveLength(2);
    expect(new Set(keys.flat()).size).toBe(4);
    expect((await db.orders.toArray()).every((o) => o.sync === 'synced')).toBe(true);
    sender.stop();
    db.close();
  });

  const pushing = (log: number[][], refuse: (ms: Parameters<OutboxTransport['push']>[0]) => boolean = () => false): OutboxTransport => ({
    push: async (ms) => {
      log.push(ms.map((m) => m.clientSeq));
      if (refuse(ms)) throw new BridgeError({ code: 'too_large', message: 'The platform refused the request as too large' });
      return accepted(ms);
    },
    followUp: unused,
    recordReveal: async () => undefined,
    reportArticle: async () => undefined,
    recordTransfer: async () => undefined,
    addHandling: async () => undefined,
  });

  it('packs a push within the count and within the size: long complaints go in smaller pushes', async () => {
    const log: number[][] = [];
    // Orders 3 and 4 are long (1,000 characters, about 3.4 KB sealed; the others about 0.4 KB); a
    // push holds up to 3 orders and 4 KB.
    const { db, sender } = await backlogWith(9, () => pushing(log), { batchSize: 3, batchBytes: 4_000 }, (i) => (i === 2 || i === 3 ? '长'.repeat(1_000) : `短内容${i}`));
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    expect(log).toEqual([[1, 2], [3], [4, 5], [6, 7, 8], [9]]);
    sender.stop();
    db.close();
  });

  it('a push the platform refuses as too large goes again in halves, in order; later pushes stay under half that size', async () => {
    const log: number[][] = [];
    // A platform that takes at most 2 (of these equal-sized orders) in one body.
    const { db, sender } = await backlogWith(8, () => pushing(log, (ms) => ms.length > 2), { batchSize: 8 });
    const queued = await db.outbox.toArray();
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    expect(log).toEqual([[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], [1, 2], [3, 4], [5, 6, 7, 8], [5, 6], [7, 8]]);
    expect((await db.orders.toArray()).every((o) => o.sync === 'synced')).toBe(true);
    // The same entries owed again (as the answers had been lost): sent at the size learned, 2 a
    // push, none refused.
    log.length = 0;
    await db.outbox.bulkPut(queued);
    await sender.resume();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));
    await sender.settled();
    expect(log).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    sender.stop();
    db.close();
  });

  it('one entry too large for the platform is refused (needs attention, with why); the others go', async () => {
    const log: number[][] = [];
    const { db, sender } = await backlogWith(3, () => pushing(log, (ms) => ms.some((m) => m.clientSeq === 2)), { batchSize: 1 });
    sender.start();
    await until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done' || e.state === 'failed'));
    await sender.settled();
    const rows = await db.outbox.orderBy('clientSeq').toArray();
    expect(rows.map((r) => r.state)).toEqual(['done', 'failed', 'done']);
    expect(rows[1]!.lastError).toMatchObject({ code: 'too_large' });
    expect(log).toEqual([[1], [2], [3]]);
    sender.stop();
    db.close();
  });
});
