/**
 * The knowledge base's offline copy: main's knowledge:changes channel (what reaches the platform,
 * how failures come back), the renderer's page-by-page sync into IndexedDB (checkpoints,
 * tombstones, older versions ignored, a sync cut short resumes), the copy starting over for another
 * platform, validity dates, and the order form's ordering of articles by the order's category.
 */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Article } from '../../shared/knowledge/routes';
import type { KnowledgeChanges } from '../../shared/knowledge/ipc';
import { adoptSource, openKnowledgeDb, readCheckpoint, readSyncedAt } from '../../renderer/src/knowledge/knowledge-db';
import { pullKnowledge } from '../../renderer/src/knowledge/knowledge-sync';
import { inForce } from '../../renderer/src/knowledge/knowledge-store';
import { articlesForOrder } from '../../renderer/src/orders/form/ArticlePicker';
import { apiError, start } from '../helpers/core-with-platform';

function article(id: string, version = 1, extra: Partial<Article> = {}): Article {
  return {
    id,
    title: `标题 ${id}`,
    body: '答复口径',
    hotlines: ['12345'],
    keywords: ['公积金'],
    validFrom: '2025-01-01',
    version,
    updatedAt: '2026-12-01T02:00:00.000Z',
    ...extra,
  };
}

const page = (p: Partial<KnowledgeChanges> & { checkpoint: string }): KnowledgeChanges => ({ articles: [], tombstones: [], hasMore: false, ...p });

/** A feed over a fixed list of pages, keyed by the checkpoint asked after. */
function feed(pages: Record<string, KnowledgeChanges>) {
  const asked: string[] = [];
  const source = async (after: string) => {
    asked.push(after);
    const p = pages[after];
    if (!p) throw new Error(`no page after ${after}`);
    return p;
  };
  return { asked, source };
}

