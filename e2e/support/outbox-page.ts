/**
 * Page-side script of the outbox tests and benchmark, bundled with browserBundle and evaluated in
 * the workstation page: it queues orders exactly as the agent's 提交 does — the app's own
 * submitRecord on the page's real database with the page's real cipher (keys from main through
 * window.workstation) — without typing each one. The app's sender (its own module instance, in the
 * same page) sends them; the tests poke it through the UI (立即同步).
 *
 *   enqueue(o)    queues o.count new dispatched orders, titled `${o.prefix} #i`; returns their
 *                 client order ids and each submit's duration (submit → order and entry durable)
 *   followUps(o)  queues o.count 并单 follow-ups of one platform order, contents `${o.prefix} #k`
 *   counts()      the outbox's entries by state, straight from the database
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
}

export interface FollowUpOptions {
  count: number;
  owner: string;
  prefix: string;
  orderId: string;
  orderNo: string;
}

declare global {
  interface Window {
    outboxHarness: {
      enqueue(o: EnqueueOptions): Promise<{ ids: string[]; ms: number[] }>;
      followUps(o: FollowUpOptions): Promise<{ ids: string[] }>;
      counts(): Promise<Record<string, number>>;
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
  const ids: string[] = [];
  const ms: number[] = [];
  for (let i = 1; i <= o.count; i++) {
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
    ids.push(d.id);
  }
  return { ids, ms };
}

async function followUps(o: FollowUpOptions): Promise<{ ids: string[] }> {
  const cipher = await localCipher();
  const ids: string[] = [];
  for (let k = 1; k <= o.count; k++) {
    const d = draft({ callerPhone: phone(k), content: `${o.prefix} #${k}` }, { orderId: o.orderId, orderNo: o.orderNo });
    const r = await submitRecord(db, cipher, d, o.owner);
    if (!r.ok) throw new Error(`follow-up ${k} not valid: ${JSON.stringify(r.errors)}`);
    ids.push(d.id);
  }
  return { ids };
}

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = { pending: 0, sending: 0, done: 0, failed: 0 };
  for (const state of Object.keys(out)) out[state] = await db.outbox.where('state').equals(state).count();
  return out;
}

window.outboxHarness = { enqueue, followUps, counts };
