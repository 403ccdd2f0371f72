/**
 * Crashing the workstation on purpose: SIGKILL of the Chromium browser process a test launched
 * (found by its profile folder), as a power cut or a killed app would end it — no unload, no
 * IndexedDB close. The test's own main-process core is disposed with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LaunchedWorkstation } from './bridge';

/** PIDs of the browser process (not its renderers or helpers) using this profile folder. */
export function browserPids(profileDir: string): number[] {
  const flag = `--user-data-dir=${path.resolve(profileDir)}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (args.includes(flag) && !args.some((a) => a.startsWith('--type='))) pids.push(Number(entry));
  }
  return pids;
}

/**
 * SIGKILL the workstation's browser and wait until it is gone. Its core is disposed first: in the
 * app a killed process takes main with it, and a core left running here would go on (retry a
 * failed call, rotate the session's refresh token) beside the next launch's core.
 */
export async function killWorkstation(ws: LaunchedWorkstation, workDir: string): Promise<void> {
  const [pid] = browserPids(path.join(workDir, 'profile'));
  if (pid === undefined) throw new Error('the workstation’s browser process was not found');
  const closed = new Promise<void>((resolve) => ws.context.once('close', () => resolve()));
  ws.core.dispose();
  process.kill(pid, 'SIGKILL');
  await closed;
}
