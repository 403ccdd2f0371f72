/**
 * The outbox sender against a model of the platform's idempotency rules (platform/src/idempotency.ts):
 * a claimed key is replayed, a new key numbered at or below the client's last number is refused as
 * replayed (and not used). Entries that waited while later ones went — a retry in backoff, another
 * order's turn — are numbered again and arrive exactly once, each order's entries in their order.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalCipher, type LocalCipher } from '../../renderer/src/local-data/sealed';
import { openOrdersDb, type OrdersDatabase } from '../../renderer/src/orders/local/local-db';
import { queueEntry } from '../../renderer/src/orders/outbox/outbox-queue';
import { OutboxSender, type OutboxTransport, type PushMutation, type SenderPolicy } from '../../renderer/src/orders/outbox/outbox-sender';
import { BridgeError } from '../../renderer/src/ipc/bridge';
import { emptyOrderForm, toOrderInput } from '../../shared/orders/order-form';
import type { Order, PushResult } from '../../shared/orders/routes';
import type { OrderInput } from '../../shared/orders/work-order';
import { KEYS, installWorkstation, platformOrder, until, validForm } from './orders-harness';

/** The platform's rules for one client: keys, last sequence number, what was applied in which order. */
class ModelPlatform implements OutboxTransport {
  lastSeq = 0;
  readonly keys = new Map<string, { seq: number; order: Order }>();
  /** Applied mutations, in the order the platform applied them. */
  readonly applied: { key: string; seq: number; clientOrderId: string; kind: string }[] = [];
  /** Keys whose next request is lost before it reaches the platform. */
  readonly lose = new Set<string>();
  /** Keys the platform answers once with a per-item 503 (try later) inside an answered push. */
  readonly busy = new Set<string>();
  replayedRefusals = 0;

  private claim(key: string, seq: number, clientOrderId: string, kind: string): PushResult {
    const known = this.keys.get(key);
    if (known) return { idempotencyKey: key, status: 201, order: known.order };
    if (seq <= this.lastSeq) {
      this.replayedRefusals += 1;
      return { idempotencyKey: key, status: 409, error: { code: 'sequence_replayed', message: `Sequence number ${seq} was already used` } };
    }
    this.lastSeq = seq;
    const n = this.keys.size + 1;
    const order = platformOrder(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, clientOrderId, `GD2026${String(n).padStart(6, '0')}`);
    this.keys.set(key, { seq, order });
    this.applied.push({ key, seq, clientOrderId, kind });
    return { idempotencyKey: key, status: 201, order };
  }

  async push(mutations: PushMutation[]): Promise<PushResult[]> {
    if (mutations.some((m) => this.lose.delete(m.idempotencyKey))) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    return mutations.map((m) =>
      this.busy.delete(m.idempotencyKey)
        ? { idempotencyKey: m.idempotencyKey, status: 503, error: { code: 'unavailable', message: 'try later' } }
        : this.claim(m.idempotencyKey, m.clientSeq, m.clientOrderId, 'order.create'),
    );
  }

  async followUp(req: { idempotencyKey: string; clientSeq: number; orderId: string }): Promise<Order> {
    if (this.lose.delete(req.idempotencyKey)) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    const r = this.claim(req.idempotencyKey, req.clientSeq, req.orderId, 'order.followUp');
    if ('error' in r) throw new BridgeError({ code: 'out_of_sequence', message: r.error.message });
    return r.order;
  }

  async recordReveal(req: { idempotencyKey: string; clientSeq: number }): Promise<void> {
    if (this.lose.delete(req.idempotencyKey)) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    const r = this.claim(req.idempotencyKey, req.clientSeq, 'reveal', 'caller.reveal');
    if ('error' in r) throw new BridgeError({ code: 'out_of_sequence', message: r.error.message });
  }

