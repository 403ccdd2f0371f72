/**
 * One knowledge benchmark run, in its own process (started with --expose-gc, so the memory figure
 * is the index alone): a generated corpus of `size` articles indexed by the workstation's engine
 * and by FlexSearch (CJK), the same 1–8 character queries through both.
 */
import v8 from 'node:v8';
import FlexSearch from 'flexsearch';
import { KnowledgeIndex, type SearchDoc } from '../../shared/knowledge/search/knowledge-index';
import { generateCorpus, generateQueries } from './knowledge-corpus';
import { percentile } from '../types';

export interface KnowledgeJob {
  size: number;
  queries: number;
}

export interface KnowledgeFigures {
  buildS: number;
  queryP50: number;
  queryP95: number;
  loadMs: number;
  memoryMb: number;
  update100Ms: number;
  persistedMb: number;
  flexBuildS: number;
  flexQueryP50: number;
  flexQueryP95: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

function timed(queries: readonly string[], search: (q: string) => unknown): number[] {
  for (const q of queries.slice(0, 200)) search(q); // warm-up
  return queries.map((q) => {
    const t0 = performance.now();
    search(q);
    return performance.now() - t0;
  });
}

export function runKnowledge({ size, queries: count }: KnowledgeJob): KnowledgeFigures {
  const docs = generateCorpus(size);
  const queries = generateQueries(count);
  const before = used();
  let t0 = performance.now();
  let index: KnowledgeIndex | undefined = KnowledgeIndex.build(docs);
  const buildS = (performance.now() - t0) / 1000;
  const memoryMb = (used() - before) / 2 ** 20;
  const ours = timed(queries, (q) => index!.search(q, { limit: 10 }));
  // Persisted as IndexedDB keeps it (a structured clone), read back.
  const bytes = v8.serialize(index.toData());
  index = undefined;
  t0 = performance.now();
  const loaded = KnowledgeIndex.load(v8.deserialize(bytes))!;
  const loadMs = performance.now() - t0;
  const changed: SearchDoc[] = docs.slice(0, 100).map((d) => ({ ...d, title: `${d.title}（修订）`, body: `${d.body}本条答复口径已于今日修订。` }));
  t0 = performance.now();
  loaded.update(changed);
  const update100Ms = performance.now() - t0;

  // FlexSearch 0.8 with its CJK encoder over the same text.
  const { Index, Charset } = FlexSearch as unknown as { Index: new (o: object) => { add(id: number, text: string): void; search(q: string, o: object): unknown }; Charset: Record<string, unknown> };
  const flex = new Index({ encoder: Charset.CJK, tokenize: 'forward' });
  t0 = performance.now();
  docs.forEach((d, i) => flex.add(i, `${d.title} ${d.keywords.join(' ')} ${d.hotlines.join(' ')} ${d.body}`));
  const flexBuildS = (performance.now() - t0) / 1000;
  const theirs = timed(queries, (q) => flex.search(q, { limit: 10 }));
  return {
    buildS,
    queryP50: percentile(ours, 50),
    queryP95: percentile(ours, 95),
    loadMs,
    memoryMb,
    update100Ms,
    persistedMb: bytes.length / 2 ** 20,
    flexBuildS,
    flexQueryP50: percentile(theirs, 50),
    flexQueryP95: percentile(theirs, 95),
  };
}

if (process.send) {
  process.once('message', (job: KnowledgeJob) => {
    try {
      process.send!({ ok: true, result: runKnowledge(job) }, () => process.exit(0));
    } catch (error) {
      process.send!({ ok: false, error: String(error) }, () => process.exit(1));
    }
  });
}
