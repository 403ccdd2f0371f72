/**
 * The outbox sender: one per app (a Web Lock when the page has them), it carries pending entries to
 * the platform through main.
 *
 * - Entries go in clientSeq order. Consecutive order.create entries go as one push, within a count
 *   and a size (policy.batchSize, policy.batchBytes: a backlog of long complaints is cut by size);
 *   a push the platform refuses as too large goes again in halves, and later pushes stay under
 *   half that size. Follow-ups (并单) and reveals go one by one.
 * - Per order (orderKey: a follow-up's is the platform order it is added to): an entry is sent only
 *   when every earlier entry of that order is done; a failed one blocks that order's later entries only. Reveals are audit records:
 *   they neither wait for nor block an order.
 * - Per result: 2xx → done, the local order gets the platform's id, number and status; 4xx →
 *   failed with the platform's message (kept, visible, never dropped); 408/429/5xx, no answer,
 *   'unavailable', 'signed_out' → pending again with full-jitter exponential backoff (DEFAULT_POLICY):
 *   a request that failed as a whole pauses the whole queue by the failures in a row, its entries
 *   waiting with it in order (a platform that is down is not asked once per entry, and no later
 *   entry passes their numbers); an entry whose own result said "try later" waits by its attempts.
 *   `resume()` (session back online, syncNow) makes every pending entry due at once.
 *   On a lossy path (the platform answered lately) a push that got no answer goes again at once,
 *   in its turn, from memory (policy.retriesInPass), before any later entry.
 *   A sequence number the platform already passed (an entry waited while later ones went) →
 *   numbered again and sent (renumber).
 * - A batch's answers are stored in one transaction, while the next batch is on its way (or a lost
 *   one goes again: what the answers say of the path is taken in as they come, the storing follows).
 * - Sequence numbers: the platform refuses a new key numbered at or below the client's last one,
 *   and the client id is per local database (main/orders/outbox-client.ts), so every number comes
 *   from this database's counter and a renumbered entry is always the newest.
 *
 * SEAM for the next issue (hardening): `OutboxTransport` is the only way out, `classify*` decide
 * what a result means, `SenderPolicy` holds the numbers; the selection (`dueEntries`) is pure.
 */
import { fullJitterDelay } from '../../../../shared/phone/backoff';
import { redactText } from '../../../../shared/base/redact';
import { PUSH_MAX_BODY_BYTES, PUSH_MAX_MUTATIONS, type Order, type PushResult } from '../../../../shared/orders/routes';
import { OPEN_STATUSES, type FollowUpInput, type OrderInput } from '../../../../shared/orders/work-order';
import { changesOrder, orderKey, sequenced, type OutboxEntry } from '../../../../shared/outbox/entry';
import type { HandlingInput, TransferInput } from '../../../../shared/transfers/routes';
import type { ArticleProblem } from '../../../../shared/knowledge/routes';
import { BridgeError, bridge, call } from '../../ipc/bridge';
import type { LocalCipher } from '../../local-data/sealed';
import { notDoneEntries, takeClientSeqs, type OrderRow, type OrdersDatabase, type OutboxRow } from '../local/local-db';
import { openOutboxRow, type OpenedOutbox } from '../local/records';
import { isMine } from '../local/owner';
import { ordersLog } from '../runtime';
import { formFieldsOfIssues, type OrderFormField } from '../../../../shared/orders/order-form';

export interface PushMutation {
  idempotencyKey: string;
  clientSeq: number;
  clientOrderId: string;
  submit: boolean;
  order: OrderInput;
}

/** How entries leave the workstation (main's orders channels). Rejects with a BridgeError. */
export interface OutboxTransport {
  push(mutations: PushMutation[]): Promise<PushResult[]>;
  followUp(req: { idempotencyKey: string; clientSeq: number; orderId: string; followUp: FollowUpInput }): Promise<Order>;
  recordReveal(req: { idempotencyKey: string; clientSeq: number; phone: string; purpose: string; callId?: string }): Promise<void>;
  reportArticle(req: { idempotencyKey: string; clientSeq: number; articleId: string; articleVersion: number; problem: ArticleProblem; comment?: string }): Promise<void>;
  recordTransfer(req: { idempotencyKey: string; clientSeq: number; ticketId: string; transferId: string; transfer: TransferInput }): Promise<void>;
  addHandling(req: { idempotencyKey: string; clientSeq: number; ticketId: string; handlingId: string; handling: HandlingInput }): Promise<void>;
}

