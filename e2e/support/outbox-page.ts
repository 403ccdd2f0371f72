/**
 * Page-side script of the outbox tests and benchmark, bundled with browserBundle and evaluated in
 * the workstation page: it queues orders exactly as the agent's 提交 does — the app's own
 * submitRecord on the page's real database with the page's real cipher (keys from main through
 * window.workstation) — without typing each one. The app's sender (its own module instance, in the
 * same page) sends them; the tests poke it through the UI (立即同步).
 *
 *   enqueue(o)    queues o.count new dispatched orders, titled `${o.prefix} #i`; returns their
 *                 client order ids and each submit's duration (submit → order and entry durable)
 *   followUps(o)  queues 并单 follow-ups in the order given, each of its platform order with its content
 *   counts()      the outbox's entries by state, straight from the database
 *   unfinished()  the entries not done (no payloads): what a failing test shows
 */
import '../../bench/support/orders-zod-jitless';
import type { Draft } from '../../shared/orders/draft';
import { emptyOrderForm } from '../../shared/orders/order-form';
import { localCipher } from '../../renderer/src/local-data/keys';
import { openOrdersDb } from '../../renderer/src/orders/local/local-db';
import { submitRecord } from '../../renderer/src/orders/local/submit';

export interface EnqueueOptions {
  count: number;
  /** The agent account the entries belong to (the signed-in agent). */
  owner: string;
  prefix: string;
  handlingUnit: string;
  /** Submits running at once (default 1: one after another, as an agent does). */
  concurrency?: number;
}

export interface FollowUpOptions {
  owner: string;
  items: { orderId: string; orderNo: string; content: string }[];
}

declare global {
  interface Window {
    outboxHarness: {
      enqueue(o: EnqueueOptions): Promise<{ ids: string[]; ms: number[] }>;
      followUps(o: FollowUpOptions): Promise<{ ids: string[] }>;
      counts(): Promise<Record<string, number>>;
      unfinished(): Promise<{ kind: string; state: string; attempts: number; clientSeq: number; lastError?: unknown }[]>;
    };
  }
}

const db = openOrdersDb();

function draft(form: Partial<Draft['form']>, mergeInto?: Draft['mergeInto']): Draft {
  const now = Date.now();
  return { id: crypto.randomUUID(), state: 'open', form: emptyOrderForm({ channel: 'phone', ...form }), createdAt: now, updatedAt: now, ...(mergeInto ? { mergeInto } : {}) };
}

/** A mobile number per order, varied so that the blind indexes and search postings differ as in real use. */
const phone = (i: number) => `137${String(10_000_000 + ((i * 7919) % 90_000_000)).padStart(8, '0')}`;

async function enqueue(o: EnqueueOptions): Promise<{ ids: string[]; ms: number[] }> {
  const cipher = await localCipher();
  const ids: string[] = new Array<string>(o.count);
  const ms: number[] = [];
  let next = 1;
  const worker = async () => {
    for (let i = next++; i <= o.count; i = next++) await one(i);
  };
  const one = async (i: number) => {
    const d = draft({
      callerPhone: phone(i),
      callerName: '测试来电人',
      requestType: 'complaint',
      title: `${o.prefix} #${i}`,
      content: `来电人反映小区${(i % 40) + 1}号楼门口路灯损坏已有一周，夜间出行不便，要求尽快维修。`,
      disposition: 'dispatched',
      handlingUnit: o.handlingUnit,
      district: '清城区',
      addressDetail: `凤城街道某小区${(i % 40) + 1}号楼`,
    });
    const t0 = performance.now();
    const r = await submitRecord(db, cipher, d, o.owner);
    ms.push(performance.now() - t0);
    if (!r.ok) throw new Error(`order ${i} not valid: ${JSON.stringify(r.errors)}`);
    ids[i - 1] = d.id;
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 1) }, worker));
  return { ids, ms };
}

async function followUps(o: FollowUpOptions): Promise<{ ids: string[] }> {
  const cipher = await localCipher();
  const ids: string[] = [];
  for (const [k, item] of o.items.entries()) {
    const d = draft({ callerPhone: phone(k + 1), content: item.content }, { orderId: item.orderId, orderNo: item.orderNo });
    const r = await submitRecord(db, cipher, d, o.owner);
    if (!r.ok) throw new Error(`follow-up ${k + 1} not valid: ${JSON.stringify(r.errors)}`);
    ids.push(d.id);
  }
  return { ids };
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = { pending: 0, sending: 0, done: 0, failed: 0 };
  for (const state of Object.keys(out)) out[state] = await db.outbox.where('state').equals(state).count();
  return out;
}

/** Entries not done, without their payloads: what a failing test prints. */
async function unfinished() {
  const rows = await db.outbox.where('state').anyOf('pending', 'sending', 'failed').toArray();
  return rows.map((r) => ({ kind: r.kind, state: r.state, attempts: r.attempts, clientSeq: r.clientSeq, lastError: r.lastError }));
}

window.outboxHarness = { enqueue, followUps, counts, unfinished };
