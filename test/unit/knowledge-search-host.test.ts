/**
 * The knowledge search over the offline copy (renderer/src/knowledge/search): the index built from
 * the copy and stored beside it, read back at the next start when it matches the copy, taking each
 * sync's changes, built again when it does not continue the copy; results with marks and snippets.
 * And the article body's Markdown as blocks (HTML stays text, links are not followed).
 */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Article } from '../../shared/knowledge/routes';
import { openKnowledgeDb, readSynonyms, writeSynonyms, type KnowledgeDatabase } from '../../renderer/src/knowledge/knowledge-db';
import { pullKnowledge } from '../../renderer/src/knowledge/knowledge-sync';
import { SearchHost, plainText } from '../../renderer/src/knowledge/search/search-host';
import { answerText, inlineRuns, markdownBlocks } from '../../renderer/src/knowledge/markdown-blocks';
import { answerWithArticle, emptyOrderForm } from '../../shared/orders/order-form';

function article(id: string, title: string, body: string, version = 1, extra: Partial<Article> = {}): Article {
  return { id, title, body, hotlines: ['12345'], keywords: [], validFrom: '2025-01-01', version, updatedAt: '2026-12-01T02:00:00.000Z', ...extra };
}

const GJJ = article('kb-1', '住房公积金提取需要哪些材料？', '职工**提取住房公积金**，需提供：\n- 身份证\n- 银行卡', 1, { hotlines: ['12329'] });
const TAX = article('kb-2', '个人所得税年度汇算怎么办理？', '通过个人所得税App办理年度汇算。', 1, { hotlines: ['12366'] });
const OLD = article('kb-3', '旧的公积金提取规定', '已废止。', 1, { validTo: '2024-12-31' });

