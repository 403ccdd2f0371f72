/**
 * The knowledge search over the offline copy, as run inside the search worker (search.worker.ts;
 * in-thread where there are no workers, as in unit tests): the index is read from the copy's
 * database when it matches the copy (same checkpoint), built from the articles otherwise, kept up
 * to date with each sync's changes and rebuilt when the changes have grown large.
 * Results carry what the panel shows: title and a snippet of the body, with the matched ranges.
 */
import { KnowledgeIndex, passesFilters, type SearchFilters, type SynonymRow } from '../../../../shared/knowledge/search/knowledge-index';
import type { Article } from '../../../../shared/knowledge/routes';
import { readCheckpoint, readSynonyms, type KnowledgeDatabase } from '../knowledge-db';

/** One result as the panel lists it (ranges are [start, end) in title and snippet). */
export interface ArticleHit {
  readonly id: string;
  readonly title: string;
  readonly titleMarks: readonly (readonly [number, number])[];
  readonly snippet: string;
  readonly snippetMarks: readonly (readonly [number, number])[];
  readonly hotlines: readonly string[];
  readonly categoryCode?: string;
  readonly validTo?: string;
}

export interface SearchRequest {
  readonly query: string;
  readonly limit?: number;
  readonly filters?: SearchFilters;
  /** Read this much of a long text (suggestions from an order); a typed query is cut shorter. */
  readonly maxChars?: number;
  /** Mark the matched words (a typed query) or not (a suggestion: every word would be marked). */
  readonly marks?: boolean;
  /** Articles not to list (the one open, for its related articles). */
  readonly exclude?: readonly string[];
}

/** What the copy's searchable articles cover: the filters offer these. */
export interface SearchFacets {
  readonly hotlines: readonly string[];
  readonly unitCodes: readonly string[];
  readonly categoryCodes: readonly string[];
}

/** Changes kept beside the built index before it is built again (and at least this many). */
const REBUILD_SHARE = 0.05;
const REBUILD_MIN = 500;
const SNIPPET = 80;

export class SearchHost {
  private index: KnowledgeIndex | undefined;
  private checkpoint = '';

  private synonyms: readonly SynonymRow[] = [];

  constructor(private readonly db: KnowledgeDatabase) {}

  /** Read the stored index if it is the copy's, else build it. Returns the articles searchable. */
  async open(): Promise<number> {
    const [checkpoint, main, delta, synonyms] = await Promise.all([readCheckpoint(this.db), this.db.search.get('main'), this.db.search.get('delta'), readSynonyms(this.db)]);
    this.synonyms = synonyms.rows;
    const loaded =
      main?.key === 'main' && delta?.key === 'delta' && delta.checkpoint === checkpoint
        ? KnowledgeIndex.load({ ...main.data, masked: delta.masked, recent: delta.recent }, this.synonyms)
        : undefined;
    if (loaded) {
      this.index = loaded;
      this.checkpoint = checkpoint;
    } else {
      await this.rebuild();
    }
    return this.index!.size;
  }

  /** Build the index over every article of the copy and store it. */
  async rebuild(): Promise<number> {
    const [checkpoint, articles] = await Promise.all([readCheckpoint(this.db), this.db.articles.toArray()]);
    const index = KnowledgeIndex.build(articles, this.synonyms);
    const { masked, recent, ...main } = index.toData();
    await this.db.transaction('rw', this.db.search, async () => {
      await this.db.search.put({ key: 'main', data: main });
      await this.db.search.put({ key: 'delta', checkpoint, masked, recent });
    });
    this.index = index;
    this.checkpoint = checkpoint;
    return index.size;
  }

