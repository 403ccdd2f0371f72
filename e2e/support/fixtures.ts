import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from './platform-server';
import { startKamailio, type RunningKamailio } from './kamailio';

/** SIP accounts on the suite's Kamailio. */
export const SIP_USERS = [
  { user: '8001', password: 'agent-8001-secret' },
  { user: '8002', password: 'agent-8002-secret' },
  { user: 'caller1', password: 'caller-1-secret' },
  { user: '12366', password: 'subcenter-12366-secret' },
  { user: 'caller2', password: 'caller-2-secret' },
  // A citizen calling from a mobile number (the screen-pop looks the number up).
  { user: '13900139000', password: 'citizen-139-secret' },
  { user: '13700137000', password: 'citizen-137-secret' },
];

export interface PlatformFixture {
  url: string;
  /** Sign-in details for launchWorkstation({ signIn }). */
  agent: { baseUrl: string; account: string; password: string };
  server: RunningPlatform;
}

export const test = base.extend<{ workDir: string }, { platform: PlatformFixture; kamailio: RunningKamailio }>({
  /** A fresh folder per test for the browser profile and the app data; removed afterwards. */
  // eslint-disable-next-line no-empty-pattern
  workDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-e2e-'));
    await use(dir);
    if (!process.env.KEEP_WORKDIR) fs.rmSync(dir, { recursive: true, force: true });
    else console.log('kept', dir);
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
  /** One real Kamailio per worker, started only by suites that use it. */
  kamailio: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const k = await startKamailio(SIP_USERS);
      await use(k);
      await k.stop();
    },
    { scope: 'worker', timeout: 30_000 },
  ],
});
export { expect } from '@playwright/test';
