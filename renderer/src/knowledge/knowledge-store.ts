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
import { adoptSource, openKnowledgeDb, readSyncedAt, type KnowledgeDatabase } from './knowledge-db';
import { pullKnowledge, type SyncResult } from './knowledge-sync';
import { createSearchClient } from './search/search-client';
import type { ArticleHit } from './search/search-host';

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
  /** The article open in the panel, whole. */
  readonly article: Article | null;
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
  article: null,
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
    () => undefined,
    () => {
      searchOpened = undefined;
      log.warn('knowledge search index not available');
    },
  );
  return searchOpened;
}

/** The copy changed: the index takes the changes in, and the shown results are asked for again. */
async function refreshSearch(r: SyncResult): Promise<void> {
  if (r.updatedIds.length === 0 && r.removedIds.length === 0 && r.from === r.checkpoint) return;
  await openSearch();
  await searcher.refresh({ from: r.from, changed: r.updatedIds, removed: r.removedIds });
  const { query } = useKnowledgeStore.getState();
  if (query.trim() !== '') await searchKnowledge(query);
}

/** Search the copy for `query` (the results of a later query replace those of an earlier one). */
export async function searchKnowledge(query: string): Promise<void> {
  const seq = ++querySeq;
  useKnowledgeStore.setState({ query });
  if (query.trim() === '') {
    useKnowledgeStore.setState({ hits: null, hitsFor: '', searchFailed: false });
    return;
  }
  try {
    await openSearch();
    const hits = await searcher.search({ query, limit: 20, filters: { day: shanghaiDate(Date.now()) } });
    if (seq === querySeq) useKnowledgeStore.setState({ hits, hitsFor: query, searchFailed: false });
  } catch {
    if (seq === querySeq) useKnowledgeStore.setState({ hits: [], hitsFor: query, searchFailed: true });
    log.warn('knowledge search failed');
  }
}

/** Show an article whole in the panel (null: back to the results). */
export async function showArticle(id: string | null): Promise<void> {
  useKnowledgeStore.setState({ article: id === null ? null : ((await articleById(id)) ?? null) });
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
    void refreshSearch(result).catch(() => log.warn('knowledge search index not refreshed'));
  } catch (error) {
    useKnowledgeStore.setState({ stale: true });
    // The platform's code only: messages may quote what was sent.
    log.warn('knowledge sync failed', { code: error instanceof BridgeError ? error.code : 'error' });
  } finally {
    await loadCopy().catch(() => undefined);
    useKnowledgeStore.setState({ syncing: false });
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
