/**
 * The knowledge search worker: builds, keeps and queries the index off the page's thread (a build
 * of 100,000 articles takes seconds; a search typed while a caller talks must never stall the UI).
 * Calls are served one at a time, in order.
 */
import { openKnowledgeDb } from '../knowledge-db';
import { SearchHost } from './search-host';
import type { SearchAnswer, SearchCall } from './search-protocol';

const host = new SearchHost(openKnowledgeDb());
let queue: Promise<unknown> = Promise.resolve();

function serve(call: SearchCall): Promise<Extract<SearchAnswer, { ok: true }>['value']> {
  switch (call.op) {
    case 'open':
      return host.open();
    case 'refresh':
      return host.refresh(call);
    case 'search':
      return host.search(call.request);
    case 'facets':
      return Promise.resolve(host.facets());
    case 'synonyms':
      return host.readSynonyms().then(() => undefined);
  }
}

self.onmessage = (event: MessageEvent<{ id: number; call: SearchCall }>) => {
  const { id, call } = event.data;
  queue = queue.then(() =>
    serve(call).then(
      (value) => self.postMessage({ id, ok: true, value } satisfies SearchAnswer),
      (error: unknown) => self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies SearchAnswer),
    ),
  );
};
