/**
 * What a query may also mean: abbreviations and synonyms (个税 → 个人所得税, 社保 ↔ 社会保险) from a
 * table the platform serves and administrators edit, and common character confusions (公基金 →
 * 公积金) tried only where the typed words are not in the index.
 */
import { normalText } from './tokenize';

/**
 * One row of the synonym table: `terms` mean the same (each is found by any other). `oneWay`:
 * only the first is expanded to the others (an abbreviation: 个税 → 个人所得税, not back).
 */
export interface SynonymRow {
  readonly terms: readonly string[];
  readonly oneWay?: boolean;
}

/** A reading of the query and how much a match on it counts (the typed words count 1). */
export interface Variant {
  readonly text: string;
  readonly weight: number;
}

export const SYNONYM_WEIGHT = 0.9;
export const TYPO_WEIGHT = 0.8;
/** At most this many readings per query (each costs a pass over its terms' postings). */
const MAX_VARIANTS = 6;

/** Synonym rows compiled for look-up: each expandable term → what it expands to. */
export function compileSynonyms(rows: readonly SynonymRow[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const link = (from: string, to: string) => {
    const f = normalText(from.trim());
    const t = normalText(to.trim());
    if (!f || !t || f === t) return;
    const list = map.get(f) ?? [];
    if (!list.includes(t)) list.push(t);
    map.set(f, list);
  };
  for (const row of rows) {
    const [first, ...rest] = row.terms;
    if (first === undefined) continue;
    for (const other of rest) {
      link(first, other);
      if (!row.oneWay) link(other, first);
    }
    if (!row.oneWay) for (const a of rest) for (const b of rest) link(a, b);
  }
  return map;
}

/** The query's readings through the synonym table: each row that occurs in it, replaced once. */
export function synonymVariants(query: string, synonyms: ReadonlyMap<string, readonly string[]>): Variant[] {
  const q = normalText(query);
  const out: Variant[] = [];
  // Longest first: 社会保险 is replaced before a shorter entry inside it.
  const keys = [...synonyms.keys()].filter((k) => q.includes(k)).sort((a, b) => b.length - a.length);
  for (const key of keys) {
    for (const to of synonyms.get(key)!) {
      const text = q.split(key).join(to);
      if (text !== q && !out.some((v) => v.text === text)) out.push({ text, weight: SYNONYM_WEIGHT });
      if (out.length >= MAX_VARIANTS) return out;
    }
  }
  return out;
}

/**
 * Characters typed for one another (same sound or shape) in citizens' and agents' wording. Kept
 * short and specific: each pair is tried only where the typed pair of characters is not in the index.
 */
export const CONFUSIONS: readonly (readonly [string, string])[] = [
  ['基', '积'],
  ['帐', '账'],
  ['即', '既'],
  ['在', '再'],
  ['做', '作'],
  ['像', '象'],
  ['份', '分'],
  ['侯', '候'],
  ['辩', '辨'],
  ['拔', '拨'],
  ['历', '厉'],
  ['型', '形'],
  ['保', '报'],
  ['证', '正'],
  ['续', '须'],
  ['缴', '交'],
  ['费', '废'],
  ['户', '护'],
  ['籍', '级'],
  ['险', '检'],
  ['贴', '帖'],
  ['补', '捕'],
  ['申', '伸'],
  ['退', '褪'],
  ['养', '氧'],
  ['医', '依'],
];

const confusable = new Map<string, string[]>();
for (const [a, b] of CONFUSIONS) {
  confusable.set(a, [...(confusable.get(a) ?? []), b]);
  confusable.set(b, [...(confusable.get(b) ?? []), a]);
}

/**
 * Readings with one character exchanged for a confusable one, where a pair of Han characters of
 * the query is unknown to the index (`known`) and the exchange makes it known.
 */
export function typoVariants(query: string, known: (pair: string) => boolean): Variant[] {
  const q = normalText(query);
  const chars = [...q];
  const out: Variant[] = [];
  for (let i = 0; i + 1 < chars.length && out.length < MAX_VARIANTS; i++) {
    const pair = chars[i]! + chars[i + 1]!;
    if (!/^\p{Script=Han}{2}$/u.test(pair) || known(pair)) continue;
    for (const at of [i, i + 1]) {
      for (const alt of confusable.get(chars[at]!) ?? []) {
        const next = [...chars];
        next[at] = alt;
        if (!known(next[i]! + next[i + 1]!)) continue;
        const text = next.join('');
        if (!out.some((v) => v.text === text)) out.push({ text, weight: TYPO_WEIGHT });
      }
    }
  }
  return out;
}
