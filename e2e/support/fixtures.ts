import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';

/** A fresh folder per test for the browser profile and the app data; removed afterwards. */
export const test = base.extend<{ workDir: string }>({
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-e2e-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
});
export { expect } from '@playwright/test';
