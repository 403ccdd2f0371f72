/**
 * The knowledge base in the renderer: the offline copy's state (for the panel) and the articles in
 * force today as plain data for the order form's article picker — read from the copy only once a
 * picker is shown, then after every sync. The copy syncs when the session comes online, every five
 * minutes while it stays online, and on demand (the panel's refresh, the picker opening); with the
 * platform down everything works from the copy.
 *
 * Search: the index over the copy lives in the search worker (search/); it is opened at start and
 * given each sync's changes, and the panel's query is answered there (the newest query wins).
 */
import { create } from 'zustand';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import type { Article } from '../../../shared/knowledge/routes';
import { BridgeError, bridge, call } from '../ipc/bridge';
import { createRendererLogger } from '../logging/logger';
import { useSessionStore } from '../session/session-store';
import { adoptSource, openKnowledgeDb, readSynonyms, readSyncedAt, writeSynonyms, type KnowledgeDatabase } from './knowledge-db';
import { pullKnowledge, type SyncResult } from './knowledge-sync';
import { createSearchClient } from './search/search-client';
import type { ArticleHit, SearchFacets } from './search/search-host';

/** What the picker needs of an article (the body stays in the database). */
export type ArticleSummary = Omit<Article, 'body' | 'updatedAt'>;

export interface KnowledgeState {
  /** Articles in force today (validity dates), by id; null until a picker asked for them. */
  readonly articles: readonly ArticleSummary[] | null;
  /** All articles the copy holds, expired ones included. */
  readonly held: number;
  /** Epoch ms of the last complete sync (null: never synced on this seat). */
  readonly syncedAt: number | null;
  readonly syncing: boolean;
  /** The last sync failed (the platform could not be reached or refused): the copy may be old. */
  readonly stale: boolean;
  readonly query: string;
  /** Results of `query` (null: nothing asked yet, or still searching the first time). */
  readonly hits: readonly ArticleHit[] | null;
  /** The query `hits` answer (the one typed may be newer: its search is under way). */
  readonly hitsFor: string;
  readonly searchFailed: boolean;
  /** What the agent narrowed the search to (hotline, department, top-level category). */
  readonly filters: KnowledgeFilters;
  /** What the copy covers (the filters' choices); null until the index is open. */
  readonly facets: SearchFacets | null;
  /** Articles for the order being typed (its hotline, category, content), shown while the search box is empty. */
  readonly suggestions: readonly ArticleHit[];
  /** The text the suggestions answer. */
  readonly suggestionsFor: string;
  /** The article open in the panel, whole, and articles on the same matter. */
  readonly article: Article | null;
  readonly related: readonly ArticleHit[];
}

export interface KnowledgeFilters {
  readonly hotline?: string;
  readonly unitCode?: string;
  readonly categoryCode?: string;
}

export const useKnowledgeStore = create<KnowledgeState>()(() => ({
  articles: null,
  held: 0,
  syncedAt: null,
  syncing: false,
  stale: false,
  query: '',
  hits: null,
  hitsFor: '',
  searchFailed: false,
  filters: {},
  facets: null,
  suggestions: [],
  suggestionsFor: '',
  article: null,
  related: [],
}));

export const SYNC_INTERVAL_MS = 5 * 60_000;
/** An on-demand sync is skipped when the copy is younger than this. */
const FRESH_MS = 15_000;

/** In force on `day` (YYYY-MM-DD, Shanghai): from validFrom to validTo, both included. */
export function inForce(a: Pick<Article, 'validFrom' | 'validTo'>, day: string): boolean {
  return a.validFrom <= day && (a.validTo === undefined || a.validTo >= day);
}

function summary({ body: _body, updatedAt: _updatedAt, ...rest }: Article): ArticleSummary {
  return rest;
}

const log = createRendererLogger('knowledge');

let db: KnowledgeDatabase | undefined;
let started = false;
let inflight: Promise<void> | undefined;

const database = () => (db ??= openKnowledgeDb());
const searcher = createSearchClient(database);
let searchOpened: Promise<void> | undefined;
let querySeq = 0;

/** Open the search index (read, or built in the worker) once; after a failure the next search tries again. */
function openSearch(): Promise<void> {
  searchOpened ??= searcher.open().then(
    () => loadFacets(),
    () => {
      searchOpened = undefined;
      log.warn('knowledge search index not available');
    },
  );
  return searchOpened;
}

async function loadFacets(): Promise<void> {
  useKnowledgeStore.setState({ facets: await searcher.facets() });
}

