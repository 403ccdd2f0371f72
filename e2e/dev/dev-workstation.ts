/**
 * The start path of `npm run dev:chromium`, as a function its test can run on a fresh folder:
 * creates the folder and its dev-only keys, starts the reference platform on embedded PostgreSQL
 * (demo city and demo accounts loaded on first start, as `npm start` does), and opens the built
 * UI in Debian Chromium behind the e2e bridge, with the sign-in form pointing at that platform.
 *
 * Folder layout (everything the tool keeps; delete the folder to start afresh):
 *   platform/                         the platform's PGlite data
 *   dev-only-platform-master.key      the platform's master key
 *   dev-only-safestorage.key          the stand-in safeStorage key (secrets survive restarts)
 *   profile/, app/                    Chromium profile; app settings, secrets, logs
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { startPlatformServer, type RunningPlatform } from '../support/platform-server';
import type { Database } from '../../platform/src/db/database';
import { verifyPassword } from '../../platform/src/session/passwords';
import { DEMO_PASSWORD, DEMO_USERS } from '../../platform/src/seed/demo-city';

/** The address `npm start` and the workstation's default settings use. */
export const DEV_PLATFORM_PORT = 8345;

const SHELL_TIMEOUT_MS = 60_000;

export interface DevWorkstationOptions {
  /** The folder everything lives in; created when missing. */
  dir: string;
  /** The platform's port on 127.0.0.1 (default 8345); 0 = any free port. */
  port?: number;
  headless?: boolean;
}

export interface DevWorkstation {
  dir: string;
  platformUrl: string;
  platformDataDir: string;
  /** The demo city as loaded on this start (first start only). */
  demoCity: RunningPlatform['demoCity'];
  /** Demo accounts that take DEMO_PASSWORD, and those that exist but do not (a profile from an older version). */
  accounts: { working: string[]; refused: string[] };
  platform: RunningPlatform;
  workstation: LaunchedWorkstation;
  /** What to tell the person who started it (platform, data folder, account, how to stop is the caller's). */
  summary: string[];
  /** Closes the UI, then the platform (its data stays in the folder). Safe to call twice. */
  stop(): Promise<void>;
}

/** A random key kept in a file of the folder (created once, owner-only). */
function keyFile(file: string): Buffer {
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32), { mode: 0o600, flag: 'wx' });
  return fs.readFileSync(file);
}

async function checkDemoAccounts(db: Database): Promise<DevWorkstation['accounts']> {
  const rows = await db.query<{ account: string; password_hash: string }>('select account, password_hash from users where account = any($1)', [
    DEMO_USERS.map((u) => u.account),
  ]);
  const working: string[] = [];
  const refused: string[] = [];
  for (const u of DEMO_USERS) {
    const row = rows.rows.find((r) => r.account === u.account);
    if (!row) continue;
    ((await verifyPassword(DEMO_PASSWORD, row.password_hash)) ? working : refused).push(u.account);
  }
  return { working, refused };
}

function isLoopbackUrl(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

function summarise(dev: Omit<DevWorkstation, 'summary' | 'stop'>): string[] {
  const role = (u: (typeof DEMO_USERS)[number]) => ('hotline' in u ? `${u.role} ${u.hotline}` : u.role);
  const others = DEMO_USERS.filter((u) => u.account !== 'agent01' && dev.accounts.working.includes(u.account)).map((u) => `${u.account} (${role(u)})`);
  const lines = [
    `platform  ${dev.platformUrl}  (reference platform, embedded PostgreSQL; ` +
      (dev.demoCity
        ? `demo city loaded on this first start in ${(dev.demoCity.ms / 1000).toFixed(1)} s: ${dev.demoCity.units} units, ${dev.demoCity.articles} knowledge articles)`
        : 'data from an earlier start)'),
    `data      ${dev.dir}  (platform data, keys, browser profile, app settings and logs; delete it to start afresh)`,
  ];
  if (dev.accounts.working.includes('agent01')) {
    lines.push(`sign in   agent01 / ${DEMO_PASSWORD}  (the sign-in form has the platform address filled in)`);
    if (others.length) lines.push(`          same password: ${others.join(', ')}`);
  } else {
    lines.push(`sign in   agent01 does not take ${DEMO_PASSWORD} in this folder${dev.accounts.working.length ? ` (these do: ${dev.accounts.working.join(', ')})` : ''}.`);
  }
  if (dev.accounts.refused.length) {
    lines.push(
      `          ${dev.accounts.refused.join(', ')} here were made by an older dev:chromium with the e2e password e2e-password-12345; ` +
        `delete ${dev.dir} for the demo accounts.`,
    );
  }
  lines.push(`log       ${dev.workstation.logFile}`);
  return lines;
}

export async function startDevWorkstation(options: DevWorkstationOptions): Promise<DevWorkstation> {
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const platformDataDir = path.join(dir, 'platform');
  const masterKey = keyFile(path.join(dir, 'dev-only-platform-master.key'));
  const encryptionKey = keyFile(path.join(dir, 'dev-only-safestorage.key'));

  let platform: RunningPlatform;
  try {
    platform = await startPlatformServer({ dataDir: platformDataDir, port: options.port ?? DEV_PLATFORM_PORT, masterKey, accounts: 'demo-city' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${options.port ?? DEV_PLATFORM_PORT} on 127.0.0.1 is taken (is \`npm start\` or another dev:chromium running?); stop it, or pass --port <n>`);
    }
    throw error;
  }
  let workstation: LaunchedWorkstation;
  let accounts: DevWorkstation['accounts'];
  try {
    accounts = await checkDemoAccounts(platform.platform.services.db);
    workstation = await launchWorkstation({
      dir,
      headless: options.headless ?? false,
      encryptionKey,
      waitForShell: false,
      // The sign-in form shows the stored platform address: point it at this platform unless the
      // folder was pointed at a platform elsewhere.
      prepare: (core) => {
        const current = core.settings.get('platform');
        if (current.baseUrl !== platform.url && isLoopbackUrl(current.baseUrl)) {
          core.settings.set({ section: 'platform', value: { ...current, baseUrl: platform.url } });
        }
      },
    });
  } catch (error) {
    await platform.close().catch(() => undefined);
    throw error;
  }
  try {
    await workstation.page.waitForFunction(() => document.documentElement.dataset.shellReady === 'true', undefined, { timeout: SHELL_TIMEOUT_MS });
  } catch (error) {
    await workstation.close().catch(() => undefined);
    await platform.close().catch(() => undefined);
    throw new Error(`the UI did not come up within ${SHELL_TIMEOUT_MS / 1000} s (is out/renderer built from this checkout? \`npm run build\`): ${(error as Error).message}`);
  }

  const started = { dir, platformUrl: platform.url, platformDataDir, demoCity: platform.demoCity, accounts, platform, workstation };
  let stopping: Promise<void> | undefined;
  return {
    ...started,
    summary: summarise(started),
    stop() {
      stopping ??= (async () => {
        await workstation.close().catch(() => undefined);
        await platform.close();
      })();
      return stopping;
    },
  };
}
