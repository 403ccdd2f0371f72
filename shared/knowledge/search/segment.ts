/**
 * One immutable piece of the knowledge index: its documents' terms as postings in typed arrays.
 *
 *   terms     the dictionary, a term's number is its place here
 *   df        documents per term
 *   docStart  where a term's postings start in docBytes (document numbers as varint gaps, ascending)
 *   impStart  where they start in impacts (one byte per posting: the BM25F weight of the term in
 *             that document, 1–255, computed at build time from its fields and length)
 *   denseAt   for a term in more than a quarter of the documents: where its impacts start in
 *             dense, one byte per document (0: not in it), else -1 (and no postings above)
 *   orderAt   for such a term: where its documents start in order, best impact first (a query of
 *             common terms only reads the heads of these lists, see KnowledgeIndex.search)
 *
 * A posting costs ~2–3 bytes, so 100,000 articles fit in tens of MB and a query reads only the
 * lists of its own terms. A common term (怎么, 办理) is a column of bytes instead: no larger, and a
 * query looks up only the documents its rarer terms found (see KnowledgeIndex.search).
 * Plain data (structured-clone and IndexedDB friendly): persisted as is.
 */
import { eachTerm } from './tokenize';

/** What the index needs of an article (shared/knowledge/routes.ts Article has all of it). */
export interface SearchDoc {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly keywords: readonly string[];
  readonly hotlines: readonly string[];
  readonly unitCode?: string;
  readonly categoryCode?: string;
  readonly validFrom: string;
  readonly validTo?: string;
}

export interface SegmentData {
  readonly terms: readonly string[];
  readonly df: Uint32Array;
  readonly docStart: Uint32Array;
  readonly impStart: Uint32Array;
  readonly docBytes: Uint8Array;
  readonly impacts: Uint8Array;
  readonly denseAt: Int32Array;
  readonly dense: Uint8Array;
  readonly orderAt: Int32Array;
  readonly order: Uint32Array;
  /** Documents in the segment. */
  readonly size: number;
}

/** A term in more than this share of the documents is kept as a dense column. */
const DENSE_SHARE = 0.1;

/** Field weights (BM25F): a word in the title or the keywords says more than one in the body. */
export const FIELD_WEIGHT = { title: 3, keywords: 2, body: 1 } as const;
const K1 = 1.2;
const B = 0.75;
const MAX_IMPACT = K1 + 1;

