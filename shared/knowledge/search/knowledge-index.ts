/**
 * The knowledge search index: BM25F over character pairs (segment.ts), with
 *
 * - readings of the query through the synonym table and character confusions (expand.ts), each
 *   term counted by its best reading;
 * - a coverage bonus: a document that has all of a reading's terms (the phrase, in any order)
 *   outranks one that has many of a few common ones, and one with the reading as typed in its
 *   title or keywords gets a phrase bonus;
 * - filters (in force on a day, hotline, unit, category) and highlights.
 *
 * An index is one main segment plus the documents changed since it was built (a small second
 * segment rebuilt on each update; replaced documents are masked in the main one). Pure: no DOM,
 * no Node built-ins; the workstation runs it in a Web Worker, `kb:rank` in Node.
 */
import { accumulate, buildSegment, impactWeight, type SearchDoc, type SegmentData } from './segment';
import { compileSynonyms, synonymVariants, typoVariants, type SynonymRow, type Variant } from './expand';
import { TOKENIZER_VERSION, eachTerm, normalText, tokenize } from './tokenize';

export type { SearchDoc } from './segment';
export type { SynonymRow } from './expand';

export interface SearchFilters {
  /** In force on this day (YYYY-MM-DD, Shanghai): validFrom ≤ day ≤ validTo. */
  readonly day?: string;
  readonly hotline?: string;
  readonly unitCode?: string;
  /** The category or any below it (01.01 matches 01.01.03). */
  readonly categoryCode?: string;
}

export interface SearchOptions {
  readonly limit?: number;
  readonly filters?: SearchFilters;
  /** The query is read up to this many characters (default MAX_QUERY_CHARS). */
  readonly maxChars?: number;
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
}

/** What is kept of a document besides its postings (for filters, phrase bonus and results). */
interface DocMeta {
  readonly id: string;
  /** Title and keywords, normalised, letters and digits only (the phrase bonus looks here). */
  readonly head: string;
  readonly hotlines: readonly string[];
  readonly unitCode?: string;
  readonly categoryCode?: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

/** The persisted form (IndexedDB keeps it as is; typed arrays stay typed arrays). */
export interface KnowledgeIndexData {
  readonly tokenizer: number;
  readonly docs: readonly DocMeta[];
  readonly main: SegmentData;
  readonly avgLength: number;
  /** Main-segment documents replaced or withdrawn since the build. */
  readonly masked: readonly number[];
  /** Documents added or replaced since the build, whole (their segment is rebuilt from them). */
  readonly recent: readonly SearchDoc[];
}

/** A typed query is read up to this length; longer texts (suggestions) say how much to read. */
export const MAX_QUERY_CHARS = 200;
/** Terms a query is scored on (each has a bit in a 32-bit mask; two bits are taken). */
const MAX_TERMS = 30;
const COVERAGE_BONUS = 2;
const PHRASE_BONUS = 0.5;
/** A second index pass ranks only this many of the best-scored documents. */
const RERANK = 50;
/** A mask bit no query term uses: documents already scored, during the scan of common terms. */
const SEEN = 1 << 30;

function metaOf(doc: SearchDoc): DocMeta {
  return {
    id: doc.id,
    head: compact(normalText([doc.title, ...doc.keywords].join(' '))),
    hotlines: doc.hotlines,
    ...(doc.unitCode ? { unitCode: doc.unitCode } : {}),
    ...(doc.categoryCode ? { categoryCode: doc.categoryCode } : {}),
    validFrom: doc.validFrom,
    ...(doc.validTo ? { validTo: doc.validTo } : {}),
  };
}

class Part {
  readonly dictionary: Map<string, number>;
  constructor(
    readonly segment: SegmentData,
    readonly docs: readonly DocMeta[],
    readonly base: number,
  ) {
    this.dictionary = new Map(segment.terms.map((t, i) => [t, i]));
  }
}

export class KnowledgeIndex {
  private readonly main: Part;
  private recentPart: Part;
  private readonly masked: Set<number>;
  private recent: SearchDoc[];
  private synonyms: Map<string, string[]>;
  private scores = new Float32Array(0);
  private masks = new Uint32Array(0);
  private touched = new Int32Array(0);