  async reportArticle(req: { idempotencyKey: string; clientSeq: number }): Promise<void> {
    if (this.lose.delete(req.idempotencyKey)) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    const r = this.claim(req.idempotencyKey, req.clientSeq, 'report', 'knowledge.feedback');
    if ('error' in r) throw new BridgeError({ code: 'out_of_sequence', message: r.error.message });
  }

  async recordTransfer(req: { idempotencyKey: string; clientSeq: number; ticketId: string }): Promise<void> {
    if (this.lose.delete(req.idempotencyKey)) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    const r = this.claim(req.idempotencyKey, req.clientSeq, req.ticketId, 'ticket.transfer');
    if ('error' in r) throw new BridgeError({ code: 'out_of_sequence', message: r.error.message });
  }

  async addHandling(req: { idempotencyKey: string; clientSeq: number; ticketId: string }): Promise<void> {
    if (this.lose.delete(req.idempotencyKey)) throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
    const r = this.claim(req.idempotencyKey, req.clientSeq, req.ticketId, 'ticket.handling');
    if ('error' in r) throw new BridgeError({ code: 'out_of_sequence', message: r.error.message });
  }
}

const ORDER: OrderInput = (() => {
  const built = toOrderInput({ ...emptyOrderForm(), ...validForm() });
  if (!built.ok) throw new Error('fixture form is not valid');
  return built.input;
})();
const ORDER_ID = '6f1c8a52-8a55-4f0e-9c1e-2d3b4a5c6d7e';

/** A backoff long enough that a retried entry is still waiting when later entries go (none sent again in the same pass). */
const SLOW_RETRY: SenderPolicy = { batchSize: 50, batchBytes: 1 << 20, baseMs: 60_000, capMs: 60_000, lossyCapMs: 60_000, answeredWithinMs: 30_000, retriesInPass: 0, random: () => 1 };

/**
 * The lost entry's own backoff long, the queue's pause after it short (the draws alternate: the
 * queue's pause is drawn as the answer comes, then the entry's delay as it is stored): later
 * entries go while it waits.
 */
function entryWaitsQueueGoes(): SenderPolicy {
  let n = 0;
  return { ...SLOW_RETRY, random: () => (n++ % 2 === 0 ? 0 : 1) };
}

let db: OrdersDatabase | undefined;
let sender: OutboxSender | undefined;
afterEach(() => {
  sender?.stop();
  db?.close();
  sender = db = undefined;
});

