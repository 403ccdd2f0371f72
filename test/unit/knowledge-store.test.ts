/**
 * The knowledge panel's data layer (renderer/src/knowledge/knowledge-store.ts) over a real copy
 * (fake IndexedDB) and the search host in the page: a filter chosen while typed words wait for
 * their pause, suggestions, related articles, and the platform's synonym table arriving with a sync.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { Article } from '../../shared/knowledge/routes';
import type { KnowledgeChanges, KnowledgeSynonyms } from '../../shared/knowledge/ipc';

const platform = vi.hoisted(() => ({
  articles: [] as unknown[],
  synonyms: { version: 0, rows: [] } as { version: number; rows: { terms: string[]; oneWay?: boolean }[] },
  asked: [] as (number | undefined)[],
}));
vi.stubGlobal('window', {
  workstation: {
    logging: { write: () => Promise.resolve({ ok: true, value: null }) },
    knowledge: {
      changes: ({ after }: { after: string }): Promise<{ ok: true; value: KnowledgeChanges }> =>
        Promise.resolve({ ok: true, value: { articles: after === '0' ? (platform.articles as Article[]) : [], tombstones: [], checkpoint: '1', hasMore: false } }),
      synonyms: ({ known }: { known?: number }): Promise<{ ok: true; value: KnowledgeSynonyms }> => {
        platform.asked.push(known);
        return Promise.resolve({ ok: true, value: known === platform.synonyms.version ? { version: known } : platform.synonyms });
      },
    },
  },
});

const store = await import('../../renderer/src/knowledge/knowledge-store');
const { useSessionStore } = await import('../../renderer/src/session/session-store');
const { readSynonyms, openKnowledgeDb } = await import('../../renderer/src/knowledge/knowledge-db');
const { useKnowledgeStore } = store;

function article(id: string, title: string, extra: Partial<Article> = {}): Article {
  return { id, title, body: `${title}的答复口径。`, hotlines: ['12345'], keywords: [], validFrom: '2025-01-01', version: 1, updatedAt: '2026-12-01T02:00:00.000Z', ...extra };
}

platform.articles = [
  article('kb-1', '住房公积金提取需要哪些材料', { hotlines: ['12329'], keywords: ['公积金提取'] }),
  article('kb-2', '公积金贷款额度怎么算', { hotlines: ['12329'] }),
  article('kb-3', '公积金缴存证明在哪里打印', { hotlines: ['12345'] }),
  article('kb-4', '个人所得税年度汇算怎么办理', { hotlines: ['12366'] }),
];
useSessionStore.setState({ status: { state: 'online', user: { id: 'u1', account: 'agent01', displayName: '坐席', role: 'agent', orgCode: 'QY-12345' } } } as never);
await store.syncKnowledge();
const ids = (hits: readonly { id: string }[] | null) => (hits ?? []).map((h) => h.id).sort();
const settled = () => vi.waitFor(() => expect(useKnowledgeStore.getState().hitsFor).toBe(useKnowledgeStore.getState().query), { timeout: 2_000 });

describe('the knowledge panel’s data', () => {
  it('searches the words typed with a filter chosen before their pause ended, once', async () => {
    store.typeKnowledge('公积金');
    expect(useKnowledgeStore.getState().query).toBe('公积金');
    await store.setKnowledgeFilters({ hotline: '12329' });
    expect(useKnowledgeStore.getState().hitsFor).toBe('公积金');
    expect(ids(useKnowledgeStore.getState().hits)).toEqual(['kb-1', 'kb-2']);
    // The pending search of the typed words does not come back without the filter.
    await new Promise((r) => setTimeout(r, store.TYPING_PAUSE_MS + 50));
    expect(ids(useKnowledgeStore.getState().hits)).toEqual(['kb-1', 'kb-2']);
    // A filter alone lists its articles; none and no words: nothing asked.
    store.typeKnowledge('');
    await settled();
    expect(ids(useKnowledgeStore.getState().hits)).toEqual(['kb-1', 'kb-2']);
    await store.setKnowledgeFilters({});
    expect(useKnowledgeStore.getState().hits).toBeNull();
    expect(useKnowledgeStore.getState().facets?.hotlines).toEqual(['12329', '12345', '12366']);
  });

  it('suggests for a text, and clears when the order says nothing', async () => {
    await store.suggestKnowledge('来电人想把住房公积金取出来');
    expect(useKnowledgeStore.getState().suggestionsFor).toBe('来电人想把住房公积金取出来');
    expect(useKnowledgeStore.getState().suggestions[0]?.id).toBe('kb-1');
    expect(useKnowledgeStore.getState().suggestions[0]?.titleMarks).toEqual([]);
    await store.suggestKnowledge('  ');
    expect(useKnowledgeStore.getState().suggestions).toEqual([]);
  });

  it('opens an article with related ones, itself left out', async () => {
    await store.showArticle('kb-2');
    expect(useKnowledgeStore.getState().article?.id).toBe('kb-2');
    const related = ids(useKnowledgeStore.getState().related);
    expect(related).toContain('kb-1');
    expect(related).not.toContain('kb-2');
    await store.showArticle(null);
    expect(useKnowledgeStore.getState().related).toEqual([]);
  });

  it('takes the platform’s synonym table with a sync when its version moved, and searches through it', async () => {
    store.typeKnowledge('个税');
    await settled();
    expect(ids(useKnowledgeStore.getState().hits)).toEqual([]);
    platform.synonyms = { version: 2, rows: [{ terms: ['个税', '个人所得税'], oneWay: true }] };
    await store.syncKnowledge();
    expect(await readSynonyms(openKnowledgeDb())).toEqual(platform.synonyms);
    // The shown query is asked again once the search has the table.
    await vi.waitFor(() => expect(ids(useKnowledgeStore.getState().hits)).toEqual(['kb-4']), { timeout: 2_000 });
    await store.syncKnowledge();
    expect(platform.asked.slice(-2)).toEqual([0, 2]);
  });
});