class Growable {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Build a segment over `docs` (numbered 0…n-1 in this order). `avgLength`: the weighted length
 * documents are normalised against — the whole index's, so that a small segment of updates scores
 * like the main one; by default these documents' own average (returned either way).
 */
export function buildSegment(docs: readonly SearchDoc[], avgLength?: number): { segment: SegmentData; avgLength: number } {
  const dictionary = new Map<string, number>();
  const terms: string[] = [];
  // Pass 1: per document its distinct terms with their weighted frequency.
  const postTerm = new Growable(docs.length * 64 + 16);
  const postTf = new Growable(docs.length * 64 + 16);
  const docEnd = new Uint32Array(docs.length);
  const lengths = new Float64Array(docs.length);
  let slotOf = new Int32Array(1024).fill(-1); // term → slot in the current document's list
  const docTerms: number[] = [];
  const docTf: number[] = [];
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    let length = 0;
    const add = (weight: number) => (term: string) => {
      let id = dictionary.get(term);
      if (id === undefined) {
        id = terms.length;
        dictionary.set(term, id);
        terms.push(term);
        if (id >= slotOf.length) {
          const next = new Int32Array(slotOf.length * 2).fill(-1);
          next.set(slotOf);
          slotOf = next;
        }
      }
      length += weight;
      const slot = slotOf[id]!;
      if (slot < 0) {
        slotOf[id] = docTerms.length;
        docTerms.push(id);
        docTf.push(weight);
      } else {
        docTf[slot]! += weight;
      }
    };
    const title = add(FIELD_WEIGHT.title);
    const keyword = add(FIELD_WEIGHT.keywords);
    eachTerm(doc.title, title, true);
    for (const k of doc.keywords) eachTerm(k, keyword, true);
    for (const h of doc.hotlines) eachTerm(h, keyword);
    eachTerm(doc.body, add(FIELD_WEIGHT.body));
    lengths[d] = length;
    for (let i = 0; i < docTerms.length; i++) {
      postTerm.push(docTerms[i]!);
      postTf.push(docTf[i]!);
      slotOf[docTerms[i]!] = -1;
    }
    docEnd[d] = postTerm.length;
    docTerms.length = 0;
    docTf.length = 0;
  }
  // Pass 2: postings grouped by term (a counting sort keeps documents ascending within a term);
  // common terms as dense columns.
  const T = terms.length;
  const N = docs.length;
  const df = new Uint32Array(T);
  for (let i = 0; i < postTerm.length; i++) df[postTerm.data[i]!]!++;
  const denseAt = new Int32Array(T).fill(-1);
  let denseTerms = 0;
  for (let t = 0; t < T; t++) if (df[t]! > N * DENSE_SHARE && N >= 8) denseAt[t] = denseTerms++ * N;
  const dense = new Uint8Array(denseTerms * N);
  const impStart = new Uint32Array(T + 1);
  for (let t = 0; t < T; t++) impStart[t + 1] = impStart[t]! + (denseAt[t]! < 0 ? df[t]! : 0);
  const fill = impStart.slice(0, T);
  const postDoc = new Uint32Array(impStart[T]!);
  const impacts = new Uint8Array(impStart[T]!);
  let sum = 0;
  for (let i = 0; i < N; i++) sum += lengths[i]!;
  const avg = avgLength !== undefined && avgLength > 0 ? avgLength : Math.max(1, sum / Math.max(1, N));
  let d = 0;
  for (let i = 0; i < postTerm.length; i++) {
    while (i >= docEnd[d]!) d++;
    const t = postTerm.data[i]!;
    const tf = postTf.data[i]!;
    const w = (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lengths[d]!) / avg));
    const impact = Math.max(1, Math.min(255, Math.round((w / MAX_IMPACT) * 255)));
    if (denseAt[t]! >= 0) {
      dense[denseAt[t]! + d] = impact;
    } else {
      const at = fill[t]!++;
      postDoc[at] = d;
      impacts[at] = impact;
    }
  }
  // Dense terms' documents by impact, best first (ties in document order).
  const orderAt = new Int32Array(T).fill(-1);
  let orderLength = 0;
  for (let t = 0; t < T; t++) if (denseAt[t]! >= 0) orderLength += df[t]!;
  const order = new Uint32Array(orderLength);
  let o = 0;
  for (let t = 0; t < T; t++) {
    if (denseAt[t]! < 0) continue;
    orderAt[t] = o;
    const column = dense.subarray(denseAt[t]!, denseAt[t]! + N);
    const byImpact = new Uint32Array(257);
    for (let i = 0; i < N; i++) if (column[i]) byImpact[256 - column[i]!]!++;
    for (let b = 1; b < 257; b++) byImpact[b]! += byImpact[b - 1]!;
    for (let i = N - 1; i >= 0; i--) if (column[i]) order[o + --byImpact[256 - column[i]!]!] = i;
    o += df[t]!;
  }
  // Document numbers as varint gaps.
  const docStart = new Uint32Array(T + 1);
  const bytes = new Uint8Array(postDoc.length * 3 + 16);
  let p = 0;
  for (let t = 0; t < T; t++) {
    docStart[t] = p;
    let last = 0;
    for (let i = impStart[t]!; i < impStart[t + 1]!; i++) {
      let gap = postDoc[i]! - last;
      last = postDoc[i]!;
      while (gap >= 0x80) {
        bytes[p++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      bytes[p++] = gap;
    }
  }
  docStart[T] = p;
  return { segment: { terms, df, docStart, impStart, docBytes: bytes.slice(0, p), impacts, denseAt, dense, orderAt, order, size: N }, avgLength: avg };
}

/** The impact byte back to the BM25F term weight. */
export const impactWeight = (b: number) => (b / 255) * MAX_IMPACT;

/**
 * Add `weight` × each posting's impact of the sparse term `t` to `scores` (by document number +
 * `base`), setting `bit` in `masks`; a document's first score puts it in `touched`.
 */
export function accumulate(seg: SegmentData, t: number, weight: number, base: number, scores: Float32Array, masks: Uint32Array, bit: number, touched: Int32Array, touchedCount: { n: number }): void {
  const end = seg.docStart[t + 1]!;
  let p = seg.docStart[t]!;
  let imp = seg.impStart[t]!;
  let doc = 0;
  const bytes = seg.docBytes;
  const impacts = seg.impacts;
  const w = (weight * MAX_IMPACT) / 255;
  while (p < end) {
    let gap = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      gap |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    doc += gap;
    const g = base + doc;
    if (masks[g] === 0) touched[touchedCount.n++] = g;
    scores[g]! += w * impacts[imp++]!;
    masks[g]! |= bit;
  }
}
