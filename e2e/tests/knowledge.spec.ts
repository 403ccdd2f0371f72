/**
 * Knowledge lookup against the real platform (the demo city's articles): the seat syncs the
 * knowledge base into its offline copy, the panel searches it as the agent types (reordered words,
 * a confused character), opens an article whole by mouse or keyboard with its Markdown rendered as
 * text, answers an order with it (recorded on the platform), takes an update and a withdrawal made
 * on the platform, and keeps answering with the platform stopped. And the rest of the panel: the
 * platform's synonym table, filters, suggestions while an order is typed, the searchKnowledge
 * shortcut, related articles, a problem report through the outbox, a hostile article as text.
 */
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { launchWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { signInToPlatform } from '../support/platform-api';
import { fillRequest } from '../support/order-form';

const TREE = {
  title: '古树名木移植需要办理什么审批？',
  body: '移植古树名木须报**林业主管部门**审批。\n\n- 一级古树报省级部门\n- 其他报市级部门\n\n详见[古树名木保护条例](https://example.gov.cn/tree)。',
  hotlines: ['12345'],
  keywords: ['古树名木', '移植审批'],
  validFrom: '2025-01-01',
};

async function admin(demo: RunningPlatform) {
  return signInToPlatform(demo.url, 'admin', DEMO_PASSWORD);
}

async function search(page: Page, query: string): Promise<void> {
  const box = page.getByRole('searchbox', { name: /搜索知识/ });
  await box.fill(query);
  // The results shown answer this query (not the one before).
  await expect(page.locator(`[data-testid="knowledge-results"][data-for="${query}"], [data-testid="knowledge-no-match"][data-for="${query}"]`)).toBeVisible();
}

const hitIds = (page: Page) => page.getByTestId('knowledge-hit').evaluateAll((els) => els.map((e) => e.getAttribute('data-article-id')));

test('the knowledge panel searches the synced copy, opens an article, follows the platform’s changes, and works with the platform stopped', async ({ workDir }) => {
  test.setTimeout(90_000);
  const demo = await startPlatformServer({ accounts: 'demo-city' });
  try {
    const a = await admin(demo);
    expect((await a.request('PUT', '/v1/admin/knowledge/kb-e2e-tree', TREE)).status).toBe(200);
    const ws = await launchWorkstation({ dir: workDir, encryptionKey: crypto.randomBytes(32), signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD } });
    try {
      const { page } = ws;
      await expect.poll(async () => Number(await page.getByTestId('knowledge-copy').getAttribute('data-count')), { timeout: 20_000 }).toBeGreaterThan(300);

      // The words in another order find the article, its words marked.
      await search(page, '移植古树');
      await expect.poll(() => hitIds(page)).toContain('kb-e2e-tree');
      expect((await hitIds(page))[0]).toBe('kb-e2e-tree');
      await expect(page.getByTestId('knowledge-hit').first().locator('mark').first()).toHaveText(/古树|移植/);
      // A confused character (基 for 积) still finds the housing fund's articles first.
      await search(page, '公基金提取');
      await expect(page.getByTestId('knowledge-hit').first()).toContainText('公积金');

      // By keyboard: ↓ into the results, Enter opens, Esc back to the results and to the search box.
      await search(page, '古树名木');
      await page.getByRole('searchbox', { name: /搜索知识/ }).press('ArrowDown');
      await expect(page.getByTestId('knowledge-hit').first().locator('button')).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('knowledge-back')).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('searchbox', { name: /搜索知识/ })).toBeFocused();
      await expect(page.getByTestId('knowledge-article')).toHaveCount(0);

      // Opened whole: Markdown as text, the link shown with its address and never a live link.
      await page.getByTestId('knowledge-hit').first().locator('button').click();
      const body = page.getByTestId('knowledge-article-body');
      await expect(body).toContainText('林业主管部门');
      await expect(body.locator('strong')).toHaveText('林业主管部门');
      await expect(body.locator('li')).toHaveCount(2);
      await expect(body).toContainText('古树名木保护条例 (https://example.gov.cn/tree)');
      await expect(body.locator('a, script, img, iframe')).toHaveCount(0);
      // No order open: nothing to answer.
      await expect(page.getByTestId('knowledge-use')).toBeDisabled();

      // An order typed while talking is answered with the article (即时答复): recorded on the platform.
      await page.getByTestId('order-new').click();
      await page.getByTestId('field-callerPhone').fill('13700137002');
      await fillRequest(page, { requestType: 'consult', title: '咨询古树移植', content: '来电人咨询小区古树能否移植。' });
      await page.getByTestId('knowledge-use').click();
      await expect(page.getByTestId('knowledge-use')).toHaveAttribute('data-used', 'true');
      await expect(page.getByTestId('disposition-answered')).toBeChecked();
      await expect(page.getByTestId('field-summary')).toHaveValue(/移植古树名木须报林业主管部门审批。\n- 一级古树报省级部门/);
      await page.getByTestId('order-submit').click();
      await expect(page.getByTestId('order-number')).toHaveText(/^QY\d+/, { timeout: 15_000 });
      const orderNo = (await page.getByTestId('order-number').textContent())!;
      const row = await demo.platform.services.db.query<{ knowledge_article_id: string | null; disposition: string }>('select knowledge_article_id, disposition from orders where order_no = $1', [orderNo]);
      expect(row.rows[0]).toEqual({ knowledge_article_id: 'kb-e2e-tree', disposition: 'answered' });
      await page.getByTestId('knowledge-back').click();

      // The platform changes the article and withdraws another; the next sync brings both.
      const withdrawn = 'kb-0001';
      await search(page, '社保参保登记');
      await expect.poll(() => hitIds(page)).toContain(withdrawn);
      expect((await a.request('PUT', '/v1/admin/knowledge/kb-e2e-tree', { ...TREE, title: '古树名木迁移审批怎么办？' })).status).toBe(200);
      expect((await a.request('DELETE', `/v1/admin/knowledge/${withdrawn}`)).status).toBe(204);
      await page.getByTestId('knowledge-refresh').click();
      await expect.poll(() => hitIds(page), { timeout: 15_000 }).not.toContain(withdrawn);
      await search(page, '古树迁移');
      await expect(page.getByTestId('knowledge-hit').first()).toContainText('古树名木迁移审批怎么办？');

      // The platform stops: the copy still answers.
      await demo.close();
      await search(page, '护照办理');
      await expect(page.getByTestId('knowledge-hit').first()).toContainText('护照');
    } finally {
      await ws.close();
    }
  } finally {
    await demo.close().catch(() => undefined);
  }
});

