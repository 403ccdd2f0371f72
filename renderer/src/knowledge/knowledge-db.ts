/**
 * The offline copy of the knowledge base (Dexie / IndexedDB), one per workstation: articles are
 * the city's public answer wording, not personal data, so they are stored in the clear and shared
 * by the agents who sign in on this seat.
 *
 *   articles   the platform's articles as served (shared/knowledge/routes.ts articleSchema)
 *   meta       the change feed's checkpoint, the time of the last complete sync, and the platform
 *              (its address) the copy came from: a seat pointed at another platform starts over;
 *              and the platform's synonym table with its version (the search reads through it)
 *   search     the search index over the copy (search/search-host.ts): 'main', written when it is
 *              built, and 'delta', the changes since with the checkpoint they bring it to
 */
import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import type { Article } from '../../../shared/knowledge/routes';
import type { KnowledgeIndexData, SynonymRow } from '../../../shared/knowledge/search/knowledge-index';
import { synonymRowsSchema } from '../../../shared/knowledge/search/synonyms';

export const KNOWLEDGE_DB_NAME = 'hotline-workstation-knowledge';

export type ArticleRow = Article;

export interface SynonymTable {
  readonly version: number;
  readonly rows: readonly SynonymRow[];
}

export type KnowledgeMeta =
  | { key: 'checkpoint'; value: string }
  | { key: 'syncedAt'; value: number }
  | { key: 'source'; value: string }
  | { key: 'synonyms'; value: SynonymTable };

/** The persisted search index, in two rows: the built part, and the changes since with their checkpoint. */
export type SearchIndexRow =
  | { key: 'main'; data: Omit<KnowledgeIndexData, 'masked' | 'recent'> }
  | { key: 'delta'; checkpoint: string; masked: KnowledgeIndexData['masked']; recent: KnowledgeIndexData['recent'] };

export type KnowledgeDatabase = Dexie & {
  articles: EntityTable<ArticleRow, 'id'>;
  meta: Dexie.Table<KnowledgeMeta, string>;
  search: Dexie.Table<SearchIndexRow, string>;
};

/** Open the database (lazily, on first use). Tests pass a fake IndexedDB in options. */
export function openKnowledgeDb(name = KNOWLEDGE_DB_NAME, options?: DexieOptions): KnowledgeDatabase {
  const db = new Dexie(name, options) as KnowledgeDatabase;
  db.version(1).stores({ articles: 'id, categoryCode, *hotlines', meta: 'key' });
  // v2: the search index, kept so that a start reads it instead of building it again.
  db.version(2).stores({ search: 'key' });
  return db;
}

export async function readCheckpoint(db: KnowledgeDatabase): Promise<string> {
  const row = await db.meta.get('checkpoint');
  return row?.key === 'checkpoint' ? row.value : '0';
}

export async function readSyncedAt(db: KnowledgeDatabase): Promise<number | null> {
  const row = await db.meta.get('syncedAt');
  return row?.key === 'syncedAt' ? row.value : null;
}

/** Empty the copy when it came from another platform than `source` (checkpoints are per platform). */
export async function adoptSource(db: KnowledgeDatabase, source: string): Promise<boolean> {
  return db.transaction('rw', db.articles, db.meta, db.search, async () => {
    const row = await db.meta.get('source');
    const held = row?.key === 'source' ? row.value : undefined;
    if (held === source) return false;
    if (held !== undefined) {
      await db.articles.clear();
      await db.meta.clear();
      await db.search.clear();
    }
    await db.meta.put({ key: 'source', value: source });
    return held !== undefined;
  });
}

/** The synonym table last synced (none: version 0, no rows); a damaged row reads as none. */
export async function readSynonyms(db: KnowledgeDatabase): Promise<SynonymTable> {
  const row = await db.meta.get('synonyms');
  if (row?.key !== 'synonyms') return { version: 0, rows: [] };
  const rows = synonymRowsSchema.safeParse(row.value.rows);
  return rows.success && Number.isInteger(row.value.version) ? { version: row.value.version, rows: rows.data } : { version: 0, rows: [] };
}

export async function writeSynonyms(db: KnowledgeDatabase, table: SynonymTable): Promise<void> {
  await db.meta.put({ key: 'synonyms', value: table });
}
