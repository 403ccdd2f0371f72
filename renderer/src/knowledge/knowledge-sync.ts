/**
 * Incremental sync of the knowledge base from the platform's change feed, page by page: each page
 * (articles, tombstones and the checkpoint after them) is applied in one transaction, so a sync cut
 * short by a crash or the network resumes from the last page applied and never skips a change.
 * A change older than what the copy holds (a lower version) is ignored.
 */
import type { KnowledgeChanges } from '../../../shared/knowledge/ipc';
import { readCheckpoint, type KnowledgeDatabase } from './knowledge-db';

/** Where pages come from (main's knowledge:changes). Rejects when the platform cannot answer. */
export type ChangesSource = (after: string) => Promise<KnowledgeChanges>;

export interface SyncResult {
  /** Articles added or replaced, and withdrawn. */
  readonly updated: number;
  readonly removed: number;
  /** Their ids (the search index takes them in). */
  readonly updatedIds: readonly string[];
  readonly removedIds: readonly string[];
  /** The checkpoint the sync started from, and the one it reached. */
  readonly from: string;
  readonly checkpoint: string;
}

/** Pages at most per sync (500 each): a runaway feed cannot keep the sync going forever. */
const MAX_PAGES = 1_000;

/** Apply one page in one transaction; returns what changed. */
export async function applyPage(db: KnowledgeDatabase, page: KnowledgeChanges): Promise<{ updated: string[]; removed: string[] }> {
  return db.transaction('rw', db.articles, db.meta, async () => {
    const ids = [...page.articles.map((a) => a.id), ...page.tombstones.map((t) => t.id)];
    const held = new Map((await db.articles.bulkGet(ids)).flatMap((a) => (a ? [[a.id, a.version] as const] : [])));
    const newer = page.articles.filter((a) => (held.get(a.id) ?? 0) <= a.version);
    const gone = page.tombstones.filter((t) => held.has(t.id) && held.get(t.id)! <= t.version).map((t) => t.id);
    if (newer.length > 0) await db.articles.bulkPut(newer);
    if (gone.length > 0) await db.articles.bulkDelete(gone);
    await db.meta.put({ key: 'checkpoint', value: page.checkpoint });
    return { updated: newer.map((a) => a.id), removed: gone };
  });
}

/** Pull every page after the stored checkpoint. */
export async function pullKnowledge(db: KnowledgeDatabase, source: ChangesSource, now: () => number = Date.now): Promise<SyncResult> {
  const from = await readCheckpoint(db);
  let after = from;
  let updated = 0;
  let removed = 0;
  const updatedIds = new Set<string>();
  const removedIds = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const changes = await source(after);
    const applied = await applyPage(db, changes);
    updated += applied.updated.length;
    removed += applied.removed.length;
    for (const id of applied.updated) {
      updatedIds.add(id);
      removedIds.delete(id);
    }
    for (const id of applied.removed) {
      removedIds.add(id);
      updatedIds.delete(id);
    }
    // A page that does not move the checkpoint would be asked for again and again.
    const moved = changes.checkpoint !== after;
    after = changes.checkpoint;
    if (!changes.hasMore || !moved) break;
  }
  await db.meta.put({ key: 'syncedAt', value: now() });
  return { updated, removed, updatedIds: [...updatedIds], removedIds: [...removedIds], from, checkpoint: after };
}