  private constructor(
    main: SegmentData,
    docs: readonly DocMeta[],
    private readonly avgLength: number,
    masked: Iterable<number>,
    recent: readonly SearchDoc[],
    synonyms: readonly SynonymRow[],
  ) {
    this.main = new Part(main, docs, 0);
    this.masked = new Set(masked);
    this.recent = [...recent];
    this.recentPart = this.buildRecent();
    this.synonyms = compileSynonyms(synonyms);
  }

  /** Build over `docs` (in a worker: ~100,000 articles take seconds). */
  static build(docs: readonly SearchDoc[], synonyms: readonly SynonymRow[] = []): KnowledgeIndex {
    const unique = [...new Map(docs.map((d) => [d.id, d])).values()];
    const { segment, avgLength } = buildSegment(unique);
    return new KnowledgeIndex(segment, unique.map(metaOf), avgLength, [], [], synonyms);
  }

  /** The index from its persisted form; undefined when it was made by other tokenizer rules. */
  static load(data: KnowledgeIndexData, synonyms: readonly SynonymRow[] = []): KnowledgeIndex | undefined {
    if (data.tokenizer !== TOKENIZER_VERSION) return undefined;
    return new KnowledgeIndex(data.main, data.docs, data.avgLength, data.masked, data.recent, synonyms);
  }

  toData(): KnowledgeIndexData {
    return { tokenizer: TOKENIZER_VERSION, docs: this.main.docs, main: this.main.segment, avgLength: this.avgLength, masked: [...this.masked], recent: this.recent };
  }

  setSynonyms(rows: readonly SynonymRow[]): void {
    this.synonyms = compileSynonyms(rows);
  }

  /** Documents searchable now. */
  get size(): number {
    return this.main.docs.length - this.masked.size + this.recent.length;
  }

  /**
   * Articles added or changed (`upserts`) and withdrawn (`removed` ids): searchable at once. The
   * changed ones are kept whole in a small segment; rebuild (build()) when it has grown large.
   */
  update(upserts: readonly SearchDoc[], removed: readonly string[] = []): void {
    const gone = new Set([...removed, ...upserts.map((d) => d.id)]);
    this.main.docs.forEach((d, i) => {
      if (gone.has(d.id)) this.masked.add(i);
    });
    const byId = new Map(this.recent.filter((d) => !gone.has(d.id)).map((d) => [d.id, d]));
    for (const d of upserts) byId.set(d.id, d);
    this.recent = [...byId.values()];
    this.recentPart = this.buildRecent();
  }

  /** How many documents are kept outside the main segment (a rebuild folds them in). */
  get recentCount(): number {
    return this.recent.length;
  }

  private buildRecent(): Part {
    return new Part(buildSegment(this.recent, this.avgLength).segment, this.recent.map(metaOf), this.main.docs.length);
  }

  /** Whether a term occurs anywhere (typo readings are tried only for unknown pairs). */
  private known(term: string): boolean {
    return this.main.dictionary.has(term) || this.recentPart.dictionary.has(term);
  }

  private df(term: string): number {
    const a = this.main.dictionary.get(term);
    const b = this.recentPart.dictionary.get(term);
    return (a === undefined ? 0 : this.main.segment.df[a]!) + (b === undefined ? 0 : this.recentPart.segment.df[b]!);
  }

  /** The query's readings: as typed, through synonyms, and with confused characters corrected. */
  readings(query: string): Variant[] {
    const typed: Variant = { text: normalText(query), weight: 1 };
    const variants = [typed, ...synonymVariants(query, this.synonyms)];
    for (const v of [...variants]) for (const t of typoVariants(v.text, (p) => this.known(p))) if (!variants.some((x) => x.text === t.text)) variants.push({ text: t.text, weight: Math.min(v.weight, t.weight) });
    return variants;
  }

