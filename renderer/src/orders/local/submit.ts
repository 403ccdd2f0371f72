/**
 * Submitting a draft: validate the form (field errors go back to the draft), then in ONE Dexie
 * transaction write the local order (sealed, blind phone index), its outbox entry (mutation id =
 * Idempotency-Key, the next client sequence number, client order id = draft id) and the draft's
 * new state. Either all three are stored or none is. The order's search terms go into the index
 * a moment later, with those of other orders submitted meanwhile (index-queue.ts; marked
 * `unindexed` until then, indexPending repairs a crash in between), so that what must be durable
 * is not kept waiting by the index.
 *
 * With `mergeInto` (并单) the entry is an order.followUp of that platform order instead of a new
 * order: only the content and the caller are needed then.
 */
import { normalizePhone } from '../../../../shared/base/phone-number';
import { toShanghaiIso } from '../../../../shared/base/shanghai-time';
import type { CallBinding, Draft } from '../../../../shared/orders/draft';
import { callerOf, emptyOrderForm, toOrderInput, type FieldError, type OrderForm, type OrderFormField } from '../../../../shared/orders/order-form';
import { followUpInputSchema, type OrderInput } from '../../../../shared/orders/work-order';
import type { OutboxPayload } from '../../../../shared/outbox/entry';
import type { LocalCipher } from '../../local-data/sealed';
import type { OrderRow, OrdersDatabase } from './local-db';
import { numberTails, tailTerm } from '../mine/my-orders';
import { addPostings, removePostings } from './search-index';
import { indexOrders, indexQueueOf } from './index-queue';
import { prepareEntry } from '../outbox/outbox-queue';
import { dropUndefined, openDraftRow, openOrderRow, sealDraft, sealOrder, type OrderSealed } from './records';
import { ownerField } from './owner';

/** The most distinct search terms kept per order (long content is still found by its beginning). */
export const MAX_TERMS = 2000;

export class DraftNotOpenError extends Error {
  override readonly name = 'DraftNotOpenError';
}

const FOLLOW_UP_FIELDS: ReadonlySet<OrderFormField> = new Set(['content', 'callerName', 'callerPhone', 'contact', 'gender', 'callerType', 'company']);

/** What the call adds to the order: its id, the dialled line and the times (ISO, +08:00). */
export function callInfo(call: CallBinding | undefined): OrderInput['call'] {
  if (!call) return undefined;
  return dropUndefined({
    callId: call.callId,
    dialled: call.dialled || undefined,
    ringAt: toShanghaiIso(call.ringAt),
    answerAt: call.answerAt !== undefined ? toShanghaiIso(call.answerAt) : undefined,
    endAt: call.endAt !== undefined ? toShanghaiIso(call.endAt) : undefined,
  });
}

/** The outbox payload of a draft, or the field errors that stop it. */
export function payloadOf(draft: Draft): { ok: true; payload: OutboxPayload } | { ok: false; errors: FieldError[] } {
  const call = callInfo(draft.call);
  const built = toOrderInput(draft.form, { call });
  if (!draft.mergeInto) return built.ok ? { ok: true, payload: { kind: 'order.create', order: built.input } } : built;
  if (!built.ok) {
    const errors = built.errors.filter((e) => FOLLOW_UP_FIELDS.has(e.field));
    if (errors.length > 0) return { ok: false, errors };
  }
  const f = draft.form;
  const content = f.content.replace(/^\s+|\s+$/g, '');
  const followUp = followUpInputSchema.safeParse(dropUndefined({ content, caller: callerOf(f), call }));
  if (!followUp.success) return { ok: false, errors: [{ field: 'content', code: 'invalid' }] };
  return { ok: true, payload: { kind: 'order.followUp', orderId: draft.mergeInto.orderId, followUp: followUp.data } };
}

function sealedView(form: OrderForm, mergeInto: Draft['mergeInto']): OrderSealed {
  return {
    title: (form.title.trim() || form.content.trim()).slice(0, 100),
    requestType: form.requestType,
    categoryCode: form.categoryCode,
    disposition: mergeInto ? '' : form.disposition,
    channel: form.channel,
    callerPhone: normalizePhone(form.callerPhone).slice(0, 64),
    callerName: form.callerName.trim().slice(0, 200),
    ...(mergeInto ? { followUpOf: mergeInto.orderNo } : {}),
  };
}

/** Blind search terms of an order (number, contact, name, title, content; the numbers' last four digits). */
export async function orderTerms(cipher: LocalCipher, form: OrderForm): Promise<string[]> {
  const terms = await cipher.terms(normalizePhone(form.callerPhone), normalizePhone(form.contact), form.callerName, form.title, form.content);
  const tails = await Promise.all(numberTails(form.callerPhone, form.contact).map((t) => cipher.index(tailTerm(t))));
  // Each part is distinct already (cipher.terms deduplicates; numberTails too), and they never collide.
  return [...tails, ...terms.slice(0, MAX_TERMS)];
}

