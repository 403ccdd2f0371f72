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
import { notDoneEntries, openOrdersDb } from '../../renderer/src/orders/local/local-db';
import { submitRecord } from '../../renderer/src/orders/local/submit';

export interface EnqueueOptions {
  count: number;
  /** The agent account the entries belong to (the signed-in agent). */
  owner: string;
  prefix: string;
  handlingUnit: string;
  /** Submits running at once (default 1: one after another, as an agent does). */
  concurrency?: number;
  /** Each order's content this long (the caller's full account, up to the form's 4,000 characters); short by default. */
  contentChars?: number;
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
      unfinished(): Promise<{ kind: string; state: string; attempts: number; clientSeq: number; dueIn: number; lastError?: unknown }[]>;
    };
  }
}

const db = openOrdersDb();

function draft(form: Partial<Draft['form']>, mergeInto?: Draft['mergeInto']): Draft {
  const now = Date.now();
  return { id: crypto.randomUUID(), state: 'open', form: emptyOrderForm({ channel: 'phone', ...form }), createdAt: now, updatedAt: now, ...(mergeInto ? { mergeInto } : {}) };
}

// Varied wording (deterministic by the order's index), so that the search postings each submit
// updates are as spread as a real day's orders, not one set of bigrams shared by all.
const PLACES = ['凤城街道', '东城街道', '洲心街道', '横荷街道', '源潭镇', '龙塘镇', '石角镇', '飞来峡镇', '太和镇', '山塘镇', '太平镇', '浸潭镇'];
const SITES = ['幸福小区', '碧桂园', '锦绣华庭', '江滨花园', '怡景湾', '新城市场', '人民医院', '实验中学', '汽车站', '体育中心', '万达广场', '老街菜市场'];
const MATTERS = [
  '路灯损坏，夜间出行不便',
  '下水道堵塞，污水外溢',
  '施工噪音扰民，深夜仍在作业',
  '占道经营，影响车辆通行',
  '垃圾清运不及时，气味难闻',
  '小区停水两天，没有通知',
  '公交站牌破损，存在安全隐患',
  '社保卡补办进度咨询',
  '公积金提取材料不清楚',
  '餐馆油烟直排居民楼',
  '电动车违规充电，存在火灾隐患',
  '学校周边交通拥堵，缺少疏导',
];
const ASKS = ['要求尽快维修', '希望有关部门处理', '请相关单位核实', '要求答复处理结果', '希望加强管理', '请尽快派人查看'];
const pick = <T>(list: readonly T[], i: number, step: number): T => list[(i * step) % list.length]!;

/** A mobile number per order, varied so that the blind indexes and search postings differ as in real use. */
const phone = (i: number) => `137${String(10_000_000 + ((i * 7919) % 90_000_000)).padStart(8, '0')}`;

/** What the caller said: one sentence, or as many varied ones as make `chars` characters. */
function account(i: number, chars = 0): string {
  const sentence = (k: number) => `来电人反映${pick(PLACES, k, 5)}${pick(SITES, k, 7)}${(k % 40) + 1}号楼附近${pick(MATTERS, k, 1)}，已持续${(k % 9) + 1}天，${pick(ASKS, k, 11)}。`;
  let text = sentence(i);
  for (let k = i + 1; text.length < chars; k++) text += sentence(k);
  return chars > 0 ? text.slice(0, chars) : text;
}

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
      content: account(i, o.contentChars),
      disposition: 'dispatched',
      handlingUnit: o.handlingUnit,
      district: '清城区',
      addressDetail: `${pick(PLACES, i, 5)}${pick(SITES, i, 7)}${(i % 40) + 1}号楼`,
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
  const rows = await notDoneEntries(db);
  return rows.map((r) => ({ kind: r.kind, state: r.state, attempts: r.attempts, clientSeq: r.clientSeq, dueIn: r.nextAttemptAt - Date.now(), lastError: r.lastError }));
}

window.outboxHarness = { enqueue, followUps, counts, unfinished };
