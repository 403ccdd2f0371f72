/**
 * "My orders": today's local orders (Asia/Shanghai day) and the open drafts, and the local search
 * over them. Orders are found without their text on disk:
 *
 * - a whole number: the blind index `phoneIndex` (exact); four digits: a number's last four (尾号,
 *   one keyed term); part of a number: the keyed digit-bigram terms;
 * - text: every bigram of the query hashed with the same key; the order must carry all of them
 *   (the search index's postings, local/search-index.ts). Only the (at most 50) results are
 *   opened (decrypted).
 *
 * Open drafts are in memory (already opened): they are matched there.
 */
import { classifyPhone, normalizePhone } from '../../../../shared/base/phone-number';
import { maskPersonalNumber } from '../../../../shared/base/redact';
import { shanghaiDate } from '../../../../shared/base/shanghai-time';
import { normaliseForSearch, type LocalCipher } from '../../local-data/sealed';
import type { DraftView, LocalOrderView } from '../orders-state';
import type { OrderRow, OrdersDatabase } from '../local/local-db';
import { openOrderRow, type OrderSealed } from '../local/records';
import { ordersOfOrdinals, ordinalsWithAllTerms } from '../local/search-index';
import { indexQueueOf } from '../local/index-queue';
import { isMine } from '../local/owner';

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
    ...(row.errorCode !== undefined ? { errorCode: row.errorCode } : {}),
    ...(row.errorFields !== undefined ? { errorFields: row.errorFields } : {}),
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

/**
 * How many of today's orders the list holds: the newest; older ones are found by search. An agent
 * takes one or two hundred calls a shift, so this is the whole day in practice; a seat that entered
 * a backlog of thousands keeps its memory and its list's drawing time (each line a few hundred
 * bytes and DOM nodes) from growing with it.
 */
export const TODAY_LIMIT = 200;

/** Today's list: the orders not to lose sight of, newest first, and whether older ones were left out. */
export interface TodayList {
  readonly views: LocalOrderView[];
  readonly more: boolean;
}

/**
 * Of views sorted newest first, what today's list keeps: the TODAY_LIMIT newest, and besides them
 * every refused one (the agent must correct it, whatever its age; up to TODAY_LIMIT more).
 */
export function keptToday(sorted: readonly LocalOrderView[]): TodayList {
  const views = sorted.slice(0, TODAY_LIMIT);
  let refused = 0;
  let more = false;
  for (const v of sorted.slice(TODAY_LIMIT)) {
    if (v.sync === 'failed' && refused < TODAY_LIMIT) {
      views.push(v);
      refused += 1;
    } else more = true;
  }
  return { views, more };
}

/** Today's local orders of this agent (`owner`) and any they still have to correct (refused by the platform), newest first, as keptToday keeps them. */
export async function todaysOrders(db: OrdersDatabase, cipher: LocalCipher, owner: string | undefined, now = Date.now()): Promise<TodayList> {
  const mine = (r: OrderRow) => isMine(r, owner);
  // Only the rows kept are read (newest first, one more to know whether there are more).
  const [today, refused] = await Promise.all([
    db.orders.where('createdAt').aboveOrEqual(startOfShanghaiDay(now)).reverse().filter(mine).limit(TODAY_LIMIT + 1).toArray(),
    db.orders.where('sync').equals('failed').filter(mine).limit(TODAY_LIMIT).toArray(),
  ]);
  const byId = new Map([...refused, ...today.slice(0, TODAY_LIMIT)].map((r) => [r.id, r]));
  const kept = keptToday(await openViews(db, cipher, [...byId.values()].sort((a, b) => b.createdAt - a.createdAt)));
  return { views: kept.views, more: kept.more || today.length > TODAY_LIMIT };
}

/** Open drafts first in time order with today's orders: newest first. */
export function composeMyOrders(drafts: readonly DraftView[], today: readonly LocalOrderView[]): LocalOrderView[] {
  const open = drafts.filter((d) => d.state === 'open').map(draftSummary);
  const ids = new Set(open.map((o) => o.id));
  return [...open, ...today.filter((o) => !ids.has(o.id))].sort((a, b) => b.createdAt - a.createdAt);
}

const NUMBER_QUERY = /^[+\d][\d\s()-]*$/;

/** The value whose keyed hash finds orders by the last four digits of a number (尾号). */
export function tailTerm(lastFour: string): string {
  return `tail:${lastFour}`;
}

/** The distinct last four digits of the given numbers (those with at least seven digits). */
export function numberTails(...numbers: string[]): string[] {
  const tails = numbers.map((n) => normalizePhone(n).replace(/\D/g, '')).filter((d) => d.length >= 7).map((d) => d.slice(-4));
  return [...new Set(tails)];
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

/**
 * Search open drafts (in memory) and this agent's local orders (by index; `owner`, local/owner.ts);
 * newest first, at most 50.
 */
export async function searchOrders(db: OrdersDatabase, cipher: LocalCipher, query: string, drafts: readonly DraftView[], owner?: string): Promise<LocalOrderView[]> {
  const q = query.trim();
  if (!q) return [];
  // Orders submitted a moment ago are in the index before it is read.
  await indexQueueOf(db).flush();
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
  const tails = digits?.length === 4 ? await ordersOfOrdinals(db, await ordinalsWithAllTerms(db, [await cipher.index(tailTerm(digits))], SEARCH_LIMIT)) : [];
  if (tails.length > 0) partial.push(...tails);
  else if (!wholeNumber && words.some((w) => [...w].length >= 2)) {
    partial.push(...(await ordersOfOrdinals(db, await ordinalsWithAllTerms(db, await cipher.terms(...words), SEARCH_LIMIT))));
  }
  const newest = (a: { createdAt: number }, b: { createdAt: number }) => b.createdAt - a.createdAt;
  const seen = new Set(draftHits.map((d) => d.id));
  const rows: OrderRow[] = [];
  for (const r of [...exact.sort(newest), ...partial.sort(newest)]) {
    if (seen.has(r.id) || !isMine(r, owner)) continue;
    seen.add(r.id);
    rows.push(r);
  }
  const views = await openViews(db, cipher, rows.slice(0, SEARCH_LIMIT - Math.min(draftHits.length, SEARCH_LIMIT)));
  // Drafts (being typed now) first, then exact number matches, then the rest; each newest first.
  return [...draftHits.sort(newest), ...views].slice(0, SEARCH_LIMIT);
}
