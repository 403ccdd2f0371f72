/**
 * "My orders": today's local orders (Asia/Shanghai day) and the open drafts, and the local search
 * over them. Orders are found without their text on disk:
 *
 * - a whole number: the blind index `phoneIndex` (exact); part of a number: the keyed digit-bigram terms;
 * - text: every bigram of the query hashed with the same key; the order must carry all of them
 *   in its multi-entry `terms` index. The rarest term is looked up first (index counts), the
 *   candidates' clear `terms` arrays are checked for the rest, and only the (at most 50) results
 *   are opened (decrypted).
 *
 * Open drafts are in memory (already opened): they are matched there.
 */
import { classifyPhone, normalizePhone } from '../../../../shared/base/phone-number';
import { maskPersonalNumber } from '../../../../shared/base/redact';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import { normaliseForSearch, type LocalCipher } from '../../local-data/sealed';
import type { DraftView, LocalOrderView } from '../orders-store';
import type { OrderRow, OrdersDatabase } from '../local/local-db';
import { openOrderRow, type OrderSealed } from '../local/records';

export const SEARCH_LIMIT = 50;

/** Epoch ms of 00:00 today in Asia/Shanghai. */
export function startOfShanghaiDay(now: number): number {
  return Date.parse(`${shanghaiDate(now)}T00:00:00+08:00`);
}

/** A person's number masked; a service number or SIP extension as it is; '' when withheld. */
export function maskedNumber(phone: string): string {
  return phone ? maskPersonalNumber(normalizePhone(phone)) : '';
}

export function orderView(row: OrderRow, s: OrderSealed): LocalOrderView {
  return {
    id: row.id,
    title: s.title,
    requestType: s.requestType,
    categoryCode: s.categoryCode,
    disposition: s.disposition,
    callerMasked: maskedNumber(s.callerPhone),
    callerName: s.callerName,
    createdAt: row.createdAt,
    sync: row.sync,
    ...(row.orderNo !== undefined ? { orderNo: row.orderNo } : {}),
    ...(row.orderId !== undefined ? { orderId: row.orderId } : {}),
    ...(row.status !== undefined ? { status: row.status } : {}),
    ...(row.error !== undefined ? { error: row.error } : {}),
    ...(s.followUpOf !== undefined ? { followUpOf: s.followUpOf } : {}),
  };
}

/** An open draft as a line of "my orders". */
export function draftSummary(d: DraftView): LocalOrderView {
  return {
    id: d.id,
    title: d.form.title,
    requestType: d.form.requestType,
    categoryCode: d.form.categoryCode,
    disposition: d.form.disposition,
    callerMasked: maskedNumber(d.form.callerPhone),
    callerName: d.form.callerName,
    createdAt: d.createdAt ?? d.call?.ringAt ?? d.updatedAt,
    sync: 'pending',
    draft: true,
    ...(d.mergeInto ? { followUpOf: d.mergeInto.orderNo } : {}),
  };
}

export async function openViews(db: OrdersDatabase, cipher: LocalCipher, rows: readonly OrderRow[]): Promise<LocalOrderView[]> {
  // Opened side by side: WebCrypto works off the main thread, so the rows decrypt in parallel.
  const opened = await Promise.all(rows.map((row) => openOrderRow(db, cipher, row)));
  return rows.flatMap((row, i) => {
    const s = opened[i];
    return s ? [orderView(row, s)] : [];
  });
}

/** Today's local orders, newest first. */
export async function todaysOrders(db: OrdersDatabase, cipher: LocalCipher, now = Date.now()): Promise<LocalOrderView[]> {
  const rows = await db.orders.where('createdAt').aboveOrEqual(startOfShanghaiDay(now)).toArray();
  return openViews(db, cipher, rows.sort((a, b) => b.createdAt - a.createdAt));
}

/** Open drafts first in time order with today's orders: newest first. */
export function composeMyOrders(drafts: readonly DraftView[], today: readonly LocalOrderView[]): LocalOrderView[] {
  const open = drafts.filter((d) => d.state === 'open').map(draftSummary);
  const ids = new Set(open.map((o) => o.id));
  return [...open, ...today.filter((o) => !ids.has(o.id))].sort((a, b) => b.createdAt - a.createdAt);
}

const NUMBER_QUERY = /^[+\d][\d\s()-]*$/;

/**
 * A search term as stored in the multi-entry index: the keyed hash of a bigram, then the order's
 * creation time counted down from a far future, so that all entries of one hash sort together,
 * NEWEST FIRST. "The newest orders with this term" is then a forward key-range read — one
 * getAllKeys request, no cursor, no row read to sort the hits. (Hashes are 22 base64url
 * characters; '~' sorts after all of them.)
 */
export function termKey(hash: string, createdAt: number): string {
  return `${hash}~${String(TERM_TIME_MAX - createdAt).padStart(15, '0')}`;
}

const TERM_TIME_MAX = 999_999_999_999_999;

/** The value whose keyed hash finds orders by the last four digits of a number (尾号). */
export function tailTerm(lastFour: string): string {
  return `tail:${lastFour}`;
}

/** The distinct last four digits of the given numbers (those with at least seven digits). */
export function numberTails(...numbers: string[]): string[] {
  const tails = numbers.map((n) => normalizePhone(n).replace(/\D/g, '')).filter((d) => d.length >= 7).map((d) => d.slice(-4));
  return [...new Set(tails)];
}

const termRange = (hash: string): [string, string] => [`${hash}~`, `${hash}~\uffff`];

const VERIFY_CHUNK = 64;

/** The most index keys read per query term. */
export const TERM_SCAN_CAP = 1_000;

