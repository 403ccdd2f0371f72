/**
 * `npm run -s kb:rank -- --articles A.jsonl --queries Q.jsonl [--top 10] [--synonyms FILE] [--judgements]`
 *
 * For knowledge administrators: runs the workstation's search engine and configuration over a
 * city's own articles and queries, one JSON line per query: {"q": "...", "ids": [ranked ids]}.
 * With --judgements (queries carrying "relevant": {"id": grade}) it then prints precision@3 and
 * nDCG@5 overall and per query kind. The synonym table is the demo city's unless --synonyms is given.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { KnowledgeIndex } from '../shared/knowledge/search/knowledge-index';
import { articleLineSchema, evaluate, parseLines, queryLineSchema, toSearchDoc } from '../shared/knowledge/search/evaluation';
import { synonymRowsSchema } from '../shared/knowledge/search/synonyms';

const USAGE = 'usage: npm run -s kb:rank -- --articles A.jsonl --queries Q.jsonl [--top 10] [--synonyms FILE] [--judgements]';
const DEMO_SYNONYMS = fileURLToPath(new URL('../platform/seed/data/knowledge-synonyms.json', import.meta.url));

function args(argv: string[]): { articles: string; queries: string; top: number; synonyms: string; judgements: boolean } {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const articles = get('articles');
  const queries = get('queries');
  if (!articles || !queries) throw new Error(USAGE);
  const top = Number(get('top') ?? 10);
  if (!Number.isInteger(top) || top < 1 || top > 100) throw new Error('--top must be a whole number from 1 to 100');
  return { articles, queries, top, synonyms: get('synonyms') ?? DEMO_SYNONYMS, judgements: argv.includes('--judgements') };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read ${file}`);
  }
}

function main(): void {
  const a = args(process.argv.slice(2));
  const synonyms = synonymRowsSchema.parse(JSON.parse(read(a.synonyms)));
  const articles = parseLines(read(a.articles), articleLineSchema, 'articles').map(toSearchDoc);
  const queries = parseLines(read(a.queries), queryLineSchema, 'queries');
  const index = KnowledgeIndex.build(articles, synonyms);
  const out: string[] = queries.map((q) => JSON.stringify({ q: q.q, ids: index.search(q.q, { limit: a.top }).map((h) => h.id) }));
  if (a.judgements) {
    const e = evaluate(index, queries, a.top);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    out.push(JSON.stringify({ overall: { queries: e.overall.queries, precisionAt3: round(e.overall.precisionAt3), ndcgAt5: round(e.overall.ndcgAt5) } }));
    for (const [kind, s] of Object.entries(e.byKind)) out.push(JSON.stringify({ kind, queries: s.queries, precisionAt3: round(s.precisionAt3), ndcgAt5: round(s.ndcgAt5) }));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  main();
} catch (error) {
  const message = error instanceof z.ZodError ? `synonyms: ${error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` : error instanceof Error ? error.message : String(error);
  process.stderr.write(`kb:rank: ${message}\n`);
  process.exit(2);
}