  /**
   * At most MAX_TERMS terms (one mask bit each): a long text (an order's content) keeps the ones
   * that say most — rare terms of its strongest readings — in the order they came.
   */
  private mostTelling(terms: string[], weight: ReadonlyMap<string, number>): string[] {
    if (terms.length <= MAX_TERMS) return terms;
    const value = (t: string) => weight.get(t)! / (1 + this.df(t));
    const kept = new Set([...terms].sort((a, b) => value(b) - value(a)).slice(0, MAX_TERMS));
    return terms.filter((t) => kept.has(t));
  }

  /** The hotlines, units and top-level categories of the searchable documents (for filters). */
  facets(): { hotlines: string[]; unitCodes: string[]; categoryCodes: string[] } {
    const hotlines = new Set<string>();
    const units = new Set<string>();
    const categories = new Set<string>();
    const add = (m: DocMeta) => {
      for (const h of m.hotlines) hotlines.add(h);
      if (m.unitCode) units.add(m.unitCode);
      if (m.categoryCode) categories.add(m.categoryCode.split('.')[0]!);
    };
    this.main.docs.forEach((m, i) => {
      if (!this.masked.has(i)) add(m);
    });
    this.recentPart.docs.forEach(add);
    const sorted = (s: Set<string>) => [...s].sort();
    return { hotlines: sorted(hotlines), unitCodes: sorted(units), categoryCodes: sorted(categories) };
  }

