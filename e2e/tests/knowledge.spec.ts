/**
 * Knowledge lookup against the real platform (the demo city's articles): the seat syncs the
 * knowledge base into its offline copy, the panel searches it as the agent types (reordered words,
 * a confused character), opens an article whole by mouse or keyboard with its Markdown rendered as
 * text, answers an order with it (recorded on the platform), takes an update and a withdrawal made
 * on the platform, and keeps answering with the platform stopped.
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
