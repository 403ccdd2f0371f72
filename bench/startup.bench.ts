/**
 * startup.*: app start → shell interactive, with the renderer in Debian Chromium behind the real
 * main-process core (the same bridge the e2e tests use). "Start" is the moment the core is
 * created and Chromium is launched; "interactive" is the shell's own `shell-interactive` mark
 * (settings loaded through IPC and the first full render committed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchWorkstation } from '../e2e/support/bridge';
import { median, type BenchGroup } from './types';

const RUNS = 5;

export const startupBench: BenchGroup = {
  prefix: 'startup',
  async run() {
    const total: number[] = [];
    const inPage: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-bench-startup-'));
      try {
        const t0 = performance.now();
        const ws = await launchWorkstation({ dir });
        total.push(performance.now() - t0);
        inPage.push(await ws.page.evaluate(() => performance.getEntriesByName('shell-interactive')[0]?.startTime ?? NaN));
        await ws.close();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const fmt = (v: number[]) => v.map((x) => Math.round(x)).join(', ');
    return [
      { name: 'startup.shell_interactive_ms', value: Math.round(median(total)), unit: 'ms', goal: '<= 1500', note: `median of ${RUNS}: ${fmt(total)}` },
      { name: 'startup.page_to_interactive_ms', value: Math.round(median(inPage)), unit: 'ms', goal: null, note: `navigation start → shell-interactive mark: ${fmt(inPage)}` },
    ];
  },
};