/** Main's orders channels, for the entries of local database `source` queued by `owner` (main checks both). */
export function bridgeTransport(source: string, owner: string | undefined): OutboxTransport {
  const who = { source, ...(owner !== undefined ? { owner } : {}) };
  return {
    push: async (mutations) => (await call(bridge().orders.push({ ...who, mutations }))).results,
    followUp: (req) => call(bridge().orders.followUp({ ...who, ...req })),
    recordReveal: async (req) => {
      await call(bridge().orders.recordReveal({ ...who, ...req }));
    },
    reportArticle: async (req) => {
      await call(bridge().orders.reportArticle({ ...who, ...req }));
    },
    recordTransfer: async (req) => {
      await call(bridge().transfers.recordTransfer({ ...who, ...req }));
    },
    addHandling: async (req) => {
      await call(bridge().transfers.addHandling({ ...who, ...req }));
    },
  };
}

export interface SenderPolicy {
  /** Creations per push at most. */
  batchSize: number;
  /** Bytes of sealed payloads per push at most (about the body's size: the sealed JSON plus 16). */
  batchBytes: number;
  baseMs: number;
  capMs: number;
  /** The cap while the platform answered within `answeredWithinMs`: failures then are losses on the way. */
  lossyCapMs: number;
  answeredWithinMs: number;
  /** On a lossy path, how many times a push that got no answer goes again at once, in its turn. */
  retriesInPass: number;
  random: () => number;
}

/**
 * Pushes of up to 500 creations (the platform's and the channel's limit) and 1 MiB (half the
 * platform's body limit: room for the keys and the JSON around them). A push lost on a lossy path
 * goes again in its turn, up to 50 times — in practice for as long as the path stays lossy (the
 * platform answered within 10 s): a pass that moved on would let later pushes pass its sequence
 * numbers, and its entries would all have to be numbered again and sent once more. Full jitter
 * from 100 ms, doubling per failure in a row. The cap tells a lossy path from a platform that is
 * down: while the platform answered a send within the last 10 s, a failure is a request or an
 * answer lost on the way and the wait stays
 * under 100 ms (a doubling without that cap would stall a queue on a path that loses half its
 * requests: the expected wait grows without bound once failures outnumber successes); once it stops
 * answering, the wait grows to a minute (and ends at once when the session comes back).
 */
export const DEFAULT_POLICY: SenderPolicy = { batchSize: PUSH_MAX_MUTATIONS, batchBytes: PUSH_MAX_BODY_BYTES / 2, baseMs: 100, capMs: 60_000, lossyCapMs: 100, answeredWithinMs: 10_000, retriesInPass: 50, random: Math.random };

export interface SenderEvents {
  /** Local orders whose sync state, number or status changed (once per batch). */
  ordersChanged(clientOrderIds: readonly string[]): void;
  counts(c: { pending: number; failed: number; others: number; oldestPendingAt?: number; lastSyncAt?: number; lastError?: string }): void;
  /** Entries the platform took (done), once stored as such. */
  delivered?(mutationIds: readonly string[]): void;
}

/** What one answer means for its entry. */
export type Verdict =
  | { kind: 'done'; order?: Order }
  | { kind: 'failed'; code: string; message: string; status?: number; fields?: OrderFormField[] }
  /**
   * Try later. `whole`: the request as a whole got no answer or a try-later (lost, platform down,
   * 5xx): the whole queue waits, in order; otherwise one entry's own result said so: it waits alone.
   */
  | { kind: 'retry'; code: string; status?: number; whole?: true }
  /** The platform has a later sequence number from this client and did not use the key: number it again. */
  | { kind: 'renumber' };

/** A per-entry result of a push. */
export function classifyPushResult(r: PushResult): Verdict {
  if ('order' in r && r.status >= 200 && r.status < 300) return { kind: 'done', order: r.order };
  const error = 'error' in r ? r.error : { code: 'unknown', message: 'no order in the result' };
  if (error.code === 'sequence_replayed') return { kind: 'renumber' };
  if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
    return { kind: 'failed', code: error.code, message: error.message, status: r.status, fields: formFieldsOfIssues('issues' in error ? error.issues : undefined) };
  }
  return { kind: 'retry', code: error.code, status: r.status };
}