/** What is shown was found in an older copy: asked for again (the typed query, the suggestions). */
async function searchAgain(): Promise<void> {
  const { query, suggestionsFor } = useKnowledgeStore.getState();
  await loadFacets();
  if (query.trim() !== '' || Object.keys(useKnowledgeStore.getState().filters).length > 0) await searchKnowledge(query);
  if (suggestionsFor !== '') await suggestKnowledge(suggestionsFor, { force: true });
}

/**
 * The copy changed (articles, or the synonym table): the index takes the changes in, and what is
 * shown is asked for again — once.
 */
async function refreshSearch(r: SyncResult, synonymsChanged: boolean): Promise<void> {
  const articlesChanged = r.updatedIds.length > 0 || r.removedIds.length > 0 || r.from !== r.checkpoint;
  if (!articlesChanged && !synonymsChanged) return;
  await openSearch();
  if (articlesChanged) await searcher.refresh({ from: r.from, changed: r.updatedIds, removed: r.removedIds });
  if (synonymsChanged) await searcher.synonyms();
  await searchAgain();
}

const today = () => shanghaiDate(Date.now());

/** Typing pauses this long before the search runs (each keystroke would otherwise search). */
export const TYPING_PAUSE_MS = 150;
let typing: ReturnType<typeof setTimeout> | undefined;

/** The agent typed in the search box: the query is shown at once, searched after a pause. */
export function typeKnowledge(query: string): void {
  useKnowledgeStore.setState({ query });
  clearTimeout(typing);
  typing = setTimeout(() => void searchKnowledge(query), query.trim() === '' ? 0 : TYPING_PAUSE_MS);
}

/** Search the copy for `query` now (the results of a later query replace those of an earlier one). */
export async function searchKnowledge(query: string): Promise<void> {
  clearTimeout(typing);
  const seq = ++querySeq;
  useKnowledgeStore.setState({ query });
  const filters = useKnowledgeStore.getState().filters;
  // No words and no filter: nothing asked (a filter alone lists its articles).
  if (query.trim() === '' && Object.keys(filters).length === 0) {
    useKnowledgeStore.setState({ hits: null, hitsFor: '', searchFailed: false });
    return;
  }
  try {
    await openSearch();
    const hits = await searcher.search({ query, limit: 20, filters: { ...filters, day: today() } });
    if (seq === querySeq) useKnowledgeStore.setState({ hits, hitsFor: query, searchFailed: false });
  } catch {
    if (seq === querySeq) useKnowledgeStore.setState({ hits: [], hitsFor: query, searchFailed: true });
    log.warn('knowledge search failed');
  }
}

/** Narrow the search (undefined in a field: any); the shown query is searched again. */
export function setKnowledgeFilters(filters: KnowledgeFilters): Promise<void> {
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as KnowledgeFilters;
  useKnowledgeStore.setState({ filters: clean });
  return searchKnowledge(useKnowledgeStore.getState().query);
}

/** How much of an order's text the suggestions read (its most telling words are kept). */
const SUGGESTION_CHARS = 600;
let suggestSeq = 0;

/**
 * Articles for the order being typed (`text`: its hotline, category, title and content; see
 * suggestions.ts). The same text is not searched twice unless the copy changed (`force`).
 */
export async function suggestKnowledge(text: string, options: { force?: boolean } = {}): Promise<void> {
  const key = text.trim();
  if (!options.force && key === useKnowledgeStore.getState().suggestionsFor) return;
  const seq = ++suggestSeq;
  if (key === '') {
    useKnowledgeStore.setState({ suggestions: [], suggestionsFor: '' });
    return;
  }
  try {
    await openSearch();
    const suggestions = await searcher.search({ query: key, limit: 5, maxChars: SUGGESTION_CHARS, marks: false, filters: { day: today() } });
    if (seq === suggestSeq) useKnowledgeStore.setState({ suggestions, suggestionsFor: key });
  } catch {
    log.warn('knowledge suggestions failed');
  }
}

let articleSeq = 0;

/** Show an article whole in the panel, with articles on the same matter (null: back to the results). */
export async function showArticle(id: string | null): Promise<void> {
  const seq = ++articleSeq;
  const article = id === null ? null : ((await articleById(id)) ?? null);
  if (seq !== articleSeq) return;
  useKnowledgeStore.setState({ article, related: [] });
  if (!article) return;
  try {
    await openSearch();
    const related = await searcher.search({
      query: [article.title, ...article.keywords].join(' '),
      limit: 5,
      marks: false,
      exclude: [article.id],
      filters: { day: today() },
    });
    if (seq === articleSeq) useKnowledgeStore.setState({ related });
  } catch {
    log.warn('related articles not found');
  }
}

