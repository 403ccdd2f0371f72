/**
 * Measuring the knowledge search's ranking against graded judgements (`npm run kb:rank`, and the
 * test that holds the level reached): precision@3 and nDCG@5, overall and per kind of query.
 * Input is JSON lines, validated line by line with a clear message naming the bad line.
 */
import { z } from 'zod';
import type { KnowledgeIndex, SearchDoc } from './knowledge-index';

/** An article line: the platform's article format (validity optional: in force from the start). */
export const articleLineSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().max(200),
  body: z.string().max(1_000_000),
  hotlines: z.array(z.string().max(16)).max(20).default([]),
  keywords: z.array(z.string().max(30)).max(50).default([]),
  unitCode: z.string().max(32).optional(),
  categoryCode: z.string().max(32).optional(),
  validFrom: z.string().max(10).default('1970-01-01'),
  validTo: z.string().max(10).optional(),
});

/** A query line; `relevant` (article id → grade 1–3) and `kind` when it is a judgement. */
export const queryLineSchema = z.object({
  q: z.string().max(1000),
  kind: z.string().max(32).optional(),
  relevant: z.record(z.string(), z.number().int().min(0).max(3)).optional(),
});
export type QueryLine = z.infer<typeof queryLineSchema>;

/** Parse JSON lines with `schema`; a bad line throws naming its number (blank lines are skipped). */
export function parseLines<T>(text: string, schema: z.ZodType<T>, what: string): T[] {
  const out: T[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${what} line ${i + 1}: not JSON`);
    }
    const r = schema.safeParse(value);
    if (!r.success) throw new Error(`${what} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.') || '(line)'} ${x.message}`).join('; ')}`);
    out.push(r.data);
  });
  return out;
}

export function toSearchDoc(a: z.infer<typeof articleLineSchema>): SearchDoc {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    keywords: a.keywords,
    hotlines: a.hotlines,
    validFrom: a.validFrom,
    ...(a.unitCode ? { unitCode: a.unitCode } : {}),
    ...(a.categoryCode ? { categoryCode: a.categoryCode } : {}),
    ...(a.validTo ? { validTo: a.validTo } : {}),
  };
}

/** Share of the first `k` results that are relevant (grade ≥ 1); fewer than k results count as misses. */
export function precisionAt(ranked: readonly string[], relevant: Readonly<Record<string, number>>, k: number): number {
  return ranked.slice(0, k).filter((id) => (relevant[id] ?? 0) > 0).length / k;
}

/** nDCG@k with gains 2^grade − 1 against the ideal order of the judged grades. */
export function ndcgAt(ranked: readonly string[], relevant: Readonly<Record<string, number>>, k: number): number {
  const dcg = (grades: number[]) => grades.slice(0, k).reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg(Object.values(relevant).sort((a, b) => b - a));
  return ideal === 0 ? 0 : dcg(ranked.map((id) => relevant[id] ?? 0)) / ideal;
}

export interface Scores {
  readonly queries: number;
  readonly precisionAt3: number;
  readonly ndcgAt5: number;
}

export interface Evaluation {
  readonly overall: Scores;
  readonly byKind: Readonly<Record<string, Scores>>;
  readonly perQuery: readonly { q: string; kind?: string; ids: string[]; precisionAt3: number; ndcgAt5: number }[];
}

/** Run every judged query through `index` (top `top`) and score the rankings. */
export function evaluate(index: KnowledgeIndex, judgements: readonly QueryLine[], top = 10): Evaluation {
  const perQuery = judgements
    .filter((j) => j.relevant)
    .map((j) => {
      const ids = index.search(j.q, { limit: top }).map((h) => h.id);
      return { q: j.q, ...(j.kind ? { kind: j.kind } : {}), ids, precisionAt3: precisionAt(ids, j.relevant!, 3), ndcgAt5: ndcgAt(ids, j.relevant!, 5) };
    });
  const mean = (rows: typeof perQuery): Scores => ({
    queries: rows.length,
    precisionAt3: rows.length ? rows.reduce((s, r) => s + r.precisionAt3, 0) / rows.length : 0,
    ndcgAt5: rows.length ? rows.reduce((s, r) => s + r.ndcgAt5, 0) / rows.length : 0,
  });
  const kinds = [...new Set(perQuery.map((r) => r.kind ?? 'other'))].sort();
  return { overall: mean(perQuery), byKind: Object.fromEntries(kinds.map((k) => [k, mean(perQuery.filter((r) => (r.kind ?? 'other') === k))])), perQuery };
}