export type SubmitOutcome =
  | {
      ok: true;
      draft: Draft;
      order: OrderRow;
      mutationId: string;
      /** The order's search terms in the index (with the index queue's next flush; never rejects). */
      indexed: Promise<void>;
    }
  | { ok: false; errors: FieldError[] };

/**
 * Validate and store. Throws (and stores nothing) when the database refuses any part of the
 * transaction, or DraftNotOpenError when the stored draft was submitted or discarded already.
 */
export async function submitRecord(db: OrdersDatabase, cipher: LocalCipher, draft: Draft, owner: string | undefined, now = Date.now()): Promise<SubmitOutcome> {
  const built = payloadOf(draft);
  if (!built.ok) return built;
  const form = draft.form;
  // Dispatched and transferred orders stay open on the platform (see nextStatus); the rest close at once.
  const opened = !draft.mergeInto && (form.disposition === 'dispatched' || form.disposition === 'transferred');
  const phone = normalizePhone(form.callerPhone);
  const submitted: Draft = { ...draft, state: 'submitted', updatedAt: now };
  // The sealing and hashing (WebCrypto, off the main thread) side by side.
  const [phoneIndex, sealed, draftRow, entry, terms] = await Promise.all([
    phone ? cipher.phoneIndex(phone) : '',
    sealOrder(cipher, draft.id, sealedView(form, draft.mergeInto)),
    sealDraft(cipher, submitted, owner),
    prepareEntry(cipher, draft.id, built.payload, now, owner),
    orderTerms(cipher, form),
  ]);
  const order: Omit<OrderRow, 'n'> = {
    id: draft.id,
    kind: draft.mergeInto ? 'followUp' : 'order',
    createdAt: now,
    updatedAt: now,
    sync: 'pending',
    phoneIndex,
    open: opened,
    confidential: form.confidential,
    ...(draft.mergeInto ? { orderId: draft.mergeInto.orderId } : {}),
    sealed,
    ...ownerField(owner),
  };
  const written = await db.transaction('rw', [db.drafts, db.orders, db.postings, db.outbox, db.meta], async () => {
    // Two round trips to the database, not one per row: read everything, then write everything
    // (IndexedDB applies the writes in the order they were made, all or none).
    const [stored, previous, counters] = await Promise.all([db.drafts.get(draft.id), db.orders.get(draft.id), db.meta.bulkGet(['orderOrdinal', 'clientSeq'])]);
    if (stored && stored.state !== 'open') throw new DraftNotOpenError(`draft is ${stored.state}`);
    if (previous && previous.sync !== 'failed') throw new DraftNotOpenError(`order is ${previous.sync}`);
    const n = Number(counters[0]?.value ?? 0) + 1;
    const clientSeq = Number(counters[1]?.value ?? 0) + 1;
    const row: OrderRow = previous ? { ...order, n, createdAt: previous.createdAt } : { ...order, n, unindexed: 1 };
    const writes: Promise<unknown>[] = [db.meta.bulkPut([{ key: 'orderOrdinal', value: n }, { key: 'clientSeq', value: clientSeq }])];
    if (previous) {
      // Corrected after the platform refused it: the order replaces the refused one (same time,
      // new words in the index) and the refused entry leaves the queue for the new one.
      await removePostings(db, [previous]);
      await db.outbox.where('clientOrderId').equals(draft.id).filter((e) => e.state === 'failed').delete();
      writes.push(db.orders.put(row), addPostings(db, [{ n, createdAt: row.createdAt, terms }]));
    } else {
      // The search terms follow with the index queue: the order and its entry are durable without
      // waiting for them, and a crash in between is repaired at the next start (indexPending).
      writes.push(db.orders.add(row));
    }
    writes.push(db.outbox.add(entry.row(clientSeq)), db.drafts.put(draftRow));
    await Promise.all(writes);
    return row;
  });
  const indexed = written.unindexed ? indexQueueOf(db).add(written, terms).catch(() => undefined) : Promise.resolve();
  return { ok: true, draft: submitted, order: written, mutationId: entry.mutationId, indexed };
}

/**
 * Orders a crash left out of the search index (between a submit's two transactions): their terms
 * from the draft (the whole form), or from what the order row keeps when the draft is gone.
 */
export async function indexPending(db: OrdersDatabase, cipher: LocalCipher): Promise<number> {
  const rows = await db.orders.where('unindexed').equals(1).toArray();
  for (const row of rows) {
    const draftRow = await db.drafts.get(row.id);
    const draft = draftRow ? await openDraftRow(db, cipher, draftRow) : undefined;
    let form = draft?.form;
    if (!form) {
      const s = await openOrderRow(db, cipher, row);
      form = emptyOrderForm({ title: s?.title ?? '', callerPhone: s?.callerPhone ?? '', callerName: s?.callerName ?? '' });
    }
    await indexOrders(db, [{ id: row.id, n: row.n, createdAt: row.createdAt, terms: await orderTerms(cipher, form) }]);
  }
  return rows.length;
}
