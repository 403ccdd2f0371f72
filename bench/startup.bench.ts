/**
 * startup.*: app start → shell interactive, with the renderer in Debian Chromium behind the real
 * main-process core (the same bridge the e2e tests use), for an agent who signed in before
 * (the usual start of a shift after the first): the session resumes against a real platform
 * server. "Start" is the moment the core is created and Chromium is launched; "interactive" is
 * the shell's own `shell-interactive` mark (settings and session loaded, first render committed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { launchWorkstation } from '../e2e/support/bridge';
import { E2E_PASSWORD, startPlatformServer } from '../e2e/support/platform-server';
import { median, type BenchGroup } from './types';

const RUNS = 5;

export const startupBench: BenchGroup = {
  prefix: 'startup',
  async run() {
    const total: number[] = [];
    const inPage: number[] = [];
    const server = await startPlatformServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-startup-'));
    const encryptionKey = crypto.randomBytes(32);
    try {
      await (await launchWorkstation({ dir, encryptionKey, signIn: { baseUrl: server.url, account: 'agent01', password: E2E_PASSWORD } })).close();
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const ws = await launchWorkstation({ dir, encryptionKey });
        await ws.page.getByTestId('shell').waitFor();
        total.push(performance.now() - t0);
        inPage.push(await ws.page.evaluate(() => performance.getEntriesByName('shell-interactive')[0]?.startTime ?? NaN));
        await ws.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
    const fmt = (v: number[]) => v.map((x) => Math.round(x)).join(', ');
    return [
      { name: 'startup.shell_interactive_ms', value: Math.round(median(total)), unit: 'ms', goal: '<= 1500', note: `median of ${RUNS}: ${fmt(total)}` },
      { name: 'startup.page_to_interactive_ms', value: Math.round(median(inPage)), unit: 'ms', goal: null, note: `navigation start → shell-interactive mark: ${fmt(inPage)}` },
    ];
  },
};