/**
 * Ids of the orders that carry every one of `hashes`, newest first, at most `limit`.
 *
 * Each term's keys are read newest first (keys only, no rows, one request), at most TERM_SCAN_CAP. The
 * shortest list drives; complete lists (shorter than the cap) are intersected in memory; terms
 * too common to read whole are checked on the candidates' rows (their clear `terms`), a chunk at a
 * time, until `limit` hits. The cost is bounded by the cap whatever the number of orders; the price
 * is that a query made only of very common terms looks at the newest TERM_SCAN_CAP orders
 * carrying its rarest term.
 */
export async function idsWithAllTerms(db: OrdersDatabase, hashes: readonly string[], limit: number, cap = TERM_SCAN_CAP): Promise<string[]> {
  const unique = [...new Set(hashes)];
  const keysOf = (h: string, max: number) =>
    db.orders
      .where('terms')
      .between(...termRange(h), true, true)
      .limit(max)
      .primaryKeys();
  if (unique.length === 0) return [];
  if (unique.length === 1) return keysOf(unique[0]!, limit);
  const lists = await Promise.all(unique.map(async (h) => ({ h, keys: await keysOf(h, cap) })));
  lists.sort((a, b) => a.keys.length - b.keys.length);
  const [driver, ...rest] = lists;
  if (!driver || driver.keys.length === 0) return [];
  const complete = rest.filter((l) => l.keys.length < cap).map((l) => new Set(l.keys));
  const common = rest.filter((l) => l.keys.length >= cap).map((l) => l.h);
  const candidates = driver.keys.filter((id) => complete.every((set) => set.has(id)));
  if (common.length === 0) return candidates.slice(0, limit);
  const out: string[] = [];
  for (let i = 0; i < candidates.length && out.length < limit; i += VERIFY_CHUNK) {
    for (const r of await db.orders.bulkGet(candidates.slice(i, i + VERIFY_CHUNK))) {
      if (r && common.every((h) => r.terms.includes(termKey(h, r.createdAt)))) out.push(r.id);
      if (out.length >= limit) break;
    }
  }
  return out;
}

/** Words of a query: search terms are the bigrams within each word (never across a blank). */
export function queryWords(query: string): string[] {
  const words = query
    .split(/[\s\p{P}\p{S}]+/u)
    .map(normaliseForSearch)
    .filter(Boolean);
  // A one-character word has no bigram; it narrows nothing when there are longer words.
  const long = words.filter((w) => [...w].length >= 2);
  return long.length > 0 ? long : words;
}

function draftMatches(d: DraftView, query: string, digits: string | undefined): boolean {
  const f = d.form;
  if (digits !== undefined) {
    const nums = [f.callerPhone, f.contact].map((n) => normalizePhone(n).replace(/\D/g, ''));
    if (nums.some((n) => n.includes(digits))) return true;
  }
  const hay = [f.title, f.content, f.summary, f.callerName, f.company, f.district, f.street, f.addressDetail, f.callerPhone, f.contact].map(normaliseForSearch).join('\n');
  const words = queryWords(query);
  return words.length > 0 && words.every((w) => hay.includes(w));
}

/** Search open drafts (in memory) and local orders (by index); newest first, at most 50. */
export async function searchOrders(db: OrdersDatabase, cipher: LocalCipher, query: string, drafts: readonly DraftView[]): Promise<LocalOrderView[]> {
  const q = query.trim();
  if (!q) return [];
  const isNumber = NUMBER_QUERY.test(q);
  const digits = isNumber ? normalizePhone(q).replace(/\D/g, '') : undefined;
  const draftHits = drafts.filter((d) => d.state === 'open' && draftMatches(d, q, digits)).map(draftSummary);

  // A whole number: its blind index (exact). Part of a number, or text: the bigram terms.
  const exact: OrderRow[] = digits !== undefined && digits.length >= 3 ? await db.orders.where('phoneIndex').equals(await cipher.phoneIndex(digits)).toArray() : [];
  const partial: OrderRow[] = [];
  const words = digits !== undefined ? [digits] : queryWords(q);
  // A complete mobile or landline (with area code) is looked up exactly; anything shorter may be a part.
  const kind = digits !== undefined ? classifyPhone(digits) : undefined;
  const wholeNumber = kind === 'mobile' || kind === 'landline';
  // Four digits are first taken as a number's last four (尾号: one term, no digit pairs to
  // intersect); only when no number ends so are they looked for inside numbers.
  const tailIds = digits?.length === 4 ? await idsWithAllTerms(db, [await cipher.index(tailTerm(digits))], SEARCH_LIMIT) : [];
  if (tailIds.length > 0) {
    for (const r of await db.orders.bulkGet(tailIds)) if (r) partial.push(r);
  } else if (!wholeNumber && words.some((w) => [...w].length >= 2)) {
    const ids = await idsWithAllTerms(db, await cipher.terms(...words), SEARCH_LIMIT);
    for (const r of await db.orders.bulkGet(ids)) if (r) partial.push(r);
  }
  const newest = (a: { createdAt: number }, b: { createdAt: number }) => b.createdAt - a.createdAt;
  const seen = new Set(draftHits.map((d) => d.id));
  const rows: OrderRow[] = [];
  for (const r of [...exact.sort(newest), ...partial.sort(newest)]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    rows.push(r);
  }
  const views = await openViews(db, cipher, rows.slice(0, SEARCH_LIMIT - Math.min(draftHits.length, SEARCH_LIMIT)));
  // Drafts (being typed now) first, then exact number matches, then the rest; each newest first.
  return [...draftHits.sort(newest), ...views].slice(0, SEARCH_LIMIT);
}