async function copyWith(articles: Article[], checkpoint = '1'): Promise<KnowledgeDatabase> {
  const db = openKnowledgeDb(`kb-search-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  await pullKnowledge(db, async () => ({ articles, tombstones: [], checkpoint, hasMore: false }));
  return db;
}

describe('knowledge search over the copy', () => {
  it('builds the index from the copy, stores it, and finds with marks and a snippet', async () => {
    const db = await copyWith([GJJ, TAX]);
    const host = new SearchHost(db);
    expect(await host.open()).toBe(2);
    expect((await db.search.toArray()).map((r) => r.key).sort()).toEqual(['delta', 'main']);
    const [hit] = await host.search({ query: '公积金提取' });
    expect(hit).toMatchObject({ id: 'kb-1', title: GJJ.title, hotlines: ['12329'] });
    expect(hit!.titleMarks.map(([a, b]) => hit!.title.slice(a, b))).toEqual(['公积金提取']);
    expect(hit!.snippet).toBe('职工提取住房公积金，需提供： 身份证 银行卡');
    expect(hit!.snippetMarks.map(([a, b]) => hit!.snippet.slice(a, b))).toEqual(['提取', '公积金']);
    expect(await host.search({ query: '   ' })).toEqual([]);
  });

  it('reads the stored index at the next start instead of building it, and hides articles out of force', async () => {
    const db = await copyWith([GJJ, TAX, OLD]);
    await new SearchHost(db).open();
    // Were it built again, the article slipped into the copy behind its back would be found.
    await db.articles.put(article('kb-9', '公积金提取秘籍', '不应被找到'));
    const again = new SearchHost(db);
    expect(await again.open()).toBe(3);
    expect((await again.search({ query: '公积金提取' })).map((h) => h.id).sort()).toEqual(['kb-1', 'kb-3']);
    expect((await again.search({ query: '公积金提取', filters: { day: '2026-12-07' } })).map((h) => h.id)).toEqual(['kb-1']);
  });

  it("takes a sync's changes in, and they survive a restart", async () => {
    const db = await copyWith([GJJ, TAX]);
    const host = new SearchHost(db);
    await host.open();
    const r = await pullKnowledge(db, async () => ({ articles: [article('kb-2', '个税专项附加扣除怎么填报？', '在个人所得税App填报。', 2), article('kb-4', '新生儿落户怎么办理？', '携带出生医学证明。')], tombstones: [{ id: 'kb-1', version: 2 }], checkpoint: '2', hasMore: false }));
    expect(await host.refresh({ from: r.from, changed: r.updatedIds, removed: r.removedIds })).toBe(2);
    expect((await host.search({ query: '落户' })).map((h) => h.id)).toEqual(['kb-4']);
    expect(await host.search({ query: '公积金' })).toEqual([]);
    expect((await host.search({ query: '年度汇算' })).map((h) => h.id)).toEqual([]);
    const later = new SearchHost(db);
    await later.open();
    expect((await later.search({ query: '专项附加扣除' })).map((h) => h.id)).toEqual(['kb-2']);
    expect(await later.search({ query: '公积金' })).toEqual([]);
  });

  it('builds again when the changes do not continue the index (the copy moved on without it)', async () => {
    const db = await copyWith([GJJ]);
    const host = new SearchHost(db);
    await host.open();
    await pullKnowledge(db, async () => ({ articles: [TAX], tombstones: [], checkpoint: '2', hasMore: false })); // not told
    const r = await pullKnowledge(db, async () => ({ articles: [article('kb-4', '新生儿落户怎么办理？', '携带出生医学证明。')], tombstones: [], checkpoint: '3', hasMore: false }));
    expect(await host.refresh({ from: r.from, changed: r.updatedIds, removed: r.removedIds })).toBe(3);
    expect((await host.search({ query: '年度汇算' })).map((h) => h.id)).toEqual(['kb-2']);
    // A start after a sync the index never saw: built again from the copy.
    await pullKnowledge(db, async () => ({ articles: [article('kb-5', '护照怎么办理？', '到出入境窗口办理。')], tombstones: [], checkpoint: '4', hasMore: false }));
    const next = new SearchHost(db);
    expect(await next.open()).toBe(4);
    expect((await next.search({ query: '护照' })).map((h) => h.id)).toEqual(['kb-5']);
  });

  it('narrows by hotline, department and category; a filter alone lists its articles; offers what the copy covers', async () => {
    const HOUSING = article('kb-5', '公积金贷款额度怎么算？', '按缴存余额计算。', 1, { hotlines: ['12329', '12345'], unitCode: 'GJJ', categoryCode: '03.02' });
    const db = await copyWith([GJJ, TAX, OLD, HOUSING]);
    const host = new SearchHost(db);
    await host.open();
    expect(host.facets()).toEqual({ hotlines: ['12329', '12345', '12366'], unitCodes: ['GJJ'], categoryCodes: ['03'] });
    const ids = async (query: string, filters: object) => (await host.search({ query, filters: { day: '2026-12-07', ...filters } })).map((h) => h.id).sort();
    expect(await ids('公积金', {})).toEqual(['kb-1', 'kb-5']);
    expect(await ids('公积金', { unitCode: 'GJJ' })).toEqual(['kb-5']);
    expect(await ids('公积金', { categoryCode: '03' })).toEqual(['kb-5']);
    expect(await ids('公积金', { categoryCode: '04' })).toEqual([]);
    expect(await ids('公积金', { hotline: '12329' })).toEqual(['kb-1', 'kb-5']);
    // No words: the filter's articles in force (OLD is 12345's but out of force).
    expect(await ids('', { hotline: '12345' })).toEqual(['kb-5']);
    expect(await ids('', { categoryCode: '03' })).toEqual(['kb-5']);
    expect(await ids('', {})).toEqual([]);
  });

  it('leaves out the articles asked to (related to the one open), and marks nothing when asked not to', async () => {
    const db = await copyWith([GJJ, OLD]);
    const host = new SearchHost(db);
    await host.open();
    const hits = await host.search({ query: '公积金提取', exclude: ['kb-1'], marks: false });
    expect(hits.map((h) => h.id)).toEqual(['kb-3']);
    expect(hits[0]!.titleMarks).toEqual([]);
    expect(hits[0]!.snippetMarks).toEqual([]);
  });

  it('searches through the synonym table the copy holds, read at open and again when a sync brings a new one', async () => {
    const db = await copyWith([TAX]);
    const host = new SearchHost(db);
    await host.open();
    expect(await host.search({ query: '个税' })).toEqual([]);
    await writeSynonyms(db, { version: 3, rows: [{ terms: ['个税', '个人所得税'] }] });
    await host.readSynonyms();
    expect((await host.search({ query: '个税' })).map((h) => h.id)).toEqual(['kb-2']);
    const next = new SearchHost(db);
    await next.open();
    expect((await next.search({ query: '个税' })).map((h) => h.id)).toEqual(['kb-2']);
    // A damaged table reads as none (the search goes on without it).
    await db.meta.put({ key: 'synonyms', value: { version: 4, rows: [{ terms: ['只有一个'] }] } });
    expect(await readSynonyms(db)).toEqual({ version: 0, rows: [] });
  });
});

describe('article bodies', () => {
  it('become headings, paragraphs, lists and bold runs; HTML and scripts stay literal text', () => {
    expect(markdownBlocks('# 办理渠道\n网上办理\n线下办理\n\n1. 第一步\n2. 第二步\n- 材料')).toEqual([
      { kind: 'heading', level: 1, inline: [{ kind: 'text', text: '办理渠道' }] },
      { kind: 'paragraph', inline: [{ kind: 'text', text: '网上办理 线下办理' }] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: '第一步' }], [{ kind: 'text', text: '第二步' }]] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: '材料' }]] },
    ]);
    expect(markdownBlocks('<script>alert(1)</script><img src=x onerror=alert(1)>')).toEqual([
      { kind: 'paragraph', inline: [{ kind: 'text', text: '<script>alert(1)</script><img src=x onerror=alert(1)>' }] },
    ]);
  });

  it('shows a link as its text and address (nothing followed or loaded), and cuts a huge body', () => {
    expect(inlineRuns('见[政务服务网](https://www.gdzwfw.gov.cn)与**30日内**')).toEqual([
      { kind: 'text', text: '见' },
      { kind: 'link', text: '政务服务网', href: 'https://www.gdzwfw.gov.cn' },
      { kind: 'text', text: '与' },
      { kind: 'strong', text: '30日内' },
    ]);
    const huge = markdownBlocks('很长的答复'.repeat(200_000));
    expect(huge).toHaveLength(1);
    expect((huge[0] as { inline: { text: string }[] }).inline[0]!.text.length).toBe(50_000);
  });

  it('reads as running text for snippets', () => {
    expect(plainText('**办理渠道**\n1. 网上：[粤省事](https://x)\n- 线下')).toBe('办理渠道 网上：粤省事 线下');
  });
});

describe('an order answered from an article (即时答复)', () => {
  it('takes the answer wording as text, lines and list items kept', () => {
    expect(answerText('用人单位应当**30日内**办理。\n\n1. 网上：[粤省事](https://x)\n2. 线下窗口\n- 身份证')).toBe('用人单位应当30日内办理。\n1. 网上：粤省事\n2. 线下窗口\n- 身份证');
  });

  it('is answered on the spot with the article as basis, the wording added to the summary once', () => {
    const typed = emptyOrderForm({ disposition: 'dispatched', summary: '来电人询问参保登记。' });
    const once = { ...typed, ...answerWithArticle(typed, { id: 'kb-0001', wording: '30日内办理。' }) };
    expect(once).toMatchObject({ disposition: 'answered', knowledgeArticleId: 'kb-0001', summary: '来电人询问参保登记。\n30日内办理。' });
    expect(answerWithArticle(once, { id: 'kb-0001', wording: '30日内办理。' }).summary).toBe(once.summary);
    expect(answerWithArticle(emptyOrderForm(), { id: 'kb-2', wording: '答复' }).summary).toBe('答复');
  });
});
