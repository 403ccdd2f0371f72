/** The knowledge search engine (shared/knowledge/search): terms, readings, ranking, filters, updates, persistence. */
import { describe, expect, it } from 'vitest';
import { KnowledgeIndex, type SearchDoc } from '../../shared/knowledge/search/knowledge-index';
import { compileSynonyms, synonymVariants, typoVariants } from '../../shared/knowledge/search/expand';
import { TOKENIZER_VERSION, normalText, termsOf, tokenize } from '../../shared/knowledge/search/tokenize';

const doc = (id: string, title: string, body: string, extra: Partial<SearchDoc> = {}): SearchDoc => ({ id, title, body, keywords: [], hotlines: [], validFrom: '2024-01-01', ...extra });

const DOCS: SearchDoc[] = [
  doc('gjj-tq', '住房公积金提取需要哪些材料？', '职工提取住房公积金，需提供身份证和银行卡。', { keywords: ['公积金提取'], hotlines: ['12329'], categoryCode: '02.01' }),
  doc('gjj-dk', '公积金贷款可以提前还款吗？', '可以。公积金贷款提前还款需预约。', { keywords: ['公积金贷款'], hotlines: ['12329'], categoryCode: '02.02' }),
  doc('jj-tz', '基金投资有风险吗？', '证券投资基金由基金公司管理，投资有风险。', { categoryCode: '09' }),
  doc('gs-hs', '个人所得税年度汇算怎么办理？', '通过个人所得税App办理年度汇算，多退少补。', { keywords: ['年度汇算', '退税'], hotlines: ['12366'], unitCode: 'TAX', categoryCode: '03.01' }),
  doc('sb-cb', '单位新招员工怎么办理社会保险参保登记？', '用人单位应当自用工之日起30日内为职工办理社会保险登记。', { hotlines: ['12333'], unitCode: 'HRSS', categoryCode: '01.01' }),
  doc('etc', 'ETC卡怎么办理？', '携带行驶证到银行网点办理ETC。', { hotlines: ['12328'] }),
  doc('old', '已经废止的旧口径', '住房公积金提取旧规定。', { validFrom: '2020-01-01', validTo: '2023-12-31' }),
];
const SYNONYMS = [
  { terms: ['个税', '个人所得税'], oneWay: true },
  { terms: ['社保', '社会保险'] },
];
const ids = (index: KnowledgeIndex, q: string, filters = {}) => index.search(q, { limit: 5, filters }).map((h) => h.id);

describe('knowledge terms', () => {
  it('makes pairs of Han characters, one term per Latin or digit run, and keeps positions in the original text', () => {
    expect(tokenize('公积金提取，ETC卡 12366').map((t) => [t.term, t.start, t.length])).toEqual([
      ['公积', 0, 2],
      ['积金', 1, 2],
      ['金提', 2, 2],
      ['提取', 3, 2],
      ['etc', 6, 3],
      ['卡', 9, 1],
      ['12366', 11, 5],
    ]);
  });

  it('matches full-width and upper-case forms as the plain ones, and keeps the text length', () => {
    expect(termsOf('ＥＴＣ１２３６６')).toEqual(['etc12366']);
    expect(normalText('ＡＢ，Ｃ')).toHaveLength(4);
    expect(normalText('ＡＢ，Ｃ')).toBe('ab,c');
  });

  it('gives one-character terms where asked (titles and keywords), and handles characters outside the BMP', () => {
    expect(termsOf('社保', { unigrams: true }).sort()).toEqual(['保', '社', '社保'].sort());
    expect(termsOf('𠀀𠀁')).toEqual(['𠀀𠀁']);
  });

  it('finds nothing to search in punctuation, emoji or empty text', () => {
    expect(termsOf('？！……，。 😀🎉')).toEqual([]);
    expect(termsOf('')).toEqual([]);
  });
});

describe('query readings', () => {
  it('expands through the synonym table: both ways, or one way for an abbreviation', () => {
    const table = compileSynonyms(SYNONYMS);
    expect(synonymVariants('个税怎么退', table).map((v) => v.text)).toEqual(['个人所得税怎么退']);
    expect(synonymVariants('个人所得税', table)).toEqual([]);
    expect(synonymVariants('社保转移', table).map((v) => v.text)).toEqual(['社会保险转移']);
    expect(synonymVariants('社会保险转移', table).map((v) => v.text)).toEqual(['社保转移']);
  });

  it('tries a confused character only where the typed pair is unknown, and only when the exchange is known', () => {
    const known = new Set(['公积', '积金', '基金']);
    expect(typoVariants('公基金', (p) => known.has(p)).map((v) => v.text)).toEqual(['公积金']);
    expect(typoVariants('基金', (p) => known.has(p))).toEqual([]);
    expect(typoVariants('公基金', () => false)).toEqual([]);
  });
});