const freshDb = () => openKnowledgeDb(`kb-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });

describe('knowledge:changes (main)', () => {
  it('asks the platform for the page after the checkpoint and passes the validated page on', async () => {
    const t = start();
    const body = { articles: [article('kb-1')], tombstones: [{ id: 'kb-0', version: 3 }], checkpoint: '42', hasMore: false };
    t.platform.on('GET /v1/knowledge/changes', { status: 200, body });
    await t.signIn();
    expect(await t.call('knowledge:changes', { after: '41', limit: 200 })).toEqual({ ok: true, value: body });
    expect(t.platform.calls().map((c) => c.path)).toEqual(['/v1/knowledge/changes?after=41&limit=200']);
  });

  it.each([
    ['network down', 'network' as const, 'unavailable'],
    ['server error', apiError(503, 'internal'), 'unavailable'],
    ['reply breaking the contract', { status: 200, body: { articles: [{ id: 'x' }], tombstones: [], checkpoint: '1', hasMore: false } }, 'unavailable'],
    ['forbidden', apiError(403, 'forbidden'), 'rejected'],
  ])('%s: answers %s', async (_name, answer, code) => {
    const t = start();
    t.platform.on('GET /v1/knowledge/changes', answer);
    await t.signIn();
    expect(await t.call('knowledge:changes', { after: '0' })).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  });

  it('answers signed_out without a session and refuses a malformed checkpoint', async () => {
    const t = start();
    expect(await t.call('knowledge:changes', { after: '0' })).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
    await t.signIn();
    const bad = await t.call('knowledge:changes', { after: '1 or 1=1' });
    expect(bad.ok).toBe(false);
    expect(t.platform.calls()).toEqual([]);
  });
});

describe('knowledge sync (renderer)', () => {
  it('applies every page with its checkpoint: articles, updates and tombstones', async () => {
    const db = freshDb();
    const { asked, source } = feed({
      '0': page({ articles: [article('kb-1'), article('kb-2')], checkpoint: '2', hasMore: true }),
      '2': page({ articles: [article('kb-1', 2, { title: '新标题' })], tombstones: [{ id: 'kb-2', version: 2 }], checkpoint: '4' }),
    });
    const r = await pullKnowledge(db, source, () => 1234);
    expect(asked).toEqual(['0', '2']);
    expect(r).toEqual({ updated: 3, removed: 1, updatedIds: ['kb-1'], removedIds: ['kb-2'], from: '0', checkpoint: '4' });
    expect(await db.articles.toArray()).toEqual([article('kb-1', 2, { title: '新标题' })]);
    expect(await readCheckpoint(db)).toBe('4');
    expect(await readSyncedAt(db)).toBe(1234);

    // The next sync starts after the checkpoint and changes nothing when nothing changed.
    const next = feed({ '4': page({ checkpoint: '4' }) });
    expect(await pullKnowledge(db, next.source)).toEqual({ updated: 0, removed: 0, updatedIds: [], removedIds: [], from: '4', checkpoint: '4' });
    expect(next.asked).toEqual(['4']);
  });

  it('ignores a change older than the copy, and a tombstone of an article it never had', async () => {
    const db = freshDb();
    await pullKnowledge(db, feed({ '0': page({ articles: [article('kb-1', 3, { title: 'v3' })], checkpoint: '5' }) }).source);
    const stale = feed({ '5': page({ articles: [article('kb-1', 2, { title: 'v2' })], tombstones: [{ id: 'kb-1', version: 1 }, { id: 'kb-9', version: 4 }], checkpoint: '7' }) });
    expect(await pullKnowledge(db, stale.source)).toMatchObject({ updated: 0, removed: 0, from: '5', checkpoint: '7' });
    expect((await db.articles.get('kb-1'))?.title).toBe('v3');
  });

  it('keeps the pages applied before a failure and resumes after them', async () => {
    const db = freshDb();
    const cut = feed({ '0': page({ articles: [article('kb-1')], checkpoint: '1', hasMore: true }) }); // page after '1' fails
    await expect(pullKnowledge(db, cut.source)).rejects.toThrow('no page after 1');
    expect(await readCheckpoint(db)).toBe('1');
    expect(await readSyncedAt(db)).toBeNull();
    expect(await db.articles.count()).toBe(1);
    const resumed = feed({ '1': page({ articles: [article('kb-2')], checkpoint: '2' }) });
    await pullKnowledge(db, resumed.source);
    expect(resumed.asked).toEqual(['1']);
    expect((await db.articles.toArray()).map((a) => a.id)).toEqual(['kb-1', 'kb-2']);
  });

  it('stops on a page that does not move the checkpoint (no endless loop on a broken feed)', async () => {
    const db = freshDb();
    const stuck = feed({ '0': page({ articles: [article('kb-1')], checkpoint: '3', hasMore: true }), '3': page({ checkpoint: '3', hasMore: true }) });
    await pullKnowledge(db, stuck.source);
    expect(stuck.asked).toEqual(['0', '3']);
  });

  it('starts over when the seat is pointed at another platform', async () => {
    const db = freshDb();
    expect(await adoptSource(db, 'https://a.example')).toBe(false);
    await pullKnowledge(db, feed({ '0': page({ articles: [article('kb-1')], checkpoint: '9' }) }).source);
    expect(await adoptSource(db, 'https://a.example')).toBe(false);
    expect(await db.articles.count()).toBe(1);
    expect(await adoptSource(db, 'https://b.example')).toBe(true);
    expect(await db.articles.count()).toBe(0);
    expect(await readCheckpoint(db)).toBe('0');
  });
});

describe('articles offered to the order form', () => {
  it('are those in force today, validity dates included', () => {
    expect(inForce({ validFrom: '2026-01-01' }, '2026-12-06')).toBe(true);
    expect(inForce({ validFrom: '2026-12-06', validTo: '2026-12-06' }, '2026-12-06')).toBe(true);
    expect(inForce({ validFrom: '2026-12-07' }, '2026-12-06')).toBe(false);
    expect(inForce({ validFrom: '2025-01-01', validTo: '2026-12-05' }, '2026-12-06')).toBe(false);
  });

  it("come closest to the order's category first, then by number", () => {
    const list = [
      article('kb-4', 1, { categoryCode: '02.01' }),
      article('kb-1', 1, {}),
      article('kb-3', 1, { categoryCode: '01.01.02' }),
      article('kb-2', 1, { categoryCode: '01.01.05' }),
      article('kb-5', 1, { categoryCode: '01.02' }),
    ];
    expect(articlesForOrder(list, '01.01.05').map((a) => a.id)).toEqual(['kb-2', 'kb-3', 'kb-5', 'kb-1', 'kb-4']);
    expect(articlesForOrder(list, '').map((a) => a.id)).toEqual(['kb-1', 'kb-2', 'kb-3', 'kb-4', 'kb-5']);
  });
});
