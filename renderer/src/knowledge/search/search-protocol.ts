/** Messages between the page and the knowledge search worker (one request, one answer, by id). */
import type { ArticleHit, SearchFacets, SearchRequest } from './search-host';

export type SearchCall =
  | { op: 'open' }
  | { op: 'refresh'; from: string; changed: readonly string[]; removed: readonly string[] }
  | { op: 'search'; request: SearchRequest }
  | { op: 'facets' }
  | { op: 'synonyms' };

export type SearchAnswer = { id: number; ok: true; value: number | ArticleHit[] | SearchFacets | undefined } | { id: number; ok: false; error: string };
