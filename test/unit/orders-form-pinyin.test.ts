/** Category / unit search in the order form: characters, code, full pinyin, pinyin initials. */
import { describe, expect, it } from 'vitest';
import { isPinyinQuery, loadPinyin, nameMatches, normalizeQuery, searchItems, type PinyinMatcher, type SearchItem } from '../../renderer/src/orders/form/pinyin';

const item = (code: string, ...path: string[]): SearchItem => ({ code, name: path[path.length - 1]!, path });

const CATEGORIES: SearchItem[] = [
  item('01', '城乡建设'),
  item('01.01', '城乡建设', '住房公积金'),
  item('01.02', '城乡建设', '物业管理'),
  item('02', '交通运输'),
  item('02.01', '交通运输', '公交线路'),
  item('03', '金融服务'),
  item('03.01', '金融服务', '银行服务'),
  item('04', '市场监管'),
  item('04.01', '市场监管', '价格监督'),
];

async function matcher(): Promise<PinyinMatcher> {
  const m = await loadPinyin();
  expect(m).not.toBeNull();
  return m!;
}

describe('pinyin search of configured names', () => {
  it('finds 公积金 by its initials "gjj" and by full pinyin', async () => {
    const p = await matcher();
    expect(searchItems(CATEGORIES, 'gjj', p).map((i) => i.code)).toEqual(['01.01']);
    expect(searchItems(CATEGORIES, 'gongjijin', p).map((i) => i.code)).toEqual(['01.01']);
    expect(searchItems(CATEGORIES, 'ZF GJJ', p).map((i) => i.code)).toEqual(['01.01']);
  });

  it('matches a polyphone by either reading (银行 as yinhang)', async () => {
    const p = await matcher();
    expect(nameMatches('银行服务', 'yh', p)).toBe(true);
    expect(nameMatches('银行服务', 'yhfw', p)).toBe(true);
  });

  it('ranks own names above a parent, and characters above pinyin', async () => {
    const p = await matcher();
    // "交通" by characters: the parent itself, then its child through the parent's name.
    expect(searchItems(CATEGORIES, '交通', p).map((i) => i.code)).toEqual(['02', '02.01']);
    // "jt": 交通运输 by pinyin, then 公交线路 under it (parent by pinyin).
    expect(searchItems(CATEGORIES, 'jt', p).map((i) => i.code)).toEqual(['02', '02.01']);
    // "gj" inside names: 公积金, 公交, and 价格监督 (jia-GE-JIan-du), in tree order.
    expect(searchItems(CATEGORIES, 'gj', p).map((i) => i.code)).toEqual(['01.01', '02.01', '04.01']);
    // "jr": 金融服务 by its own name, then 银行服务 through its parent.
    expect(searchItems(CATEGORIES, 'jr', p).map((i) => i.code)).toEqual(['03', '03.01']);
    // Characters: "城乡" finds the parent itself, then its children through it.
    expect(searchItems(CATEGORIES, '城乡', p).map((i) => i.code)).toEqual(['01', '01.01', '01.02']);
  });

  it('matches a code prefix', async () => {
    const p = await matcher();
    expect(searchItems(CATEGORIES, '03', p).map((i) => i.code)).toEqual(['03', '03.01']);
    expect(searchItems(CATEGORIES, '01.0', p).map((i) => i.code)).toEqual(['01.01', '01.02']);
  });

  it('searches by characters before the pinyin data has loaded', () => {
    expect(searchItems(CATEGORIES, '公积金', null).map((i) => i.code)).toEqual(['01.01']);
    expect(searchItems(CATEGORIES, 'gjj', null)).toEqual([]);
  });

  it('returns everything, in tree order, for an empty query', () => {
    expect(searchItems(CATEGORIES, '  ', null)).toEqual(CATEGORIES);
  });

  it('treats only letters as pinyin', async () => {
    const p = await matcher();
    expect(isPinyinQuery('gjj')).toBe(true);
    expect(isPinyinQuery('gjj1')).toBe(false);
    expect(isPinyinQuery('公积')).toBe(false);
    expect(normalizeQuery(' G J J ')).toBe('gjj');
    expect(searchItems(CATEGORIES, 'xyzq', p)).toEqual([]);
  });

  it('loads the pinyin data once', async () => {
    expect(await loadPinyin()).toBe(await loadPinyin());
  });
});
