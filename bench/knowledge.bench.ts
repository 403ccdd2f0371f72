/**
 * knowledge.*: the knowledge search engine (shared/knowledge/search) over generated corpora of
 * 50,000 and 100,000 articles shaped like the demo city's, against FlexSearch on the same corpus
 * and queries in the same run. Each size runs in its own process (memory measured after GC).
 */
import fs from 'node:fs';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import FlexSearch from 'flexsearch';
import { KnowledgeIndex } from '../shared/knowledge/search/knowledge-index';
import { articleLineSchema, evaluate, ndcgAt, parseLines, precisionAt, queryLineSchema, toSearchDoc } from '../shared/knowledge/search/evaluation';
import { synonymRowsSchema } from '../shared/knowledge/search/synonyms';
import type { KnowledgeFigures, KnowledgeJob } from './support/knowledge-run';
import type { BenchGroup, BenchResult } from './types';

const QUERIES = 2_000;

function run(job: KnowledgeJob): Promise<KnowledgeFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./support/knowledge-run.ts', import.meta.url)), { execArgv: ['--import', 'tsx', '--expose-gc'] });
    child.once('message', (m: { ok: boolean; result?: KnowledgeFigures; error?: string }) => (m.ok ? resolve(m.result!) : reject(new Error(m.error))));
    child.once('exit', (code) => code !== 0 && reject(new Error(`knowledge run exited with ${code}`)));
    child.send(job);
  });
}

const ms = (v: number) => Math.round(v * 100) / 100;
const read = (rel: string) => fs.readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');

/** Ranking on the demo city's judged queries: this engine (with the demo synonyms) and FlexSearch. */
function ranking(): { queries: number; ours: { p3: number; ndcg5: number }; flex: { p3: number; ndcg5: number } } {
  const articles = (JSON.parse(read('../platform/seed/data/knowledge-articles.json')) as unknown[]).map((a) => toSearchDoc(articleLineSchema.parse(a)));
  const judged = parseLines(read('../test/unit/fixtures/knowledge-judgements.jsonl'), queryLineSchema, 'judgements');
  const e = evaluate(KnowledgeIndex.build(articles, synonymRowsSchema.parse(JSON.parse(read('../platform/seed/data/knowledge-synonyms.json')))), judged);
  const { Index, Charset } = FlexSearch as unknown as { Index: new (o: object) => { add(id: number, text: string): void; search(q: string, o: object): number[] }; Charset: Record<string, unknown> };
  const flex = new Index({ encoder: Charset.CJK, tokenize: 'forward' });
  articles.forEach((a, i) => flex.add(i, `${a.title} ${a.keywords.join(' ')} ${a.hotlines.join(' ')} ${a.body}`));
  let p3 = 0;
  let ndcg5 = 0;
  for (const j of judged) {
    const ids = flex.search(j.q, { limit: 10 }).map((i) => articles[i]!.id);
    p3 += precisionAt(ids, j.relevant ?? {}, 3);
    ndcg5 += ndcgAt(ids, j.relevant ?? {}, 5);
  }
  return { queries: judged.length, ours: { p3: e.overall.precisionAt3, ndcg5: e.overall.ndcgAt5 }, flex: { p3: p3 / judged.length, ndcg5: ndcg5 / judged.length } };
}

export const knowledgeBench: BenchGroup = {
  prefix: 'knowledge',
  async run() {
    const results: BenchResult[] = [];
    const r = ranking();
    const three = (v: number) => Math.round(v * 1000) / 1000;
    results.push({ name: 'knowledge.ndcg5_demo', value: three(r.ours.ndcg5), unit: '', goal: null, note: `precision@3 ${three(r.ours.p3)}; FlexSearch nDCG@5 ${three(r.flex.ndcg5)}, precision@3 ${three(r.flex.p3)} (${r.queries} judged queries of the demo city)` });
    const half = await run({ size: 50_000, queries: QUERIES });
    results.push({ name: 'knowledge.query_p95_ms_50k', value: ms(half.queryP95), unit: 'ms', goal: null, note: `p50 ${ms(half.queryP50)} ms; FlexSearch p95 ${ms(half.flexQueryP95)} ms; build ${half.buildS.toFixed(1)} s` });
    const full = await run({ size: 100_000, queries: QUERIES });
    results.push(
      { name: 'knowledge.query_p50_ms_100k', value: ms(full.queryP50), unit: 'ms', goal: null, note: `${QUERIES} queries of 1–8 characters` },
      { name: 'knowledge.query_p95_ms_100k', value: ms(full.queryP95), unit: 'ms', goal: '<= 2', note: `${(full.flexQueryP95 / full.queryP95).toFixed(1)}× faster than FlexSearch (goal >= 8×)` },
      { name: 'knowledge.flexsearch_query_p95_ms_100k', value: ms(full.flexQueryP95), unit: 'ms', goal: null, note: `FlexSearch 0.8 CJK, p50 ${ms(full.flexQueryP50)} ms; build ${full.flexBuildS.toFixed(1)} s` },
      { name: 'knowledge.build_s_100k', value: Math.round(full.buildS * 10) / 10, unit: 's', goal: '<= 15', note: 'one thread (the workstation builds in a Web Worker)' },
      { name: 'knowledge.load_ms_100k', value: Math.round(full.loadMs), unit: 'ms', goal: '<= 1000', note: `from its structured-clone form (${full.persistedMb.toFixed(0)} MB), as IndexedDB keeps it` },
      { name: 'knowledge.memory_mb_100k', value: Math.round(full.memoryMb), unit: 'MB', goal: '<= 150', note: 'JS heap + array buffers of the index, after GC' },
      { name: 'knowledge.update_100_ms', value: Math.round(full.update100Ms), unit: 'ms', goal: null, note: '100 articles changed in the 100,000 index' },
    );
    return results;
  },
};