/** An article only a broken or hostile platform could serve (the admin route refuses HTML): written straight into its database. */
async function plantHostileArticle(demo: RunningPlatform, id: string): Promise<void> {
  const body = [
    '# 恶意内容测试',
    '<script>window.__pwned = "script"</script>',
    '<iframe src="https://example.com/frame"></iframe>',
    '<img src="https://example.com/x.png" onerror="window.__pwned = \'img\'">',
    '<a href="javascript:window.__pwned=1" onclick="window.__pwned = \'click\'">点我</a>',
    '![远程图片](https://example.com/remote.png)',
    '正文'.repeat(512 * 1024),
  ].join('\n\n');
  await demo.platform.services.db.transaction(async (tx) => {
    const seq = await tx.query<{ last: string }>('update knowledge_counter set last = last + 1 where id = 1 returning last::text as last');
    await tx.query(
      `insert into knowledge_articles (id, title, body, unit_code, hotlines, keywords, category_code, valid_from, valid_to, version, deleted, change_seq, updated_at)
       values ($1, '恶意正文渲染检验', $2, null, '{12345}', '{}', null, '2025-01-01', null, 1, false, $3, now())`,
      [id, body, seq.rows[0]!.last],
    );
  });
}

test('the panel searches through the platform’s synonym table, narrows by filter, suggests for the order being typed, reports a problem through the outbox, and renders a hostile article as text', async ({ workDir }) => {
  test.setTimeout(120_000);
  const demo = await startPlatformServer({ accounts: 'demo-city' });
  try {
    const a = await admin(demo);
    // The administrators add an abbreviation the demo table does not have.
    const table = await a.request<{ version: number; rows: { terms: string[]; oneWay?: boolean }[] }>('GET', '/v1/knowledge/synonyms');
    expect(table.body.rows.length).toBeGreaterThan(50);
    expect((await a.request('PUT', '/v1/admin/knowledge/kb-e2e-tree', TREE)).status).toBe(200);
    expect((await a.request('PUT', '/v1/admin/knowledge/synonyms', { rows: [...table.body.rows, { terms: ['老树', '古树名木'], oneWay: true }] })).status).toBe(200);
    await plantHostileArticle(demo, 'kb-e2e-hostile');

    const ws = await launchWorkstation({ dir: workDir, encryptionKey: crypto.randomBytes(32), signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD } });
    try {
      const { page } = ws;
      await expect.poll(async () => Number(await page.getByTestId('knowledge-copy').getAttribute('data-count')), { timeout: 20_000 }).toBeGreaterThan(300);
      const box = page.getByRole('searchbox', { name: /搜索知识/ });

      // The synonym table came with the sync: the abbreviation finds the article it stands for.
      await expect(async () => {
        await search(page, '老树');
        expect((await hitIds(page))[0]).toBe('kb-e2e-tree');
      }).toPass({ timeout: 15_000 });

      // Filters: the hotline narrows the results; departments are named from the reference data.
      await search(page, '证明材料');
      await page.getByTestId('knowledge-filter-hotline').selectOption('12329');
      await expect(page.getByTestId('knowledge-results')).toBeVisible();
      await expect.poll(async () => (await page.getByTestId('knowledge-hit').allTextContents()).every((t) => t.includes('12329'))).toBe(true);
      await expect(page.getByTestId('knowledge-filter-unitCode').locator('option[value="QY-GJJ"]')).not.toHaveText('QY-GJJ');
      // A filter alone lists its articles.
      await box.fill('');
      await expect.poll(() => hitIds(page)).toContain('kb-0065');
      await page.getByTestId('knowledge-filter-hotline').selectOption('');
      await expect(page.getByTestId('knowledge-results')).toHaveCount(0);

      // The searchKnowledge shortcut puts the cursor in the search box from the order form.
      await page.getByTestId('order-new').click();
      await page.getByTestId('field-callerPhone').fill('13700137003');
      await page.getByTestId('field-callerPhone').press('Control+Shift+K');
      await expect(box).toBeFocused();

      // Suggestions follow what the agent types, and the cursor stays where it is.
      await fillRequest(page, { requestType: 'consult', title: '', content: '来电人说想把住房公积金取出来买房' });
      const content = page.getByTestId('field-content');
      await content.focus();
      await content.press('End');
      await content.pressSequentially('，问要带什么材料');
      await expect(page.getByTestId('knowledge-suggestions')).toBeVisible({ timeout: 10_000 });
      await expect.poll(async () => (await page.getByTestId('knowledge-suggestions').getByTestId('knowledge-hit').allTextContents()).join(' ')).toMatch(/公积金/);
      await expect(content).toBeFocused();
      // Pressed as a global shortcut (another application in front; one press reaching the window
      // both ways acts once, so this comes well after the press above): main brings the window forward first.
      const focusBefore = ws.ports.record.focusCount;
      expect(ws.ports.press('CommandOrControl+Shift+K')).toBe(true);
      await expect(box).toBeFocused();
      expect(ws.ports.record.focusCount).toBe(focusBefore + 1);

      // An article opened shows articles on the same matter (not itself), and takes a problem report.
      await search(page, '住房公积金提取需要哪些材料');
      await page.locator('[data-testid="knowledge-hit"][data-article-id="kb-0065"] button').click();
      await expect(page.getByTestId('knowledge-article')).toHaveAttribute('data-article-id', 'kb-0065');
      const related = page.getByTestId('knowledge-related').getByTestId('knowledge-hit');
      await expect(related.first()).toBeVisible();
      expect(await related.evaluateAll((els) => els.map((e) => e.getAttribute('data-article-id')))).not.toContain('kb-0065');
      await expect(related.first()).toContainText('公积金');

      // Reported through the outbox (durable with the platform down, as an order: unit-tested): on the platform.
      await page.getByTestId('knowledge-report').click();
      await page.getByTestId('knowledge-report-kind').getByText('已过时').click();
      await page.getByTestId('knowledge-report-comment').fill('2026年起材料清单已简化');
      await page.getByTestId('knowledge-report-send').click();
      await expect(page.getByTestId('knowledge-reported')).toBeVisible();
      await expect
        .poll(
          async () => (await demo.platform.services.db.query<{ kind: string; comment: string }>("select kind, comment from knowledge_feedback where article_id = 'kb-0065'")).rows,
          { timeout: 30_000 },
        )
        .toEqual([{ kind: 'outdated', comment: '2026年起材料清单已简化' }]);
      await page.getByTestId('knowledge-back').click();

      // A hostile body renders as text: nothing runs, nothing is loaded, the page stays responsive.
      await search(page, '恶意正文渲染检验');
      await page.locator('[data-testid="knowledge-hit"][data-article-id="kb-e2e-hostile"] button').click();
      const body = page.getByTestId('knowledge-article-body');
      await expect(body).toContainText('<script>window.__pwned = "script"</script>');
      await expect(body.locator('script, iframe, img, a, [onerror], [onclick]')).toHaveCount(0);
      await body.getByText('点我', { exact: false }).first().click();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    } finally {
      await ws.close();
    }
  } finally {
    await demo.close().catch(() => undefined);
  }
});
