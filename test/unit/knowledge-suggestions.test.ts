/**
 * What the knowledge panel suggests while an order is typed (renderer/src/knowledge/suggestions.ts):
 * the text searched is made of the dialled hotline, the category's names, the title and the
 * content's latest part — nothing until the order says something.
 */
import { describe, expect, it } from 'vitest';
import { categoryTrail, suggestionText } from '../../renderer/src/knowledge/suggestions';
import { emptyOrderForm } from '../../shared/orders/order-form';
import type { CategoryNode } from '../../shared/directory/routes';

const TREE: CategoryNode[] = [
  { code: '01', name: '城乡建设', children: [{ code: '01.02', name: '住房保障', children: [{ code: '01.02.03', name: '公积金', children: [] }] }] },
  { code: '02', name: '劳动保障', children: [] },
];

const draft = (form: Partial<ReturnType<typeof emptyOrderForm>>, dialled?: string) => ({
  form: emptyOrderForm(form),
  ...(dialled !== undefined ? { call: { callId: 'c1', remoteNumber: '13800138000', direction: 'inbound' as const, ringAt: 0, dialled } } : {}),
});

describe('suggestions for the order being typed', () => {
  it('names a category from the top of the tree down', () => {
    expect(categoryTrail(TREE, '01.02.03')).toEqual(['城乡建设', '住房保障', '公积金']);
    expect(categoryTrail(TREE, '02')).toEqual(['劳动保障']);
    expect(categoryTrail(TREE, '01.09')).toEqual(['城乡建设']);
    expect(categoryTrail(TREE, '07')).toEqual([]);
  });

  it('searches the hotline dialled, the category, the title and the content', () => {
    const text = suggestionText(draft({ title: '公积金提取', content: '来电人想提取公积金', categoryCode: '01.02.03' }, '12329') as never, TREE);
    expect(text).toBe('12329 城乡建设 住房保障 公积金 公积金提取 来电人想提取公积金');
  });

  it('reads the latest part of a long content (what is being said now)', () => {
    const content = `${'前面说的事情'.repeat(100)}现在问的是医保报销`;
    const text = suggestionText(draft({ content }) as never, TREE);
    expect(text.endsWith('现在问的是医保报销')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(400);
  });

  it('suggests nothing for an empty order or none, even when the hotline is known', () => {
    expect(suggestionText(undefined, TREE)).toBe('');
    expect(suggestionText(draft({}, '12345') as never, TREE)).toBe('');
    expect(suggestionText(draft({ content: '   ' }, '12345') as never, TREE)).toBe('');
    expect(suggestionText(draft({ categoryCode: '02' }) as never, TREE)).toBe('劳动保障');
  });
});