  /** The best `limit` documents for `query` that pass `filters`, best first. */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = options.limit ?? 10;
    const filters = options.filters;
    const readings = this.readings(query.slice(0, options.maxChars ?? MAX_QUERY_CHARS));
    // Terms with the weight of their best reading, a bit each (readings sharing a term share it).
    const termWeight = new Map<string, number>();
    const readingTerms = readings.map((r) => [...new Set(tokenize(r.text).map((t) => t.term))]);
    readings.forEach((r, i) => {
      for (const t of readingTerms[i]!) termWeight.set(t, Math.max(termWeight.get(t) ?? 0, r.weight));
    });
    const terms = this.mostTelling([...termWeight.keys()].filter((t) => this.known(t)), termWeight);
    if (terms.length === 0) return [];
    const mainSize = this.main.docs.length;
    const total = mainSize + this.recent.length;
    const live = Math.max(1, this.size);
    if (this.scores.length < total) {
      this.scores = new Float32Array(total);
      this.masks = new Uint32Array(total);
      this.touched = new Int32Array(total);
    }
    const { scores, masks, touched } = this;
    const count = { n: 0 };
    const idf = new Map<string, number>();
    const bitOf = new Map<string, number>();
    // Dense (common) terms per part: their columns and weights, looked up per document below.
    const denseCols: { part: Part; id: number; at: number; w: number; bit: number }[] = [];
    let denseBound = 0;
    terms.forEach((t, i) => {
      const df = this.df(t);
      idf.set(t, Math.log(1 + (live - df + 0.5) / (df + 0.5)));
      const weight = termWeight.get(t)! * idf.get(t)!;
      bitOf.set(t, 1 << i);
      let dense = false;
      for (const part of [this.main, this.recentPart]) {
        const id = part.dictionary.get(t);
        if (id === undefined) continue;
        const at = part.segment.denseAt[id]!;
        if (at >= 0) {
          denseCols.push({ part, id, at, w: impactWeight(1) * weight, bit: 1 << i });
          dense = true;
        } else accumulate(part.segment, id, weight, part.base, scores, masks, 1 << i, touched, count);
      }
      if (dense) denseBound += weight * impactWeight(255);
    });
    // The documents the rarer terms found get the common terms' weights (column by column).
    const found = count.n;
    for (const c of denseCols) {
      const { dense, size } = c.part.segment;
      const base = c.part.base;
      for (let i = 0; i < found; i++) {
        const local = touched[i]! - base;
        if (local < 0 || local >= size) continue;
        const v = dense[c.at + local]!;
        if (v) {
          scores[base + local]! += c.w * v;
          masks[base + local]! |= c.bit;
        }
      }
    }
    const bonus = this.coverage(readingTerms, bitOf, idf, live, terms.length);
    const best = new TopK(Math.max(limit, RERANK));
    const offer = (g: number, score: number) => {
      if (best.full() && score <= best.min()) return;
      if (g < mainSize && this.masked.has(g)) return;
      if (filters && !passesFilters(this.meta(g), filters)) return;
      best.offer(g, score);
    };
    for (let i = 0; i < found; i++) {
      const g = touched[i]!;
      offer(g, scores[g]! * bonus(masks[g]!));
    }
    // Documents with only common terms, when they could still make the list: the heads of the
    // terms' lists by impact, best first, each document scored whole, until no document further
    // down could beat the list (Fagin's threshold algorithm).
    const allDense = denseCols.reduce((m, c) => m | c.bit, 0);
    if (denseCols.length > 0 && (!best.full() || best.min() < denseBound * bonus(allDense))) {
      for (let i = 0; i < found; i++) masks[touched[i]!]! |= SEEN;
      const cursors = denseCols.map((c) => ({ c, at: c.part.segment.orderAt[c.id]!, pos: 0, end: c.part.segment.df[c.id]! }));
      const head = (k: (typeof cursors)[number]) => (k.pos < k.end ? k.c.w * k.c.part.segment.dense[k.c.at + k.c.part.segment.order[k.at + k.pos]!]! : 0);
      for (;;) {
        let threshold = 0;
        let next: (typeof cursors)[number] | undefined;
        let nextHead = 0;
        for (const k of cursors) {
          const h = head(k);
          threshold += h;
          if (h > nextHead) {
            nextHead = h;
            next = k;
          }
        }
        if (!next || (best.full() && best.min() >= threshold * bonus(allDense))) break;
        const g = next.c.part.base + next.c.part.segment.order[next.at + next.pos++]!;
        if (masks[g]! & SEEN) continue;
        let score = 0;
        let mask = 0;
        for (const c of denseCols) {
          if (c.part.base !== next.c.part.base) continue;
          const v = c.part.segment.dense[c.at + g - c.part.base]!;
          if (v) {
            score += c.w * v;
            mask |= c.bit;
          }
        }
        masks[g] = SEEN;
        touched[count.n++] = g;
        offer(g, score * bonus(mask));
      }
    }
    for (let i = 0; i < count.n; i++) {
      scores[touched[i]!] = 0;
      masks[touched[i]!] = 0;
    }
    // The few best: the reading as typed (or as read) in the title or keywords counts extra.
    const phrases = readings.map((r) => ({ text: compact(r.text), weight: r.weight })).filter((p) => p.text.length >= 2);
    const hits: SearchHit[] = [];
    for (const { doc: g, score } of best.sorted()) {
      const meta = this.meta(g);
      const phrase = phrases.reduce((w, p) => (meta.head.includes(p.text) ? Math.max(w, p.weight) : w), 0);
      hits.push({ id: meta.id, score: score * (1 + PHRASE_BONUS * phrase) });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return hits.slice(0, limit);
  }

