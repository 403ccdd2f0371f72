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
import { accumulate, buildSegment, type SearchDoc, type SegmentData } from './segment';
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

export interface SearchHit {
  readonly id: string;
  readonly score: number;
}

/** What is kept of a document besides its postings (for filters, phrase bonus and results). */
interface DocMeta {
  readonly id: string;
  /** Title and keywords, normalised (the phrase bonus looks here). */
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

const COVERAGE_BONUS = 2;
const PHRASE_BONUS = 0.5;
/** A second index pass ranks only this many of the best-scored documents. */
const RERANK = 200;

function metaOf(doc: SearchDoc): DocMeta {
  return {
    id: doc.id,
    head: normalText([doc.title, ...doc.keywords].join(' ')),
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

  /** The best `limit` documents for `query` that pass `filters`, best first. */
  search(query: string, options: { limit?: number; filters?: SearchFilters } = {}): SearchHit[] {
    const limit = options.limit ?? 10;
    const readings = this.readings(query.slice(0, 200));
    // Terms with the weight of their best reading; a bit per term (readings sharing a term share it).
    const termWeight = new Map<string, number>();
    const readingTerms: string[][] = [];
    for (const r of readings) {
      const terms = [...new Set(tokenize(r.text).map((t) => t.term))];
      readingTerms.push(terms);
      for (const t of terms) termWeight.set(t, Math.max(termWeight.get(t) ?? 0, r.weight));
    }
    const terms = [...termWeight.keys()].filter((t) => this.known(t));
    if (terms.length === 0) return [];
    const total = this.main.docs.length + this.recent.length;
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
    terms.forEach((t, i) => {
      const df = this.df(t);
      idf.set(t, Math.log(1 + (live - df + 0.5) / (df + 0.5)));
      bitOf.set(t, 1 << Math.min(i, 30));
      for (const part of [this.main, this.recentPart]) {
        const id = part.dictionary.get(t);
        if (id !== undefined) accumulate(part.segment, id, termWeight.get(t)! * idf.get(t)!, part.base, scores, masks, bitOf.get(t)!, touched, count);
      }
    });
    // How much of each reading a document has, by the idf of the terms it has.
    const readingBits = readingTerms.map((ts) => ts.filter((t) => bitOf.has(t)));
    const readingIdf = readingTerms.map((ts) => ts.reduce((s, t) => s + (idf.get(t) ?? Math.log(1 + live)), 0));
    const coverage = (mask: number) => {
      let best = 0;
      for (let r = 0; r < readingBits.length; r++) {
        let have = 0;
        for (const t of readingBits[r]!) if (mask & bitOf.get(t)!) have += idf.get(t)!;
        best = Math.max(best, readingIdf[r]! > 0 ? have / readingIdf[r]! : 0);
      }
      return best;
    };
    // First pass: score × coverage for every document touched, keeping the best RERANK.
    const keep = Math.max(limit, RERANK);
    const filters = options.filters;
    const best = new TopK(keep);
    for (let i = 0; i < count.n; i++) {
      const g = touched[i]!;
      const s = scores[g]!;
      const m = masks[g]!;
      scores[g] = 0;
      masks[g] = 0;
      if (g < this.main.docs.length && this.masked.has(g)) continue;
      if (filters && !passes(this.meta(g), filters)) continue;
      const c = coverage(m);
      best.offer(g, s * (1 + COVERAGE_BONUS * c * c));
    }
    // Second pass over the few: filters, and the phrase as typed (or as read) in title or keywords.
    const phrases = readings.map((r) => ({ text: r.text.replace(/[^\p{L}\p{N}]+/gu, ''), weight: r.weight })).filter((p) => p.text.length >= 2);
    const hits: SearchHit[] = [];
    for (const { doc: g, score } of best.sorted()) {
      const meta = this.meta(g);
      const head = meta.head.replace(/[^\p{L}\p{N}]+/gu, '');
      const phrase = phrases.reduce((w, p) => (head.includes(p.text) ? Math.max(w, p.weight) : w), 0);
      hits.push({ id: meta.id, score: score * (1 + PHRASE_BONUS * phrase) });
    }
    hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return hits.slice(0, limit);
  }

  private meta(g: number): DocMeta {
    return g < this.main.docs.length ? this.main.docs[g]! : this.recentPart.docs[g - this.main.docs.length]!;
  }

  /**
   * Where `text` (a title, keywords or a body) matches `query` through any of its readings:
   * [start, end) ranges in `text`, merged, for <mark>-ing as data (never as markup).
   */
  highlight(text: string, query: string): [number, number][] {
    const wanted = new Set<string>();
    for (const r of this.readings(query.slice(0, 200))) for (const t of tokenize(r.text)) wanted.add(t.term);
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
  }
}

function passes(meta: DocMeta, f: SearchFilters): boolean {
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
  private swap(a: number, b: number): void {
    [this.docs[a], this.docs[b]] = [this.docs[b]!, this.docs[a]!];
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
  }
  sorted(): { doc: number; score: number }[] {
    return this.docs.map((doc, i) => ({ doc, score: this.scores[i]! })).sort((a, b) => b.score - a.score);
  }
}