describe('knowledge index', () => {
  const index = KnowledgeIndex.build(DOCS, SYNONYMS);

  it('finds a phrase in another word order, the best match first', () => {
    expect(ids(index, '公积金提取')[0]).toBe('gjj-tq');
    expect(ids(index, '提取住房公积金')[0]).toBe('gjj-tq');
  });

  it('corrects a confused character: 公基金 finds 公积金, not the investment fund article first', () => {
    expect(ids(index, '公基金提取')[0]).toBe('gjj-tq');
  });

  it('finds an article by an abbreviation from the synonym table', () => {
    expect(ids(index, '个税')[0]).toBe('gs-hs');
    expect(ids(index, '社保登记')[0]).toBe('sb-cb');
    expect(ids(KnowledgeIndex.build(DOCS), '个税')).not.toContain('gs-hs');
  });

  it('finds by hotline number, Latin words, one character, and mixed input', () => {
    expect(ids(index, '12366')).toEqual(['gs-hs']);
    expect(ids(index, 'etc')).toEqual(['etc']);
    expect(ids(index, 'ETC卡')[0]).toBe('etc');
    expect(ids(index, '税')).toContain('gs-hs');
  });

  it('takes bad input without failing: punctuation only, emoji, 1,000 characters', () => {
    expect(ids(index, '？？！！')).toEqual([]);
    expect(ids(index, '😀😀')).toEqual([]);
    expect(ids(index, '公积金'.repeat(334))[0]).toMatch(/^gjj-/);
  });

  it('filters by day in force, hotline, unit and category (and its sub-categories)', () => {
    expect(ids(index, '公积金提取')).toContain('old');
    expect(ids(index, '公积金提取', { day: '2026-12-07' })).not.toContain('old');
    expect(ids(index, '公积金', { hotline: '12329' }).sort()).toEqual(['gjj-dk', 'gjj-tq']);
    expect(ids(index, '办理', { unitCode: 'TAX' })).toEqual(['gs-hs']);
    expect(ids(index, '公积金', { categoryCode: '02' }).sort()).toEqual(['gjj-dk', 'gjj-tq']);
    expect(ids(index, '公积金', { categoryCode: '02.0' })).toEqual([]);
  });

  it('highlights the matched words of any reading, as ranges in the original text', () => {
    const title = '单位新招员工怎么办理社会保险参保登记？';
    const ranges = index.highlight(title, '社保');
    expect(ranges.map(([a, b]) => title.slice(a, b))).toEqual(['社会保险']);
    expect(index.highlight('ＥＴＣ卡', 'etc')).toEqual([[0, 3]]);
  });

  it('takes updates and withdrawals at once, and a replaced article is found by its new words only', () => {
    const live = KnowledgeIndex.build(DOCS, SYNONYMS);
    live.update([doc('gjj-dk', '公积金贷款额度怎么算？', '贷款额度按缴存余额计算。'), doc('new', '新生儿落户怎么办理？', '携带出生医学证明办理户口登记。')], ['etc']);
    expect(ids(live, '落户')).toEqual(['new']);
    expect(ids(live, 'etc')).toEqual([]);
    expect(ids(live, '贷款额度')[0]).toBe('gjj-dk');
    expect(ids(live, '提前还款')).not.toContain('gjj-dk');
    expect(live.size).toBe(DOCS.length);
    live.update([], ['new']);
    expect(ids(live, '落户')).toEqual([]);
    expect(live.recentCount).toBe(1);
  });

  it('is persisted as plain data and read back with the same results; another tokenizer version is rebuilt', () => {
    const live = KnowledgeIndex.build(DOCS, SYNONYMS);
    live.update([doc('new', '新生儿落户怎么办理？', '携带出生医学证明办理户口登记。')], ['etc']);
    const data = structuredClone(live.toData());
    const back = KnowledgeIndex.load(data, SYNONYMS)!;
    for (const q of ['公积金提取', '个税', '落户', 'etc', '税']) expect(back.search(q)).toEqual(live.search(q));
    expect(KnowledgeIndex.load({ ...data, tokenizer: TOKENIZER_VERSION + 1 })).toBeUndefined();
  });

  it('reads a long text (an order being typed) by its most telling words, wherever they come', () => {
    // Twenty notes with the same long chatter: its words are everywhere, so they say little.
    const chatter = '市民来电反映情况咨询有关问题希望尽快处理并给予答复谢谢工作人员耐心解释说明电话回访满意';
    const notes = Array.from({ length: 20 }, (_, i) => doc(`note-${i}`, `来电记录${i}`, chatter));
    const index = KnowledgeIndex.build([...DOCS, ...notes]);
    const text = `${chatter}${chatter}，其实想问公积金提取`;
    expect(tokenize(text).length).toBeGreaterThan(60);
    const top = index.search(text, { limit: 3, maxChars: 600 }).map((h) => h.id);
    expect(top[0]).toBe('gjj-tq');
    // A typed query is read up to 200 characters: the same words past them are not read.
    const long = `${'市民来电反映情况'.repeat(30)}公积金提取`;
    expect(index.search(long, { limit: 3 }).map((h) => h.id)).not.toContain('gjj-tq');
    expect(index.search(long, { limit: 3, maxChars: 600 }).map((h) => h.id)[0]).toBe('gjj-tq');
  });

  it('tells the filters what the searchable articles cover (withdrawn ones left out)', () => {
    const index = KnowledgeIndex.build(DOCS);
    expect(index.facets()).toEqual({ hotlines: ['12328', '12329', '12333', '12366'], unitCodes: ['HRSS', 'TAX'], categoryCodes: ['01', '02', '03', '09'] });
    index.update([], ['sb-cb']);
    index.update([doc('new', '新口径', '正文', { hotlines: ['12345'], unitCode: 'GJJ', categoryCode: '05.01' })]);
    expect(index.facets()).toEqual({ hotlines: ['12328', '12329', '12345', '12366'], unitCodes: ['GJJ', 'TAX'], categoryCodes: ['02', '03', '05', '09'] });
  });
});
