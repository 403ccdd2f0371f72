/**
 * The page's side of the knowledge search: calls go to the search worker (started on first use);
 * where the page has no workers (unit tests) the same host runs in the page.
 */
import type { KnowledgeDatabase } from '../knowledge-db';
import type { ArticleHit, SearchFacets, SearchHost, SearchRequest } from './search-host';
import type { SearchAnswer, SearchCall } from './search-protocol';

export interface SearchClient {
  open(): Promise<number>;
  refresh(change: { from: string; changed: readonly string[]; removed: readonly string[] }): Promise<number>;
  search(request: SearchRequest): Promise<ArticleHit[]>;
  facets(): Promise<SearchFacets>;
  /** The synonym table in the copy changed: the search reads it again. */
  synonyms(): Promise<void>;
}

class WorkerClient implements SearchClient {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private call<T>(call: SearchCall): Promise<T> {
    if (!this.worker) {
      this.worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'knowledge-search' });
      this.worker.onmessage = (e: MessageEvent<SearchAnswer>) => {
        const w = this.waiting.get(e.data.id);
        this.waiting.delete(e.data.id);
        if (e.data.ok) w?.resolve(e.data.value);
        else w?.reject(new Error(e.data.error));
      };
      this.worker.onerror = (e) => {
        for (const w of this.waiting.values()) w.reject(new Error(e.message || 'knowledge search worker failed'));
        this.waiting.clear();
      };
    }
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker!.postMessage({ id, call });
    });
  }

  open = () => this.call<number>({ op: 'open' });
  refresh = (change: { from: string; changed: readonly string[]; removed: readonly string[] }) => this.call<number>({ op: 'refresh', ...change });
  search = (request: SearchRequest) => this.call<ArticleHit[]>({ op: 'search', request });
  facets = () => this.call<SearchFacets>({ op: 'facets' });
  synonyms = () => this.call<void>({ op: 'synonyms' });
}

/** The search for `db`: in a worker when the page has them. */
export function createSearchClient(db: () => KnowledgeDatabase): SearchClient {
  if (typeof Worker !== 'undefined') return new WorkerClient();
  // Loaded only here: the page's bundle does not carry the engine the worker has.
  let host: Promise<SearchHost> | undefined;
  const h = () => (host ??= import('./search-host').then((m) => new m.SearchHost(db())));
  return {
    open: async () => (await h()).open(),
    refresh: async (c) => (await h()).refresh(c),
    search: async (r) => (await h()).search(r),
    facets: async () => (await h()).facets(),
    synonyms: async () => (await h()).readSynonyms(),
  };
}