/** The copy's size and last sync; the articles too once a picker has asked for them. */
async function loadCopy(): Promise<void> {
  const db = database();
  useKnowledgeStore.setState({ held: await db.articles.count(), syncedAt: await readSyncedAt(db) });
  if (useKnowledgeStore.getState().articles !== null) await loadArticles();
}

async function loadArticles(): Promise<void> {
  const rows = await database().articles.toArray();
  const today = shanghaiDate(Date.now());
  useKnowledgeStore.setState({ articles: rows.filter((a) => inForce(a, today)).map(summary), held: rows.length });
}

let articlesLoading: Promise<void> | undefined;

/** A picker is shown: read the articles in force from the copy (once; syncs keep them current). */
export function wantArticles(): void {
  if (useKnowledgeStore.getState().articles !== null) return;
  articlesLoading ??= loadArticles()
    .catch(() => log.warn('knowledge copy not readable'))
    .finally(() => (articlesLoading = undefined));
}

async function doSync(): Promise<void> {
  const status = useSessionStore.getState().status;
  if (status?.state !== 'online') return;
  useKnowledgeStore.setState({ syncing: true });
  try {
    if (status.baseUrl) await adoptSource(database(), status.baseUrl);
    const result = await pullKnowledge(database(), (after) => call(bridge().knowledge.changes({ after })));
    useKnowledgeStore.setState({ stale: false });
    const synonymsChanged = await pullSynonyms();
    void refreshSearch(result, synonymsChanged).catch(() => log.warn('knowledge search index not refreshed'));
  } catch (error) {
    useKnowledgeStore.setState({ stale: true });
    // The platform's code only: messages may quote what was sent.
    log.warn('knowledge sync failed', { code: error instanceof BridgeError ? error.code : 'error' });
  } finally {
    await loadCopy().catch(() => undefined);
    useKnowledgeStore.setState({ syncing: false });
  }
}

/** The platform's synonym table when it is newer than the copy's; true when it changed. */
async function pullSynonyms(): Promise<boolean> {
  try {
    const held = await readSynonyms(database());
    const served = await call(bridge().knowledge.synonyms({ known: held.version }));
    if (!served.rows || served.version === held.version) return false;
    await writeSynonyms(database(), { version: served.version, rows: served.rows });
    return true;
  } catch (error) {
    // The articles synced: the search goes on with the table it has.
    log.warn('knowledge synonyms not synced', { code: error instanceof BridgeError ? error.code : 'error' });
    return false;
  }
}

/** Sync now (one at a time; a call during a sync shares it). `ifOlderThan` skips a fresh copy. */
export function syncKnowledge(options: { ifOlderThanMs?: number } = {}): Promise<void> {
  const { syncedAt, stale } = useKnowledgeStore.getState();
  if (options.ifOlderThanMs !== undefined && !stale && syncedAt !== null && Date.now() - syncedAt < options.ifOlderThanMs) return Promise.resolve();
  inflight ??= doSync().finally(() => (inflight = undefined));
  return inflight;
}

/** The picker opened: a copy older than a few seconds is refreshed while the agent looks. */
export const syncIfOld = () => void syncKnowledge({ ifOlderThanMs: FRESH_MS });

/** Load the copy and keep it synced (once per page). */
export async function startKnowledge(): Promise<void> {
  if (started) return;
  started = true;
  let online = useSessionStore.getState().status?.state === 'online';
  useSessionStore.subscribe((s) => {
    const now = s.status?.state === 'online';
    if (now && !online) void syncKnowledge();
    online = now;
  });
  setInterval(() => void syncKnowledge(), SYNC_INTERVAL_MS);
  await loadCopy();
  void openSearch();
  if (online) void syncKnowledge();
}

/** The whole article (with its body) from the copy. */
export function articleById(id: string): Promise<Article | undefined> {
  return database().articles.get(id);
}

/**
 * A seat with a hotline of its own (a sub-center's 12366) searches its own line's articles first:
 * the hotline filter is set to it once the index says it has such articles. The agent can clear
 * it like any filter; it is set once per page.
 */
let profileApplied = false;
export function applySeatHotline(hotline: string | undefined): () => void {
  if (!hotline || profileApplied) return () => undefined;
  const apply = (facets: KnowledgeState['facets']) => {
    if (profileApplied || !facets?.hotlines.includes(hotline)) return false;
    profileApplied = true;
    if (useKnowledgeStore.getState().filters.hotline === undefined) void setKnowledgeFilters({ ...useKnowledgeStore.getState().filters, hotline });
    return true;
  };
  if (apply(useKnowledgeStore.getState().facets)) return () => undefined;
  return useKnowledgeStore.subscribe((s, prev) => {
    if (s.facets !== prev.facets) apply(s.facets);
  });
}
