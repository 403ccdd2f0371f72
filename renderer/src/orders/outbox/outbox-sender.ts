/**
 * The outbox sender: one per app (a Web Lock when the page has them), it carries pending entries to
 * the platform through main.
 *
 * - Entries go in clientSeq order. Consecutive order.create entries go as one push of at most 50;
 *   follow-ups (并单) and reveals go one by one.
 * - Per order: an entry is sent only when every earlier order entry of the same clientOrderId is
 *   done; a failed one blocks the later entries of that order only. Reveals are audit records:
 *   they neither wait for nor block an order.
 * - Per result: 2xx → done, the local order gets the platform's id, number and status; 4xx →
 *   failed with the platform's message (kept, visible, never dropped); 408/429/5xx, no answer,
 *   'unavailable', 'signed_out' → pending again with full-jitter exponential backoff (1 s base,
 *   60 s cap). `resume()` (session back online, syncNow) makes every pending entry due at once.
 *
 * SEAM for the next issue (hardening): `OutboxTransport` is the only way out, `classify*` decide
 * what a result means, `SenderPolicy` holds the numbers; the selection (`dueEntries`) is pure.
 */
import { fullJitterDelay } from '../../../../shared/phone/backoff';
import { redactText } from '../../../../shared/base/redact';
import type { Order, PushResult } from '../../../../shared/orders/routes';
import { OPEN_STATUSES, type FollowUpInput, type OrderInput } from '../../../../shared/orders/work-order';
import type { OutboxEntry } from '../../../../shared/outbox/entry';
import { BridgeError, bridge, call } from '../../ipc/bridge';
import type { LocalCipher } from '../../local-data/sealed';
import type { OrdersDatabase, OutboxRow } from '../local/local-db';
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
}

export const bridgeTransport: OutboxTransport = {
  push: async (mutations) => (await call(bridge().orders.push({ mutations }))).results,
  followUp: (req) => call(bridge().orders.followUp(req)),
  recordReveal: async (req) => {
    await call(bridge().orders.recordReveal(req));
  },
};

export interface SenderPolicy {
  batchSize: number;
  baseMs: number;
  capMs: number;
  random: () => number;
}

export const DEFAULT_POLICY: SenderPolicy = { batchSize: 50, baseMs: 1_000, capMs: 60_000, random: Math.random };

export interface SenderEvents {
  /** A local order's sync state, number or status changed. */
  orderChanged(clientOrderId: string): void;
  counts(c: { pending: number; failed: number; others: number; oldestPendingAt?: number; lastSyncAt?: number; lastError?: string }): void;
}

/** What one answer means for its entry. */
export type Verdict =
  | { kind: 'done'; order?: Order }
  | { kind: 'failed'; code: string; message: string; status?: number; fields?: OrderFormField[] }
  | { kind: 'retry'; code: string; status?: number };

/** A per-entry result of a push. */
export function classifyPushResult(r: PushResult): Verdict {
  if ('order' in r && r.status >= 200 && r.status < 300) return { kind: 'done', order: r.order };
  const error = 'error' in r ? r.error : { code: 'unknown', message: 'no order in the result' };
  if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
    return { kind: 'failed', code: error.code, message: error.message, status: r.status, fields: formFieldsOfIssues('issues' in error ? error.issues : undefined) };
  }
  return { kind: 'retry', code: error.code, status: r.status };
}

/** Error codes of a whole request that mean "the platform refused this mutation" (not "try later"). */
const REFUSED = new Set(['rejected', 'invalid', 'not_found', 'conflict', 'invalid_payload']);

export function classifyError(error: unknown): Verdict {
  if (error instanceof BridgeError && REFUSED.has(error.code)) return { kind: 'failed', code: error.code, message: error.message, fields: formFieldsOfIssues(error.issues) };
  return { kind: 'retry', code: error instanceof BridgeError ? error.code : 'unreachable' };
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
    if (e.kind !== 'caller.reveal') {
      if (started.has(e.clientOrderId)) continue;
      started.add(e.clientOrderId);
    }
    if (e.state === 'pending' && e.nextAttemptAt <= now) out.push(e);
  }
  return out;
}