/** Error codes of a whole request that mean "the platform refused this mutation" (not "try later"). */
const REFUSED = new Set(['rejected', 'invalid', 'not_found', 'conflict', 'invalid_payload']);

export function classifyError(error: unknown): Verdict {
  if (error instanceof BridgeError && error.code === 'out_of_sequence') return { kind: 'renumber' };
  // Too large for this platform: a push is halved (sendCreates); one entry alone can only be refused.
  if (error instanceof BridgeError && error.code === 'too_large') return { kind: 'failed', code: 'too_large', message: error.message };
  if (error instanceof BridgeError && REFUSED.has(error.code)) return { kind: 'failed', code: error.code, message: error.message, fields: formFieldsOfIssues(error.issues) };
  return { kind: 'retry', code: error instanceof BridgeError ? error.code : 'unreachable', whole: true };
}

/**
 * The entries to send now, in clientSeq order: due pending entries not blocked by an earlier
 * unfinished entry of the same order.
 */
export function dueEntries(notDone: readonly OutboxEntry[], now: number): OutboxEntry[] {
  const started = new Set<string>();
  const out: OutboxEntry[] = [];
  for (const e of [...notDone].sort((a, b) => a.clientSeq - b.clientSeq)) {
    if (e.state === 'done') continue;
    if (sequenced(e)) {
      if (started.has(orderKey(e))) continue;
      started.add(orderKey(e));
    }
    if (e.state === 'pending' && e.nextAttemptAt <= now) out.push(e);
  }
  return out;
}

/** A sealed payload's bytes: about its part of a push (the JSON, encrypted, plus a 16-byte tag). */
const sealedBytes = (row: OutboxRow): number => row.payload?.data?.byteLength ?? 0;

/** An entry sent again from memory counts the attempt its answer stored. */
const triedOnce = (o: OpenedOutbox): OpenedOutbox => ({ ...o, entry: { ...o.entry, attempts: o.entry.attempts + 1 } });

/** Clear message of a failure as stored locally (the platform's words, redacted of numbers). */
const stored = (message: string) => redactText(message).slice(0, 500);

/** How often the counts are told while a long backlog drains (the status bar's figure moves). */
const COUNTS_EVERY_MS = 1_000;

interface Sent {
  readonly o: OpenedOutbox;
  readonly v: Verdict;
}

/**
 * The answers of a pass, stored one batch after another (each batch one transaction) while the
 * sender goes on. A batch that cannot be stored stays pending in the database (sent again with its
 * keys: the platform answers with what it did); the first such error ends the pass.
 */
class AnswerStore {
  private tail: Promise<void> = Promise.resolve();
  private error: unknown;

  constructor(
    private readonly apply: (sent: readonly Sent[]) => Promise<void>,
    /** What the answers say of the path (answered, failures in a row), taken in at once: a retry's pause does not wait for the storing. */
    private readonly heard: (sent: readonly Sent[]) => void,
  ) {}

  /** Throws the first storage error, if any so far (the pass ends rather than sending on). */
  check(): void {
    if (this.error !== undefined) throw this.error;
  }

  add(sent: readonly Sent[]): void {
    this.heard(sent);
    this.tail = this.tail.then(() =>
      this.apply(sent).catch((error: unknown) => {
        this.error ??= error;
      }),
    );
  }

  /** Every answer added so far is stored; rejects with the first storage error. */
  async settled(): Promise<void> {
    await this.tail;
    if (this.error !== undefined) throw this.error;
  }
}