async function setUp(): Promise<{ db: OrdersDatabase; cipher: LocalCipher; platform: ModelPlatform }> {
  installWorkstation(); // the renderer's log goes to main through it
  db = openOrdersDb(`seq-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const cipher = await createLocalCipher(KEYS);
  return { db, cipher, platform: new ModelPlatform() };
}

const create = (db: OrdersDatabase, cipher: LocalCipher, clientOrderId = crypto.randomUUID()) => queueEntry(db, cipher, clientOrderId, { kind: 'order.create', order: ORDER }, 'agent01');
const followUp = (db: OrdersDatabase, cipher: LocalCipher, clientOrderId: string, orderId = ORDER_ID) =>
  queueEntry(db, cipher, clientOrderId, { kind: 'order.followUp', orderId, followUp: { content: '再次来电催办' } }, 'agent01');

/** Counts the reads of the queue by state (the backlog read whole). */
function countQueueReads(db: OrdersDatabase): { n: number } {
  const reads = { n: 0 };
  const where = db.outbox.where.bind(db.outbox);
  db.outbox.where = ((index: string) => {
    if (index === 'state') reads.n += 1;
    return where(index);
  }) as typeof db.outbox.where;
  return reads;
}

const allDone = (db: OrdersDatabase) => until(async () => (await db.outbox.toArray()).every((e) => e.state === 'done'));

describe('sequence numbers the platform already passed', () => {
  it('an entry the platform asked to try later waits in its own backoff while a later one goes; sent again it is numbered anew and arrives once', async () => {
    const { db, cipher, platform } = await setUp();
    const a = await create(db, cipher);
    platform.busy.add(a.mutationId);
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, entryWaitsQueueGoes(), 'agent01');
    sender.start();
    await until(async () => (await db.outbox.get(a.mutationId))?.attempts === 1);
    expect((await db.outbox.get(a.mutationId))?.state).toBe('pending');

    // A later entry goes while the lost one waits out its backoff: the platform's last number passes it.
    const b = await create(db, cipher);
    sender.poke();
    await until(async () => (await db.outbox.get(b.mutationId))?.state === 'done');
    expect(platform.lastSeq).toBe(b.clientSeq);
    expect(a.clientSeq).toBeLessThan(b.clientSeq);

    await sender.resume();
    await allDone(db);
    expect(platform.replayedRefusals).toBe(1);
    expect(platform.applied.map((x) => x.key)).toEqual([b.mutationId, a.mutationId]);
    const renumbered = await db.outbox.get(a.mutationId);
    expect(renumbered?.clientSeq).toBeGreaterThan(b.clientSeq);
    expect(platform.keys.get(a.mutationId)?.seq).toBe(renumbered?.clientSeq);
  });

  it('numbers a whole push refused as replayed again at once: one read of the queue, their order kept, each arrives once', async () => {
    const { db, cipher, platform } = await setUp();
    const queued: Awaited<ReturnType<typeof create>>[] = [];
    for (let i = 0; i < 6; i++) queued.push(await create(db, cipher));
    // The platform has a later number from this client already (another agent's turn on the seat).
    platform.lastSeq = queued.at(-1)!.clientSeq;
    const reads = countQueueReads(db);
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, { ...SLOW_RETRY, retriesInPass: 5 }, 'agent01');
    sender.start();
    await allDone(db);
    await sender.settled();
    const keys = queued.map((q) => q.mutationId);
    expect(platform.replayedRefusals).toBe(6);
    expect(platform.applied.map((x) => x.key)).toEqual(keys);
    const seqs = (await db.outbox.bulkGet(keys)).map((r) => r!.clientSeq);
    expect(seqs).toEqual(Array.from({ length: 6 }, (_, i) => queued.at(-1)!.clientSeq + 1 + i));
    // The queue is read 7 times in all, the renumbering once for all six (once per entry: 12).
    expect(reads.n).toBe(7);
  });

  it('numbers the later entries of the same order again with it, so the order’s entries keep their order', async () => {
    const { db, cipher, platform } = await setUp();
    // Two follow-ups of one platform order (each queued from its own draft), and another order.
    const first = await followUp(db, cipher, crypto.randomUUID());
    const second = await followUp(db, cipher, crypto.randomUUID());
    const other = await create(db, cipher);
    // The platform already has a later number from this client (another agent's turn on the seat, say).
    platform.lastSeq = first.clientSeq;
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, SLOW_RETRY, 'agent01');
    sender.start();
    await allDone(db);
    const applied = platform.applied;
    const firstAt = applied.findIndex((x) => x.key === first.mutationId);
    const secondAt = applied.findIndex((x) => x.key === second.mutationId);
    expect(firstAt).toBeGreaterThanOrEqual(0);
    expect(secondAt).toBeGreaterThan(firstAt);
    expect(applied.map((x) => x.key).sort()).toEqual([first.mutationId, second.mutationId, other.mutationId].sort());
    // Strictly increasing numbers as applied, and each key once.
    expect(applied.map((x) => x.seq)).toEqual([...applied.map((x) => x.seq)].sort((x, y) => x - y));
    expect(new Set(applied.map((x) => x.key)).size).toBe(applied.length);
    // The second was numbered with the first: it was not refused in its turn.
    expect(platform.replayedRefusals).toBe(1);
  });

  it('follow-ups of one platform order (each its own draft) reach it in the order queued, also when the first is lost (the queue waits with it)', async () => {
    const { db, cipher, platform } = await setUp();
    const first = await followUp(db, cipher, crypto.randomUUID());
    const second = await followUp(db, cipher, crypto.randomUUID());
    const elsewhere = await followUp(db, cipher, crypto.randomUUID(), '7a2b3c4d-5e6f-4a1b-9c2d-3e4f5a6b7c8d');
    expect(first.subject).toBe(ORDER_ID);
    platform.lose.add(first.mutationId);
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, { ...SLOW_RETRY, baseMs: 20, capMs: 20, lossyCapMs: 20 }, 'agent01');
    sender.start();
    await allDone(db);
    // The lost request failed as a whole: the queue waited, and the lost one went before the next of its order.
    const applied = platform.applied.map((x) => x.key);
    expect(applied.indexOf(first.mutationId)).toBeLessThan(applied.indexOf(second.mutationId));
    expect([...applied].sort()).toEqual([first.mutationId, second.mutationId, elsewhere.mutationId].sort());
  });

  it('a reveal refused as replayed is numbered again on its own', async () => {
    const { db, cipher, platform } = await setUp();
    const reveal = await queueEntry(db, cipher, crypto.randomUUID(), { kind: 'caller.reveal', phone: '13812345678', purpose: '核实回访号码' }, 'agent01');
    platform.lastSeq = reveal.clientSeq;
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, SLOW_RETRY, 'agent01');
    sender.start();
    await allDone(db);
    expect(platform.replayedRefusals).toBeGreaterThanOrEqual(1);
    expect(platform.applied).toEqual([expect.objectContaining({ key: reveal.mutationId, kind: 'caller.reveal' })]);
  });

  it('refused as replayed twice in a row, an entry waits (backoff) instead of spinning', async () => {
    const { db, cipher, platform } = await setUp();
    const a = await create(db, cipher);
    // The counter is far behind the platform's last number (never the case with one client id per database).
    platform.lastSeq = 1_000_000;
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, platform, SLOW_RETRY, 'agent01');
    sender.start();
    await until(async () => (await db.outbox.get(a.mutationId))?.attempts === 2);
    await sender.settled();
    const row = await db.outbox.get(a.mutationId);
    expect(row).toMatchObject({ state: 'pending', lastError: { code: 'sequence_replayed' } });
    expect(row!.nextAttemptAt).toBeGreaterThan(Date.now() + 30_000);
    expect(platform.replayedRefusals).toBe(2);
  });
});

describe('a platform that is down', () => {
  it('is asked once, not once per entry: after a failed send the whole queue waits; resume() asks again at once', async () => {
    const { db, cipher, platform } = await setUp();
    const queued = [await create(db, cipher), await create(db, cipher), await create(db, cipher)];
    let asked = 0;
    const down: OutboxTransport = {
      push: async () => {
        asked += 1;
        throw new BridgeError({ code: 'unavailable', message: 'down' });
      },
      followUp: () => platform.followUp({ idempotencyKey: '', clientSeq: 0, orderId: '' }),
      recordReveal: async () => undefined,
      reportArticle: async () => undefined,
      recordTransfer: async () => undefined,
      addHandling: async () => undefined,
    };
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, down, { ...SLOW_RETRY, batchSize: 1 }, 'agent01');
    sender.start();
    await until(() => asked === 1);
    await sender.settled();
    sender.poke(); // something new was queued: still paused
    await sender.settled();
    expect(asked).toBe(1);
    const rows = await db.outbox.bulkGet(queued.map((q) => q.mutationId));
    expect(rows.map((r) => r?.attempts)).toEqual([1, 0, 0]);
    await sender.resume();
    await until(() => asked === 2);
    await sender.settled();
    expect(asked).toBe(2);
  });

  it('waits long only when the platform stopped answering: after an answer, a lost request is tried again within the lossy cap', async () => {
    const { db, cipher, platform } = await setUp();
    const policy: SenderPolicy = { batchSize: 1, batchBytes: 1 << 20, baseMs: 10, capMs: 60_000, lossyCapMs: 5, answeredWithinMs: 30_000, retriesInPass: 0, random: () => 1 };
    let losses = 8;
    const tried: number[] = [];
    const lossy: OutboxTransport = {
      push: async (m) => {
        tried.push(Date.now());
        if (losses > 0) {
          losses -= 1;
          throw new BridgeError({ code: 'unavailable', message: 'lost' });
        }
        return platform.push(m);
      },
      followUp: (r) => platform.followUp(r),
      recordReveal: (r) => platform.recordReveal(r),
      reportArticle: (r) => platform.reportArticle(r),
      recordTransfer: (r) => platform.recordTransfer(r),
      addHandling: (r) => platform.addHandling(r),
    };
    // Never answered: the waits double, 10 ms · 2^(n-1) after the n-th failure in a row.
    await create(db, cipher);
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, lossy, policy, 'agent01');
    sender.start();
    await allDone(db);
    const gaps = tried.slice(1).map((t, i) => t - tried[i]!);
    expect(gaps).toHaveLength(8);
    expect(gaps[7]).toBeGreaterThanOrEqual(1_200);

    // Answered (that entry went through): a request lost now is tried again at once (the 5 ms cap
    // plus the timer's slack), not after the doubling.
    tried.length = 0;
    losses = 1;
    await create(db, cipher);
    sender.poke();
    await allDone(db);
    expect(tried).toHaveLength(2);
    expect(tried[1]! - tried[0]!).toBeLessThan(500);
  });

  it('on a lossy path, a push that got no answer goes again in its turn, before later entries: no number is passed, nothing renumbered', async () => {
    const { db, cipher, platform } = await setUp();
    const queued = [];
    for (let i = 0; i < 4; i++) queued.push(await create(db, cipher));
    // Batches of 2; the platform answered lately; the second batch's first two requests are lost.
    const policy: SenderPolicy = { batchSize: 2, batchBytes: 1 << 20, baseMs: 1, capMs: 60_000, lossyCapMs: 5, answeredWithinMs: 30_000, retriesInPass: 5, random: () => 1 };
    const sentKeys: string[][] = [];
    let losses = 2;
    const lossy: OutboxTransport = {
      push: async (m) => {
        sentKeys.push(m.map((x) => x.idempotencyKey));
        if (sentKeys.length >= 2 && losses > 0) {
          losses -= 1;
          throw new BridgeError({ code: 'unavailable', message: 'lost on the way' });
        }
        return platform.push(m);
      },
      followUp: (r) => platform.followUp(r),
      recordReveal: (r) => platform.recordReveal(r),
      reportArticle: (r) => platform.reportArticle(r),
      recordTransfer: (r) => platform.recordTransfer(r),
      addHandling: (r) => platform.addHandling(r),
    };
    const later = await create(db, cipher);
    // How often the backlog is read: not once more per lost request.
    const reads = countQueueReads(db);
    sender = new OutboxSender(db, cipher, { ordersChanged: () => undefined, counts: () => undefined }, lossy, policy, 'agent01');
    sender.start();
    await allDone(db);
    const keys = [...queued, later].map((q) => q.mutationId);
    expect(sentKeys).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(2, 4), keys.slice(2, 4), [keys[4]]]);
    expect(platform.applied.map((x) => x.key)).toEqual(keys);
    expect(platform.replayedRefusals).toBe(0);
    expect((await db.outbox.bulkGet(keys.slice(2, 4))).map((r) => r?.attempts)).toEqual([3, 3]);
    await sender.settled();
    // At the start (interrupted sends, counts), the pass, the pass after it (nothing left), the
    // counts at its end; a pass ended by each lost request would read it twice more per loss.
    expect(reads.n).toBe(5);
  });
});