  /**
   * A sync from checkpoint `from` brought `changed` (added or replaced) and `removed` articles:
   * applied to the index; built again when it does not continue the index's checkpoint (another
   * platform, a crash in between) or the changes have grown large.
   */
  async refresh(change: { from: string; changed: readonly string[]; removed: readonly string[] }): Promise<number> {
    if (!this.index || change.from !== this.checkpoint) return this.rebuild();
    const [checkpoint, rows] = await Promise.all([readCheckpoint(this.db), this.db.articles.bulkGet([...change.changed])]);
    const present = rows.filter((r): r is Article => r !== undefined);
    const gone = [...change.removed, ...change.changed.filter((id, i) => rows[i] === undefined)];
    this.index.update(present, gone);
    if (this.index.recentCount > Math.max(REBUILD_MIN, this.index.size * REBUILD_SHARE)) return this.rebuild();
    const { masked, recent } = this.index.toData();
    await this.db.search.put({ key: 'delta', checkpoint, masked, recent });
    this.checkpoint = checkpoint;
    return this.index.size;
  }

  facets(): SearchFacets {
    return this.index?.facets() ?? { hotlines: [], unitCodes: [], categoryCodes: [] };
  }

  /** No words, a filter chosen: the first `limit` of the filter's articles in force, shown by title. */
  private async browse(request: SearchRequest): Promise<ArticleHit[]> {
    const f = request.filters ?? {};
    if (f.hotline === undefined && f.unitCode === undefined && f.categoryCode === undefined) return [];
    const table = this.db.articles;
    const rows =
      f.hotline !== undefined
        ? table.where('hotlines').equals(f.hotline)
        : f.categoryCode !== undefined
          ? table.where('categoryCode').startsWith(f.categoryCode)
          : table.toCollection();
    const found = await rows.filter((a) => passesFilters(a, f)).limit(request.limit ?? 20).toArray();
    return found.sort((a, b) => a.title.localeCompare(b.title, 'zh-CN')).map((a) => hitOf(a, () => []));
  }

  /** Search through the synonym table the copy holds now (a sync brought a new one). */
  async readSynonyms(): Promise<void> {
    this.synonyms = (await readSynonyms(this.db)).rows;
    this.index?.setSynonyms(this.synonyms);
  }

  /** The best articles for the query with their matched ranges (nothing before open()). */
  async search(request: SearchRequest): Promise<ArticleHit[]> {
    const index = this.index;
    if (!index) return [];
    if (request.query.trim() === '') return this.browse(request);
    const exclude = new Set(request.exclude);
    const limit = request.limit ?? 20;
    const hits = index
      .search(request.query, {
        limit: limit + exclude.size,
        ...(request.filters ? { filters: request.filters } : {}),
        ...(request.maxChars ? { maxChars: request.maxChars } : {}),
      })
      .filter((h) => !exclude.has(h.id))
      .slice(0, limit);
    const rows = await this.db.articles.bulkGet(hits.map((h) => h.id));
    const marksOf = request.marks === false ? () => [] : index.highlighter(request.query);
    return rows.filter((a): a is Article => a !== undefined).map((a) => hitOf(a, marksOf));
  }
}

/** An article as listed: its title and a snippet of the body around the first match. */
function hitOf(a: Article, marksOf: (text: string) => [number, number][]): ArticleHit {
  const body = plainText(a.body);
  const marks = marksOf(body);
  const from = Math.max(0, (marks[0]?.[0] ?? 0) - 20);
  const snippet = body.slice(from, from + SNIPPET);
  const shift = from > 0 ? 1 : 0;
  return {
    id: a.id,
    title: a.title,
    titleMarks: marksOf(a.title),
    snippet: (from > 0 ? '…' : '') + snippet,
    snippetMarks: marks.filter(([s, e]) => s >= from && e <= from + SNIPPET).map(([s, e]) => [s - from + shift, e - from + shift] as const),
    hotlines: a.hotlines,
    ...(a.categoryCode ? { categoryCode: a.categoryCode } : {}),
    ...(a.validTo ? { validTo: a.validTo } : {}),
  };
}

/** A Markdown body as running text (for snippets): markers dropped, links as their text. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)/gm, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s*\n+\s*/g, ' ')
    .trim();
}