/** Clear message of a failure as stored locally (the platform's words, redacted of numbers). */
const stored = (message: string) => redactText(message).slice(0, 500);

export class OutboxSender {
  private leader = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private release: (() => void) | undefined;
  private lastSyncAt: number | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly db: OrdersDatabase,
    private readonly cipher: LocalCipher,
    private readonly events: SenderEvents,
    private readonly transport: OutboxTransport = bridgeTransport,
    private readonly policy: SenderPolicy = DEFAULT_POLICY,
    /** The signed-in agent: only their entries (and ones without an owner) are sent (local/owner.ts). */
    private readonly owner?: string,
  ) {}

  private mine = (row: OutboxRow) => isMine(row, this.owner);

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
      // Sends interrupted by a crash or reload go again (the idempotency key makes that harmless),
      // and a new page tries everything at once rather than waiting out an old backoff.
      const now = Date.now();
      await this.db.outbox.where('state').anyOf('sending', 'pending').modify({ state: 'pending', nextAttemptAt: now });
    } catch {
      ordersLog.warn('outbox not readable');
    }
    await this.publishCounts();
    this.poke();
  }

  stop(): void {
    this.stopped = true;
    this.leader = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
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
    await this.db.outbox
      .where('state')
      .equals('pending')
      .modify({ nextAttemptAt: Date.now() })
      .catch(() => undefined);
    this.poke();
  }

  /** Resolves when the current run (if any) is over: tests and shutdown. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.runOnce();
      } catch (error) {
        ordersLog.error('outbox run failed', { reason: error instanceof Error ? error.name : 'unknown' });
      }
    } while (this.again && !this.stopped);
    await this.publishCounts();
    await this.scheduleNext().catch(() => undefined);
  }

  /** Send what is due until nothing is, or the platform is down. */
  private async runOnce(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const notDone = (await this.db.outbox.where('state').anyOf('pending', 'sending', 'failed').toArray()).filter(this.mine);
      const due = dueEntries(
        notDone.map(({ payload: _p, ...e }) => e as OutboxEntry),
        Date.now(),
      );
      if (due.length === 0) return;
      const rows = new Map(notDone.map((r) => [r.mutationId, r]));
      let down = false;
      let batch: OpenedOutbox[] = [];
      const flush = async () => {
        if (batch.length > 0 && !down) down = !(await this.sendCreates(batch));
        batch = [];
      };
      for (const e of due) {
        if (down) break;
        const opened = await openOutboxRow(this.db, this.cipher, rows.get(e.mutationId) as OutboxRow);
        if (!opened) continue;
        if (opened.payload.kind === 'order.create') {
          batch.push(opened);
          if (batch.length >= this.policy.batchSize) await flush();
          continue;
        }
        await flush();
        if (!down) down = !(await this.sendOne(opened));
      }
      await flush();
      if (down) return;
    }
  }

  /** Push creations; false when the platform is not reachable. */
  private async sendCreates(batch: readonly OpenedOutbox[]): Promise<boolean> {
    await this.mark(batch, 'sending');
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
      if (v.kind === 'failed' && batch.length > 1) {
        // The whole push was refused: find the culprit by sending one at a time.
        await this.mark(batch, 'pending');
        for (const one of batch) if (!(await this.sendCreates([one]))) return false;
        return true;
      }
      for (const o of batch) await this.apply(o, v);
      return v.kind !== 'retry';
    }
    const byKey = new Map(results.map((r) => [r.idempotencyKey, r]));
    let reachable = true;
    for (const o of batch) {
      const r = byKey.get(o.entry.mutationId);
      const v: Verdict = r ? classifyPushResult(r) : { kind: 'retry', code: 'no_result' };
      if (v.kind === 'retry') reachable = false;
      await this.apply(o, v);
    }
    return reachable;
  }

  /** A follow-up or a reveal; false when the platform is not reachable. */
  private async sendOne(o: OpenedOutbox): Promise<boolean> {
    await this.mark([o], 'sending');
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
      } else {
        verdict = { kind: 'failed', code: 'internal', message: 'unexpected entry kind' };
      }
    } catch (error) {
      verdict = classifyError(error);
    }
    await this.apply(o, verdict);
    return verdict.kind !== 'retry';
  }

  private async mark(batch: readonly OpenedOutbox[], state: 'sending' | 'pending'): Promise<void> {
    await this.db.outbox.where('mutationId').anyOf(batch.map((o) => o.entry.mutationId)).modify({ state });
  }

  private async apply({ entry }: OpenedOutbox, v: Verdict): Promise<void> {
    const now = Date.now();
    const db = this.db;
    if (v.kind === 'done') {
      this.lastSyncAt = now;
      this.lastError = undefined;
      await db.transaction('rw', [db.outbox, db.orders], async () => {
        await db.outbox.update(entry.mutationId, { state: 'done', attempts: entry.attempts + 1, lastError: undefined });
        if (entry.kind !== 'caller.reveal' && v.order) {
          const isCreate = entry.kind === 'order.create';
          await db.orders.update(entry.clientOrderId, {
            sync: 'synced',
            updatedAt: now,
            error: undefined,
            errorCode: undefined,
            errorFields: undefined,
            orderId: v.order.id,
            orderNo: v.order.orderNo,
            status: v.order.status,
            ...(isCreate ? { open: OPEN_STATUSES.includes(v.order.status) } : {}),
          });
        }
      });
      if (entry.kind !== 'caller.reveal') this.events.orderChanged(entry.clientOrderId);
      return;
    }
    if (v.kind === 'failed') {
      ordersLog.warn('outbox entry refused by the platform', { kind: entry.kind, code: v.code, status: v.status });
      const message = stored(v.message);
      await db.transaction('rw', [db.outbox, db.orders], async () => {
        await db.outbox.update(entry.mutationId, {
          state: 'failed',
          attempts: entry.attempts + 1,
          lastError: { code: v.code.slice(0, 64), message, ...(v.status !== undefined ? { status: v.status } : {}) },
        });
        if (entry.kind !== 'caller.reveal') {
          await db.orders.update(entry.clientOrderId, { sync: 'failed', error: message, errorCode: v.code.slice(0, 64), errorFields: v.fields ?? [], updatedAt: now });
        }
      });
      if (entry.kind !== 'caller.reveal') this.events.orderChanged(entry.clientOrderId);
      return;
    }
    const attempts = entry.attempts + 1;
    this.lastError = v.code;
    await db.outbox.update(entry.mutationId, {
      state: 'pending',
      attempts,
      nextAttemptAt: now + fullJitterDelay(attempts - 1, this.policy.baseMs, this.policy.capMs, this.policy.random),
      lastError: { code: v.code.slice(0, 64), message: 'will retry', ...(v.status !== undefined ? { status: v.status } : {}) },
    });
  }

  private async scheduleNext(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const pending = (await this.db.outbox.where('state').equals('pending').toArray()).filter(this.mine);
    if (pending.length === 0) return;
    const next = Math.min(...pending.map((p) => p.nextAttemptAt));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.poke();
    }, Math.max(50, next - Date.now()));
  }

  /** Tell the store how many entries wait and how many failed. Never rejects. */
  async publishCounts(): Promise<void> {
    if (this.stopped) return;
    let notDone: OutboxRow[];
    try {
      notDone = await this.db.outbox.where('state').anyOf('pending', 'sending', 'failed').toArray();
    } catch {
      return;
    }
    const mine = notDone.filter(this.mine);
    const waiting = mine.filter((e) => e.state !== 'failed');
    this.events.counts({
      ...(waiting.length > 0 ? { oldestPendingAt: Math.min(...waiting.map((e) => e.createdAt)) } : {}),
      pending: mine.filter((e) => e.state !== 'failed').length,
      failed: mine.filter((e) => e.state === 'failed').length,
      // Other agents' entries wait here for their next sign-in on this seat (shown to the agent).
      others: notDone.length - mine.length,
      ...(this.lastSyncAt !== undefined ? { lastSyncAt: this.lastSyncAt } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    });
  }
}
