/**
 * 需处理: an order the platform refused stays visible with the platform's words (also on later
 * days), never blocks the others, and can be corrected and submitted again — the corrected order
 * replaces the refused one (a new entry with its own key and sequence number; the refused entry
 * leaves the queue; the search finds the corrected words, not the old ones).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { editDraft, newDraft, ordersSettled, reopenRefused, searchMyOrders, submitDraft, syncNow, useOrdersStore } from '../../renderer/src/orders/orders-store';
import { setUp, tearDown, until, validForm } from './orders-harness';

afterEach(tearDown);

const view = (id: string) => useOrdersStore.getState().myOrders.find((o) => o.id === id);

describe('an order the platform refused', () => {
  it('is shown with the reason, corrected and submitted again; the others never wait for it', async () => {
    const env = await setUp();
    env.platform.mode = 'down';
    const bad = newDraft();
    editDraft(bad, validForm({ title: '错别字工单甲乙' }));
    expect((await submitDraft(bad)).ok).toBe(true);
    const good = newDraft();
    editDraft(good, validForm({ title: '正常的工单' }));
    expect((await submitDraft(good)).ok).toBe(true);
    env.platform.refuse.set(bad, { status: 400, code: 'invalid_request', message: 'Unknown unit', issues: [{ path: 'order.handlingUnit', message: 'unknown' }] });
    env.platform.mode = 'up';
    syncNow();
    await until(() => view(bad)?.sync === 'failed' && view(good)?.sync === 'synced');
    expect(view(bad)).toMatchObject({ error: 'Unknown unit', errorCode: 'invalid_request', errorFields: ['handlingUnit'] });
    await until(() => useOrdersStore.getState().sync.failed === 1 && useOrdersStore.getState().sync.pending === 0);
    await expect(reopenRefused(good)).rejects.toThrow(/refused/);

    await reopenRefused(bad);
    const d = useOrdersStore.getState().drafts[bad]!;
    // The platform's refusal on the form, and the field it names marked as a local check would.
    expect(d).toMatchObject({ state: 'open', refused: { code: 'invalid_request', message: 'Unknown unit', fields: ['handlingUnit'] }, errors: [{ field: 'handlingUnit', code: 'invalid' }] });
    expect(useOrdersStore.getState().activeDraftId).toBe(bad);
    expect(d.form.title).toBe('错别字工单甲乙');
    env.platform.refuse.delete(bad);
    editDraft(bad, { title: '改正后的工单丙丁' });
    expect(await submitDraft(bad)).toEqual({ ok: true, mutationId: expect.any(String) });
    await until(() => view(bad)?.sync === 'synced');
    await ordersSettled();
    expect(useOrdersStore.getState().drafts[bad]?.refused).toBeUndefined();
    await until(() => useOrdersStore.getState().sync.failed === 0 && useOrdersStore.getState().sync.pending === 0);

    // Sent twice (refused, then corrected), each time with its own key and sequence number.
    const sends = env.platform.pushes.flat().filter((m) => m.clientOrderId === bad);
    expect(sends).toHaveLength(2);
    expect(new Set(sends.map((m) => m.idempotencyKey)).size).toBe(2);
    expect(sends[1]!.clientSeq).toBeGreaterThan(sends[0]!.clientSeq);
    const raw = env.raw();
    expect((await raw.outbox.where('clientOrderId').equals(bad).toArray()).map((e) => e.state)).toEqual(['done']);
    expect(await raw.orders.count()).toBe(2);
    raw.close();
    expect((await searchMyOrders('丙丁')).map((o) => o.id)).toEqual([bad]);
    expect(await searchMyOrders('甲乙')).toEqual([]);
  });

  it('is listed to be corrected on later days too', async () => {
    const env = await setUp();
    const bad = newDraft();
    editDraft(bad, validForm({ title: '昨天被拒的工单' }));
    env.platform.refuse.set(bad, { status: 400, code: 'invalid_request', message: '地址缺失' });
    expect((await submitDraft(bad)).ok).toBe(true);
    await until(() => view(bad)?.sync === 'failed');
    // As if it had been submitted two days ago.
    const raw = env.raw();
    await raw.orders.update(bad, { createdAt: Date.now() - 2 * 86_400_000 });
    raw.close();
    await env.restart();
    await until(() => view(bad)?.sync === 'failed');
  });
});

describe('the refusal in the agent’s words', () => {
  it('says what kind, the fields by their labels, then the platform’s own words', async () => {
    const { refusalText } = await import('../../renderer/src/orders/form/labels');
    const { i18n } = await import('../../renderer/src/i18n');
    const t = i18n.getFixedT('zh-CN');
    expect(refusalText({ code: 'invalid_request', fields: ['notAcceptedReason', 'handlingUnit'], message: 'Unknown not-accepted reason petition' }, t)).toBe(
      '平台校验未通过。 请检查：不予受理原因、主办单位。 平台说明：Unknown not-accepted reason petition',
    );
    expect(refusalText({ code: 'weird' }, t)).toBe('平台拒绝了这次提交。');
  });
});
