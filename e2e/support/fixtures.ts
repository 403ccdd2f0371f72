import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from './platform-server';

export interface PlatformFixture {
  url: string;
  /** Sign-in details for launchWorkstation({ signIn }). */
  agent: { baseUrl: string; account: string; password: string };
  server: RunningPlatform;
}

export const test = base.extend<{ workDir: string }, { platform: PlatformFixture }>({
  /** A fresh folder per test for the browser profile and the app data; removed afterwards. */
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-e2e-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  /** One real platform server per worker (started once for the suite). */
  platform: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startPlatformServer();
      await use({ url: server.url, agent: { baseUrl: server.url, account: 'agent01', password: E2E_PASSWORD }, server });
      await server.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});
export { expect } from '@playwright/test';
