/** Small wordings of the orders UI: tabs, order numbers, the outbox figure, the pop's history. */
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { enUS } from '../../renderer/src/i18n/en-US';
import { draftTabLabel, historyDate, hhmm, mergeHistory, orderNoLabel, outboxLabel } from '../../renderer/src/orders/form/labels';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
}

// 2026-11-25 09:05 in Beijing.
const AT = Date.parse('2026-11-25T01:05:00Z');

describe('labels', () => {
  it('a draft tab shows the masked number, or 新工单 and its time', async () => {
    const t = await translator('zh-CN');
    expect(draftTabLabel({ call: { remoteNumber: '13812341234' } }, AT, t)).toBe('138****1234');
    expect(draftTabLabel({}, AT, t)).toBe('新工单 09:05');
    expect(draftTabLabel({ call: { remoteNumber: '' } }, AT, t)).toBe('新工单 09:05');
  });

  it('an order without a number says whether it waits or needs attention', async () => {
    const t = await translator('zh-CN');
    expect(orderNoLabel({ orderNo: '20261125-000123', sync: 'synced' }, t)).toBe('20261125-000123');
    expect(orderNoLabel({ sync: 'pending' }, t)).toBe('待同步');
    expect(orderNoLabel({ sync: 'failed' }, t)).toBe('需处理');
  });

  it('the outbox figure', async () => {
    const zh = await translator('zh-CN');
    expect(outboxLabel({ pending: 2, failed: 1, lastSyncAt: AT }, zh)).toBe('待同步 2 · 需处理 1 · 上次同步 09:05');
    expect(outboxLabel({ pending: 0, failed: 0 }, zh)).toBe('待同步 0 · 需处理 0 · 尚未同步');
    // How long the oldest has waited: the agent sees a queue that does not move.
    expect(outboxLabel({ pending: 3, failed: 0, oldestPendingAt: AT, lastSyncAt: AT }, zh)).toBe('待同步 3（最早 09:05） · 需处理 0 · 上次同步 09:05');
    expect(outboxLabel({ pending: 0, failed: 0, oldestPendingAt: AT }, zh)).toBe('待同步 0 · 需处理 0 · 尚未同步');
    const en = await translator('en-US');
    expect(outboxLabel({ pending: 2, failed: 0, lastSyncAt: AT }, en)).toBe('To sync 2 · Needs attention 0 · Last sync 09:05');
    expect(hhmm(AT)).toBe('09:05');
  });
});

describe('screen-pop history', () => {
  const base = {
    local: {
      orders: [
        { id: 'l1', orderId: 'p1', orderNo: 'A-1', createdAt: AT - 1000, requestType: 'complaint', title: '噪音', status: 'dispatched' as const, sync: 'synced' as const },
        { id: 'l2', createdAt: AT, requestType: 'consult', title: '社保', sync: 'pending' as const },
      ],
      calls: [{ id: 'c1', direction: 'inbound' as const, startedAt: AT - 500, result: 'answered' }],
    },
    platform: {
      history: {
        orders: [
          { id: 'p1', orderNo: 'A-1', createdAt: '2026-11-25T09:04:00+08:00', requestType: 'complaint', title: '噪音', status: 'dispatched' as const, confidential: false },
          { id: 'p2', orderNo: 'A-0', createdAt: '2026-10-01T10:00:00+08:00', requestType: 'report', title: '不该显示的标题', status: 'closed' as const, confidential: true },
          { id: 'p3', orderNo: 'A-2', createdAt: '2026-11-01T10:00:00+08:00', requestType: 'help', title: '路灯', status: 'replied' as const, confidential: false },
        ],
      },
    },
  };

  it('lists local orders and calls first (newest first), then the platform’s without doubles', () => {
    const rows = mergeHistory(base);
    expect(rows.map((r) => r.key)).toEqual(['lo:l2', 'lc:c1', 'lo:l1', 'po:p3', 'po:p2']);
    expect(rows.map((r) => r.source)).toEqual(['local', 'local', 'local', 'platform', 'platform']);
  });

  it('shows a confidential order as 保密, without its title', () => {
    const p2 = mergeHistory(base).find((r) => r.key === 'po:p2')!;
    expect(p2.confidential).toBe(true);
    expect(p2.title).toBeUndefined();
    expect(historyDate(p2)).toBe('2026-10-01');
  });

  it('works with local records only (platform unavailable)', () => {
    const rows = mergeHistory({ local: base.local, platform: {} });
    expect(rows.map((r) => r.key)).toEqual(['lo:l2', 'lc:c1', 'lo:l1']);
  });
});
