/** The work-order form as an agent fills it in a test: by its labels and test ids, keyboard where an agent types. */
import { expect, type Page } from '@playwright/test';

/** Pick a radio/segmented choice by its test id (its label is what is clicked). */
export async function choose(page: Page, testId: string): Promise<void> {
  await page.locator('label', { has: page.getByTestId(testId) }).click();
  await expect(page.getByTestId(testId)).toBeChecked();
}

/** Pick an entry of a searchable select by typing (the way an agent does it), then Enter. */
export async function pick(page: Page, field: string, text: string): Promise<void> {
  const input = page.locator(`#order-field-${field}`);
  await input.focus();
  await page.keyboard.type(text);
  await expect(page.locator('.ant-select-dropdown:visible .ant-select-item-option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

export async function fillRequest(page: Page, o: { requestType: string; title: string; content: string }): Promise<void> {
  await choose(page, `requestType-${o.requestType}`);
  await page.getByTestId('field-title').fill(o.title);
  await page.getByTestId('field-content').fill(o.content);
}
