/**
 * Side panels (antd drawers) in tests: a drawer takes the keyboard focus when it opens, and Esc
 * closes it from there. A busy page can show the drawer a moment before it moves the focus, so a
 * test waits for the focus (what an agent's Esc needs) before pressing it.
 */
import { expect, type Page } from '@playwright/test';

export async function closeWithEscape(page: Page, testId: string): Promise<void> {
  // The drawer's root (around the element carrying the test id) or something inside it has the focus.
  await page.waitForFunction(
    (id) => {
      const panel = document.querySelector(`[data-testid="${id}"]`);
      const active = document.activeElement;
      return !!panel && !!active && active !== document.body && (active.contains(panel) || panel.contains(active));
    },
    testId,
    { timeout: 10_000 },
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId(testId)).toBeHidden();
}
