/**
 * Search over configured names (categories, units, areas) the way agents type while talking:
 * by characters ("公积金"), by code ("03.02"), by full pinyin ("gongjijin") or by pinyin initials
 * ("gjj"), polyphones included (银行 matches "yh"). The pinyin data (pinyin-match, ~28 KB) is
 * loaded with a dynamic import on first use, never with the shell; until it has arrived the
 * search matches by characters and code only.
 */

/** The part of pinyin-match this module uses. */
export interface PinyinMatcher {
  match(input: string, keys: string): [number, number] | false;
}

let loading: Promise<PinyinMatcher | null> | undefined;

/** Load the pinyin data once (null if it could not be loaded: search by characters still works). */
export function loadPinyin(): Promise<PinyinMatcher | null> {
  loading ??= import('pinyin-match').then(
    (m) => m.default as PinyinMatcher,
    () => null,
  );
  return loading;
}

/** What the agent typed, compared case- and space-insensitively. */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '');
}

/** A query that may be pinyin (letters only; "ü" typed as v). */
export function isPinyinQuery(q: string): boolean {
  return /^[a-z]+$/.test(q);
}

/** True when `name` matches the (normalized) query by characters or, with a matcher, by pinyin. */
export function nameMatches(name: string, q: string, pinyin: PinyinMatcher | null): boolean {
  if (q === '') return true;
  if (name.toLowerCase().replace(/\s+/g, '').includes(q)) return true;
  return !!pinyin && isPinyinQuery(q) && pinyin.match(name, q) !== false;
}

/** An entry to search: its own name, the names above it, and a code. */
export interface SearchItem {
  readonly code: string;
  readonly name: string;
  /** Names from the root to this entry (the entry's own name last). */
  readonly path: readonly string[];
}

/**
 * The items that match, best first: code prefix or own name by characters, then a parent's name
 * by characters, then own name by pinyin, then a parent's by pinyin. Order within a rank is kept
 * (the configured tree order).
 */
export function searchItems<T extends SearchItem>(items: readonly T[], query: string, pinyin: PinyinMatcher | null): T[] {
  const q = normalizeQuery(query);
  if (q === '') return [...items];
  const ranked: { item: T; rank: number; i: number }[] = [];
  items.forEach((item, i) => {
    const rank = rankOf(item, q, pinyin);
    if (rank !== undefined) ranked.push({ item, rank, i });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.i - b.i);
  return ranked.map((r) => r.item);
}

function rankOf(item: SearchItem, q: string, pinyin: PinyinMatcher | null): number | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/\s+/g, '').includes(q);
  if (item.code.toLowerCase().startsWith(q) || plain(item.name)) return 0;
  const parents = item.path.slice(0, -1);
  if (parents.some(plain)) return 1;
  if (!pinyin || !isPinyinQuery(q)) return undefined;
  if (pinyin.match(item.name, q) !== false) return 2;
  if (parents.some((p) => pinyin.match(p, q) !== false)) return 3;
  return undefined;
}
