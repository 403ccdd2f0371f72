/**
 * Screen-pop and work orders with the real softphone, Kamailio and the reference platform (the
 * demo city: directory, units, categories, areas, deadline policy and calendar, out-of-scope
 * reasons), as an agent works them: a citizen calls from a mobile number, the pop shows who is
 * calling and why before the answer, the order is typed while talking and reaches the platform.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Page } from '@playwright/test';
import { test as base, expect, SIP_USERS } from '../support/fixtures';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { DEMO_PASSWORD } from '../../platform/src/seed/demo-city';
import { seedCallerHistory } from '../../platform/src/seed/history';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { startSipPeer, type SipPeer } from '../support/sip-peer';
import { writeToneWav, mediaArgs } from '../support/wav';
import { defaultSettings } from '../../shared/settings/schema';
import { ARTIFACTS_DIR } from '../support/paths';
import { setReady } from '../support/call-parties';

const CITIZEN = '13900139000';
const CITIZEN_MASKED = '139****9000';

interface Env {
  demo: RunningPlatform;
}

const test = base.extend<object, Env>({
  /** The demo city's platform, once per worker, with a history for the citizen. */
  demo: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const demo = await startPlatformServer({ accounts: 'demo-city' });
      await seedCallerHistory(demo.platform.services.db, demo.platform.services.cipher, [{ phone: CITIZEN, orders: 4, open: 1, confidential: true, name: '欧阳娜娜' }], { account: 'agent01' });
      await use(demo);
      await demo.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

async function startSeat(workDir: string, demo: RunningPlatform, kamailio: { wsUrl: string }, key = crypto.randomBytes(32)): Promise<LaunchedWorkstation> {
  const agent = SIP_USERS[0]!;
  const ws = await launchWorkstation({
    dir: workDir,
    encryptionKey: key,
    signIn: { baseUrl: demo.url, account: 'agent01', password: DEMO_PASSWORD },
    extraArgs: mediaArgs(writeToneWav(path.join(workDir, 'agent.wav'), 440)),
    prepare: (core) => {
      const d = defaultSettings();
      core.settings.set({ section: 'sip', value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: '127.0.0.1', extension: agent.user, authUser: agent.user, iceGatheringTimeoutMs: 200, audioProcessing: false } });
      core.secrets.set('sipPassword', agent.password);
    },
  });
  await expect(ws.page.getByTestId('registration')).toContainText('已注册');
  await setReady(ws);
  return ws;
}

function citizen(workDir: string, kamailio: { wsUrl: string }, user = CITIZEN): Promise<SipPeer> {
  const u = SIP_USERS.find((x) => x.user === user)!;
  return startSipPeer({ wsUrl: kamailio.wsUrl, domain: '127.0.0.1', user: u.user, password: u.password, wav: writeToneWav(path.join(workDir, `${user}.wav`), 1000) });
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) });
}

test('a call rings: the pop shows the masked number, the dialled line and the caller history before the answer; the form is pre-filled', async ({ workDir, demo, kamailio }) => {
  const ws = await startSeat(workDir, demo, kamailio);
  const caller = await citizen(workDir, kamailio);
  try {
    const { page } = ws;
    await caller.call('8001', ['X-Dialled-Number: 12333']);
    await expect(page.getByTestId('call-state')).toHaveText('来电振铃');
    const pop = page.getByTestId('pop');
    await expect(pop.getByTestId('pop-number')).toHaveText(CITIZEN_MASKED);
    await expect(pop).not.toContainText(CITIZEN);
    await expect(pop.getByTestId('pop-line')).toContainText('12333');
    await expect(pop.getByTestId('pop-line')).toContainText('人力资源和社会保障');
    await expect(pop.getByTestId('pop-number-info')).toHaveText('上海市 · 中国移动');
    await expect(pop.getByTestId('pop-history-order')).toHaveCount(4);
    await expect(pop.getByTestId('pop-flag-repeat')).toBeVisible();
    await expect(pop.getByTestId('pop-flag-open')).toBeVisible();
    await expect(pop.getByTestId('pop-flag-confidential')).toBeVisible();
    // The form belongs to this call and starts from the dialled line.
    await expect(page.getByTestId('order-form')).toBeVisible();
    await shot(page, 'orders-pop-ringing');
  } finally {
    await caller.close();
    await ws.close();
  }
});