  /**
   * The coverage bonus per mask of query terms: how much of its best reading a document has (by
   * the idf of the terms it has), squared — all of a phrase beats much of a common word.
   */
  private coverage(readingTerms: readonly string[][], bitOf: ReadonlyMap<string, number>, idf: ReadonlyMap<string, number>, live: number, bits: number): (mask: number) => number {
    const readings = readingTerms.map((ts) => {
      const have = ts.filter((t) => bitOf.has(t));
      return { bits: have.map((t) => bitOf.get(t)!), idfs: have.map((t) => idf.get(t)!), total: ts.reduce((s, t) => s + (idf.get(t) ?? Math.log(1 + live)), 0) };
    });
    const compute = (mask: number) => {
      let best = 0;
      for (const r of readings) {
        let have = 0;
        for (let i = 0; i < r.bits.length; i++) if (mask & r.bits[i]!) have += r.idfs[i]!;
        if (r.total > 0) best = Math.max(best, have / r.total);
      }
      return 1 + COVERAGE_BONUS * best * best;
    };
    if (bits <= 12) {
      const table = new Float64Array(1 << bits);
      for (let m = 0; m < table.length; m++) table[m] = compute(m);
      return (mask) => table[mask]!;
    }
    const memo = new Map<number, number>();
    return (mask) => {
      let b = memo.get(mask);
      if (b === undefined) memo.set(mask, (b = compute(mask)));
      return b;
    };
  }

  private meta(g: number): DocMeta {
    return g < this.main.docs.length ? this.main.docs[g]! : this.recentPart.docs[g - this.main.docs.length]!;
  }

  /**
   * Where `text` (a title, keywords or a body) matches `query` through any of its readings:
   * [start, end) ranges in `text`, merged, for <mark>-ing as data (never as markup).
   */
  highlight(text: string, query: string): [number, number][] {
    return this.highlighter(query)(text);
  }

  /** highlight() for many texts and one query: the query's readings are worked out once. */
  highlighter(query: string): (text: string) => [number, number][] {
    const wanted = new Set<string>();
    for (const r of this.readings(query.slice(0, MAX_QUERY_CHARS))) for (const t of tokenize(r.text)) wanted.add(t.term);
    return (text) => {
      const ranges: [number, number][] = [];
      eachTerm(
        text,
        (term, start, length) => {
          if (!wanted.has(term)) return;
          const last = ranges[ranges.length - 1];
          if (last && start <= last[1]) last[1] = Math.max(last[1], start + length);
          else ranges.push([start, start + length]);
        },
        true,
      );
      return ranges;
    };
  }
}

/** Letters and digits only (a phrase matches across punctuation and spaces). */
function compact(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Whether an article (or what the index keeps of it) passes the filters. */
export function passesFilters(meta: Pick<DocMeta, 'hotlines' | 'unitCode' | 'categoryCode' | 'validFrom' | 'validTo'>, f: SearchFilters): boolean {
  if (f.day !== undefined && (meta.validFrom > f.day || (meta.validTo !== undefined && meta.validTo < f.day))) return false;
  if (f.hotline !== undefined && !meta.hotlines.includes(f.hotline)) return false;
  if (f.unitCode !== undefined && meta.unitCode !== f.unitCode) return false;
  if (f.categoryCode !== undefined && !(meta.categoryCode === f.categoryCode || meta.categoryCode?.startsWith(`${f.categoryCode}.`))) return false;
  return true;
}

/** The k best (document, score) pairs offered, kept in a min-heap. */
class TopK {
  private readonly docs: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}
  offer(doc: number, score: number): void {
    const { docs, scores } = this;
    if (docs.length < this.k) {
      docs.push(doc);
      scores.push(score);
      let i = docs.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (scores[p]! <= scores[i]!) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    if (score <= scores[0]!) return;
    docs[0] = doc;
    scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < docs.length && scores[l]! < scores[m]!) m = l;
      if (r < docs.length && scores[r]! < scores[m]!) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }
  full(): boolean {
    return this.docs.length >= this.k;
  }
  min(): number {
    return this.scores[0] ?? 0;
  }
  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
  sorted(): { doc: number; score: number }[] {
    return this.docs.map((doc, i) => ({ doc, score: this.scores[i]! })).sort((a, b) => b.score - a.score);
  }
}