export class OutboxSender {
  private leader = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private release: (() => void) | undefined;
  private lastSyncAt: number | undefined;
  private lastError: string | undefined;
  private countsAt = 0;
  /** Sends that found the platform unreachable in a row, and the whole queue's pause after them. */
  private failures = 0;
  private pausedUntil = 0;
  /** The next pass takes every pending entry, whatever its backoff (start, resume). */
  private allDue = false;
  /** The entries owed as of this pass, kept up to date with the answers (counts while a backlog drains). */
  private live: Map<string, OutboxEntry> | undefined;
  /** When the platform last answered a send (done, refused or renumbered: it was reached). */
  private answeredAt = -Infinity;
  /** Ends the pass's pause early (resume, stop); set while the pass waits. */
  private wake: (() => void) | undefined;
  /** settled() callers waiting for the run to end or to pause. */
  private readonly paused = new Set<() => void>();
  /** Push size in bytes: the policy's, or half of one the platform refused as too large. */
  private batchBytes: number;
  /** Sealed payload bytes of the entries of this pass (the size of their part of a push). */
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly db: OrdersDatabase,
    private readonly cipher: LocalCipher,
    private readonly events: SenderEvents,
    private readonly transport: OutboxTransport,
    private readonly policy: SenderPolicy = DEFAULT_POLICY,
    /** The signed-in agent: only their entries (and ones without an owner) are sent (local/owner.ts). */
    private readonly owner?: string,
  ) {
    this.batchBytes = policy.batchBytes;
  }

  private mine = (row: OutboxEntry) => isMine(row, this.owner);

  /** Become the app's sender (waiting for the lock if another page holds it), then send. */
  start(): void {
    const locks = typeof navigator !== 'undefined' ? (navigator as Partial<Navigator>).locks : undefined;
    if (locks?.request) {
      locks
        .request('orders-outbox', async () => {
          if (this.stopped) return;
          await this.lead();
          await new Promise<void>((resolve) => (this.release = resolve));
        })
        .catch(() => ordersLog.warn('outbox lock failed'));
    } else {
      void this.lead();
    }
  }

  private async lead(): Promise<void> {
    this.leader = true;
    try {
      // Sends interrupted by a crash or reload go again (the idempotency key makes that harmless).
      await this.db.outbox.where('state').equals('sending').modify({ state: 'pending' });
    } catch {
      ordersLog.warn('outbox not readable');
    }
    // A new page tries everything at once rather than waiting out an old backoff.
    this.allDue = true;
    await this.publishCounts();
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    this.leader = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wake?.();
    this.release?.();
  }

  /** Something was queued: send soon. */
  poke(): void {
    if (!this.leader || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** The platform is reachable again (or the agent asked): every pending entry is due now. */
  async resume(): Promise<void> {
    if (!this.leader || this.stopped) return;
    this.failures = 0;
    this.pausedUntil = 0;
    // In memory, not written to every entry: the next pass takes every pending entry.
    this.allDue = true;
    this.wake?.();
    this.poke();
  }

  /** Wait until `until` (the queue's pause), or less when resumed or stopped. */
  private async sleepUntil(until: number): Promise<void> {
    if (this.stopped || until <= Date.now()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, until - Date.now());
      this.wake = done;
      for (const waiter of this.paused) waiter();
      this.paused.clear();
    });
  }

  /**
   * Resolves when nothing is being sent or stored: no run, or a run waiting out the queue's pause
   * (tests and shutdown; stop() ends a pause at once).
   */
  async settled(): Promise<void> {
    while (this.running && !this.wake) {
      await new Promise<void>((resolve) => {
        this.paused.add(resolve);
        void this.running?.finally(resolve);
      });
    }
  }

  private async loop(): Promise<void> {
    // A poke while the counts are read at the end (an entry queued just then, perhaps not in that
    // read) goes round again: it is never left for a timer that may not come.
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (error) {
        ordersLog.error('outbox run failed', { reason: error instanceof Error ? error.name : 'unknown' });
      }
      if (this.again) continue;
      this.live = undefined;
      const notDone = await this.notDone().catch(() => undefined);
      if (notDone) {
        this.tell(notDone);
        this.scheduleNext(notDone);
      }
    } while (this.again && !this.stopped);
  }

  /** Every entry not done yet, this agent's and the others' (rows, payload still sealed). */
  private notDone(): Promise<OutboxRow[]> {
    return notDoneEntries(this.db);
  }

  /** Send what is due until nothing is, or the platform is down. */
  private async runOnce(): Promise<void> {
    for (;;) {
      // After a failed send the whole queue waits (the platform is down for every entry, not one).
      if (this.stopped || Date.now() < this.pausedUntil) return;
      const rows = new Map<string, OutboxRow>();
      const entries: OutboxEntry[] = [];
      this.sizes.clear();
      // What is owed, in memory for this pass: the counts follow the answers without re-reading it.
      this.live = new Map();
      for (const row of await this.notDone()) {
        const { payload: _p, ...e } = row;
        this.live.set(row.mutationId, e as OutboxEntry);
        if (!this.mine(row)) continue;
        entries.push(e as OutboxEntry);
        rows.set(row.mutationId, row);
        this.sizes.set(row.mutationId, sealedBytes(row));
      }
      const due = dueEntries(entries, this.allDue ? Infinity : Date.now());
      this.allDue = false;
      if (due.length === 0) return;
      // Consecutive creations go as one push (within the count and the size); anything else on its own.
      const groups: OutboxEntry[][] = [];
      for (let i = 0; i < due.length; ) {
        let j = i;
        for (let bytes = 0; j < due.length && j - i < this.policy.batchSize && due[j]!.kind === 'order.create'; j++) {
          bytes += this.sizes.get(due[j]!.mutationId) ?? 0;
          if (bytes > this.batchBytes && j > i) break;
        }
        groups.push(due.slice(i, Math.max(j, i + 1)));
        i += groups.at(-1)!.length;
      }
      // A group's payloads are opened together (WebCrypto works them in parallel) while the group
      // before it is on its way, and their rows let go: a long backlog is not held twice.
      const open = (group: readonly OutboxEntry[]) =>
        Promise.all(
          group.map((e) => {
            const row = rows.get(e.mutationId) as OutboxRow;
            rows.delete(e.mutationId);
            return openOutboxRow(this.db, this.cipher, row);
          }),
        ).then((o) => o.filter((x): x is OpenedOutbox => x !== undefined));
      let next = groups.length > 0 ? open(groups[0]!) : undefined;
      // A group's answers are stored while the next group is on its way (they are other orders'
      // entries: an order's later entries wait for the next pass). One storage at a time, in order.
      const store = new AnswerStore(
        (sent) => this.applyAll(sent),
        (sent) => this.hear(sent),
      );
      try {
        for (let g = 0; g < groups.length && next && !this.stopped; g++) {
          store.check();
          // Resumed meanwhile (sync now, the session back): every entry is due — this pass's groups
          // left some out; the pass starts again rather than send later entries before them.
          if (this.allDue) return;
          const opened = await next;
          next = g + 1 < groups.length ? open(groups[g + 1]!) : undefined;
          if (opened.length === 0) continue;
          // On a path that loses requests (the platform answered lately), what got no answer goes
          // again first, after the queue's short pause, from memory: in its turn (no sequence
          // number passed by later entries) and without reading the backlog again. A few times;
          // then, or when the platform stopped answering, the pass ends and it waits its backoff.
          for (let batch = opened, tries = 0; batch.length > 0; tries++) {
            batch = batch[0]!.payload.kind === 'order.create' ? await this.sendCreates(batch, store) : await this.sendOne(batch[0]!, store);
            if (batch.length === 0) break;
            store.check();
            if (tries >= this.policy.retriesInPass || !this.lossy()) return;
            await this.sleepUntil(this.pausedUntil);
            if (this.stopped || this.allDue) return;
          }
        }
      } finally {
        await next?.catch(() => undefined); // its rows may have been moved aside; nothing else to do with them
        await store.settled();
      }
    }
  }

  /** Push creations, their answers to `store`; returns the ones to send again (no answer, or try later). */
  private async sendCreates(batch: readonly OpenedOutbox[], store: AnswerStore): Promise<OpenedOutbox[]> {
    // Not marked 'sending' in the database: an entry whose answer never came back is pending, and a
    // crash leaves it so — sent again with its key, which is all a mark would have said.
    let results: PushResult[];
    try {
      results = await this.transport.push(
        batch.map(({ entry, payload }) => ({
          idempotencyKey: entry.mutationId,
          clientSeq: entry.clientSeq,
          clientOrderId: entry.clientOrderId,
          submit: true,
          order: (payload as Extract<typeof payload, { kind: 'order.create' }>).order,
        })),
      );
    } catch (error) {
      const v = classifyError(error);
      if (v.kind === 'failed' && v.code === 'too_large' && batch.length > 1) {
        // The platform takes less than we thought (its limit is its own): halves, in turn, and the
        // pushes after these at most half this size.
        this.batchBytes = Math.max(1, Math.min(this.batchBytes, Math.floor(this.bytesOf(batch) / 2)));
        const half = Math.ceil(batch.length / 2);
        const again = await this.sendCreates(batch.slice(0, half), store);
        return again.length > 0 ? [...again, ...batch.slice(half)] : this.sendCreates(batch.slice(half), store);
      }
      if (v.kind === 'failed' && batch.length > 1) {
        // The whole push was refused: find the culprit by sending one at a time. One that gets no
        // answer stops the search: it and the ones not tried yet go again (the platform is not asked
        // once per entry while it does not answer).
        for (const [i, one] of batch.entries()) {
          const again = await this.sendCreates([one], store);
          if (again.length > 0) return [...again, ...batch.slice(i + 1)];
        }
        return [];
      }
      store.add(batch.map((o) => ({ o, v })));
      return v.kind === 'retry' ? batch.map(triedOnce) : [];
    }
    const byKey = new Map(results.map((r) => [r.idempotencyKey, r]));
    const sent = batch.map((o): Sent => {
      const r = byKey.get(o.entry.mutationId);
      return { o, v: r ? classifyPushResult(r) : { kind: 'retry', code: 'no_result' } };
    });
    store.add(sent);
    return sent.filter((x) => x.v.kind === 'retry').map((x) => triedOnce(x.o));
  }

  private bytesOf(batch: readonly OpenedOutbox[]): number {
    return batch.reduce((n, o) => n + (this.sizes.get(o.entry.mutationId) ?? 0), 0);
  }

  /** A follow-up or a reveal, its answer to `store`; returns it when it is to be sent again. */
  private async sendOne(o: OpenedOutbox, store: AnswerStore): Promise<OpenedOutbox[]> {
    const { entry, payload } = o;
    let verdict: Verdict;
    try {
      if (payload.kind === 'order.followUp') {
        const order = await this.transport.followUp({ idempotencyKey: entry.mutationId, clientSeq: entry.clientSeq, orderId: payload.orderId, followUp: payload.followUp });
        verdict = { kind: 'done', order };
      } else if (payload.kind === 'caller.reveal') {
        await this.transport.recordReveal({
          idempotencyKey: entry.mutationId,
          clientSeq: entry.clientSeq,
          phone: payload.phone,
          purpose: payload.purpose,
          ...(payload.callId !== undefined ? { callId: payload.callId } : {}),
        });
        verdict = { kind: 'done' };
      } else if (payload.kind === 'knowledge.feedback') {
        await this.transport.reportArticle({
          idempotencyKey: entry.mutationId,
          clientSeq: entry.clientSeq,
          articleId: payload.articleId,
          articleVersion: payload.articleVersion,
          problem: payload.problem,
          ...(payload.comment !== undefined ? { comment: payload.comment } : {}),
        });
        verdict = { kind: 'done' };
      } else if (payload.kind === 'ticket.transfer') {
        await this.transport.recordTransfer({ idempotencyKey: entry.mutationId, clientSeq: entry.clientSeq, ticketId: payload.ticketId, transferId: payload.transferId, transfer: payload.transfer });
        verdict = { kind: 'done' };
      } else if (payload.kind === 'ticket.handling') {
        await this.transport.addHandling({ idempotencyKey: entry.mutationId, clientSeq: entry.clientSeq, ticketId: payload.ticketId, handlingId: payload.handlingId, handling: payload.handling });
        verdict = { kind: 'done' };
      } else {
        verdict = { kind: 'failed', code: 'internal', message: 'unexpected entry kind' };
      }
    } catch (error) {
      verdict = classifyError(error);
    }
    store.add([{ o, v: verdict }]);
    return verdict.kind === 'retry' ? [triedOnce(o)] : [];
  }

  /** What a batch's answers mean, stored in one transaction (entries and their local orders). */
  /**
   * What answers say of the path, taken in as they come: when the platform last answered, the
   * failures in a row and the queue's pause after them, the last sync and error.
   */
  private hear(sent: readonly Sent[]): void {
    const now = Date.now();
    if (sent.some((x) => x.v.kind !== 'retry')) this.answeredAt = now;
    for (const { o, v } of sent) {
      if (v.kind === 'done') {
        this.lastSyncAt = now;
        this.lastError = undefined;
      } else if (v.kind === 'retry') {
        this.lastError = v.code;
      } else if (v.kind === 'failed') {
        ordersLog.warn('outbox entry refused by the platform', { kind: o.entry.kind, code: v.code, status: v.status });
      }
    }
    if (sent.some((x) => x.v.kind === 'retry')) {
      this.failures += 1;
      this.pausedUntil = now + this.backoff(this.failures);
    } else {
      this.failures = 0;
    }
  }

  private async applyAll(sent: readonly Sent[]): Promise<void> {
    const now = Date.now();
    const db = this.db;
    const changed: string[] = [];
    for (const { o, v } of sent) {
      if (changesOrder(o.entry) && (v.kind === 'failed' || (v.kind === 'done' && v.order))) changed.push(o.entry.clientOrderId);
    }
    await db.transaction('rw', [db.outbox, db.orders, db.meta], async () => {
      // A done entry is written whole from memory, without its payload (the platform has it; the
      // row stays as the record of the delivery): no read of the sealed payload, nor a write of it.
      const done: OutboxRow[] = [];
      const entries: { key: string; changes: Partial<OutboxRow> }[] = [];
      const orders: { key: string; changes: Partial<OrderRow> }[] = [];
      for (const { o, v } of sent) {
        if (v.kind === 'renumber') continue;
        const c = this.changesOf(o.entry, v, now);
        if (v.kind === 'done') {
          const { lastError: _e, ...entry } = o.entry;
          done.push({ ...entry, state: 'done', attempts: o.entry.attempts + 1 });
        } else {
          entries.push({ key: o.entry.mutationId, changes: c.entry });
        }
        if (c.order) orders.push({ key: o.entry.clientOrderId, changes: c.order });
      }
      await Promise.all([
        done.length > 0 ? db.outbox.bulkPut(done) : undefined,
        entries.length > 0 ? db.outbox.bulkUpdate(entries) : undefined,
        orders.length > 0 ? db.orders.bulkUpdate(orders) : undefined,
      ]);
      const refused = sent.filter((x) => x.v.kind === 'renumber').map((x) => x.o.entry);
      if (refused.length > 0) await this.renumber(refused, now);
    });
    if (this.live) {
      for (const { o, v } of sent) {
        if (v.kind === 'done') this.live.delete(o.entry.mutationId);
        else if (v.kind === 'failed') this.live.set(o.entry.mutationId, { ...o.entry, state: 'failed' });
      }
    }
    if (changed.length > 0) this.events.ordersChanged(changed);
    const delivered = sent.filter((x) => x.v.kind === 'done').map((x) => x.o.entry.mutationId);
    if (delivered.length > 0) this.events.delivered?.(delivered);
    if (this.live && now - this.countsAt >= COUNTS_EVERY_MS) this.tell([...this.live.values()]);
  }

  /** What an answer changes on the entry and on its local order (applyAll stores them together). */
  private changesOf(entry: OutboxEntry, v: Exclude<Verdict, { kind: 'renumber' }>, now: number): { entry: Partial<OutboxRow>; order?: Partial<OrderRow> } {
    const attempts = entry.attempts + 1;
    switch (v.kind) {
      case 'done': {
        const done: Partial<OutboxRow> = { state: 'done', attempts, lastError: undefined };
        if (!changesOrder(entry) || !v.order) return { entry: done };
        return {
          entry: done,
          order: {
            sync: 'synced',
            updatedAt: now,
            error: undefined,
            errorCode: undefined,
            errorFields: undefined,
            orderId: v.order.id,
            orderNo: v.order.orderNo,
            status: v.order.status,
            ...(entry.kind === 'order.create' ? { open: OPEN_STATUSES.includes(v.order.status) } : {}),
          },
        };
      }
      case 'failed': {
        const message = stored(v.message);
        const code = v.code.slice(0, 64);
        return {
          entry: { state: 'failed', attempts, lastError: { code, message, ...(v.status !== undefined ? { status: v.status } : {}) } },
          ...(changesOrder(entry) ? { order: { sync: 'failed', error: message, errorCode: code, errorFields: v.fields ?? [], updatedAt: now } } : {}),
        };
      }
      case 'retry':
        return {
          entry: {
            state: 'pending',
            attempts,
            // A request that failed as a whole: the entry waits with the queue (its pause), not on a
            // clock of its own — entries after it must not go first and pass its sequence number.
            nextAttemptAt: v.whole ? Math.max(now, this.pausedUntil) : now + this.backoff(attempts),
            lastError: { code: v.code.slice(0, 64), message: 'will retry', ...(v.status !== undefined ? { status: v.status } : {}) },
          },
        };
    }
  }

  /**
   * The platform refused these entries' sequence numbers as used (a later entry of this client went
   * first while they waited: a retry, an order held back, another agent's turn). It did not use
   * their keys, so they take the next numbers — each with the later entries of its order, not sent
   * yet, so that the order's entries keep their order; all of a push's refused entries at once
   * (one read of the queue, however many). Refused twice in a row means the counter is behind: then
   * an entry waits (backoff) rather than spinning.
   */
  private async renumber(refused: readonly OutboxEntry[], now: number): Promise<void> {
    const db = this.db;
    const byId = new Map(refused.map((e) => [e.mutationId, e]));
    // Per order, the first refused number: its entries from there on go with it.
    const from = new Map<string, number>();
    for (const e of refused) if (sequenced(e)) from.set(orderKey(e), Math.min(from.get(orderKey(e)) ?? Infinity, e.clientSeq));
    const owed = await notDoneEntries(db);
    const group = new Map<string, OutboxEntry>(refused.map((e) => [e.mutationId, e]));
    for (const e of owed) if (sequenced(e) && e.clientSeq >= (from.get(orderKey(e)) ?? Infinity)) group.set(e.mutationId, e);
    let seq = (await takeClientSeqs(db, group.size)) - 1;
    const updates = [...group.values()]
      .sort((a, b) => a.clientSeq - b.clientSeq)
      .map((e): { key: string; changes: Partial<OutboxRow> } => {
        seq += 1;
        const r = byId.get(e.mutationId);
        if (!r) return { key: e.mutationId, changes: { clientSeq: seq } };
        const attempts = r.attempts + 1;
        const again = r.lastError?.code === 'sequence_replayed';
        return {
          key: e.mutationId,
          changes: { clientSeq: seq, state: 'pending', attempts, nextAttemptAt: again ? now + this.backoff(attempts) : now, lastError: { code: 'sequence_replayed', message: 'numbered again' } },
        };
      });
    await db.outbox.bulkUpdate(updates);
  }

  /** The platform answered a send lately: a failure now is a request or an answer lost on the way. */
  private lossy(): boolean {
    return Date.now() - this.answeredAt < this.policy.answeredWithinMs;
  }

  private backoff(attempts: number): number {
    const p = this.policy;
    return fullJitterDelay(attempts - 1, p.baseMs, this.lossy() ? Math.min(p.lossyCapMs, p.capMs) : p.capMs, p.random);
  }

  private scheduleNext(notDone: readonly OutboxRow[]): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    let next = Infinity;
    for (const p of notDone) if (p.state === 'pending' && this.mine(p) && p.nextAttemptAt < next) next = p.nextAttemptAt;
    if (next === Infinity) return;
    next = Math.max(next, this.pausedUntil);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.poke();
    }, Math.max(50, next - Date.now()));
  }

  /** Tell the store how many entries wait and how many failed. Never rejects. */
  async publishCounts(): Promise<void> {
    if (this.stopped) return;
    try {
      this.tell(await this.notDone());
    } catch {
      // The counts stay as they were.
    }
  }

  private tell(notDone: readonly OutboxEntry[]): void {
    if (this.stopped) return;
    this.countsAt = Date.now();
    let pending = 0;
    let failed = 0;
    let oldest = Infinity;
    for (const e of notDone) {
      if (!this.mine(e)) continue;
      if (e.state === 'failed') {
        failed += 1;
        continue;
      }
      pending += 1;
      if (e.createdAt < oldest) oldest = e.createdAt;
    }
    this.events.counts({
      ...(oldest !== Infinity ? { oldestPendingAt: oldest } : {}),
      pending,
      failed,
      // Other agents' entries wait here for their next sign-in on this seat (shown to the agent).
      others: notDone.length - pending - failed,
      ...(this.lastSyncAt !== undefined ? { lastSyncAt: this.lastSyncAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    });
  }
}
