/**
 * A real platform server for e2e tests and the development tool: the reference implementation on
 * embedded PostgreSQL (PGlite), listening on loopback. On an empty database it creates either the
 * e2e accounts (one organisation, agent01 and lead01 with E2E_PASSWORD; the tests' default) or the
 * demo city with its demo accounts and DEMO_PASSWORD, as `npm start` loads it (`npm run dev:chromium`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createPlatform, type Platform } from '../../platform/src/app';
import { hashPassword } from '../../platform/src/session/passwords';
import { DEMO_PASSWORD, loadDemoCity, readDemoData, type SeedReport } from '../../platform/src/seed/demo-city';
import { REPO_ROOT } from './paths';

export const E2E_PASSWORD = 'e2e-password-12345';
export const DEMO_CITY_DIR = path.join(REPO_ROOT, 'platform/seed/data');

/** Fast password hashing: test and development servers only. */
const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface RunningPlatform {
  platform: Platform;
  url: string;
  /** What was loaded on this start when `accounts: 'demo-city'` found an empty database. */
  demoCity?: SeedReport & { ms: number };
  close(): Promise<void>;
}

export interface PlatformServerOptions {
  /** PGlite data folder (created when missing); in memory without it. */
  dataDir?: string;
  /** 0 or unset: any free port. */
  port?: number;
  masterKey?: Buffer;
  /** Who can sign in on an empty database (default 'e2e'). An existing database is left as it is. */
  accounts?: 'e2e' | 'demo-city';
  /** Call distribution: Kamailio's evapi port (see kamailio.ts `queue`) and a short heartbeat window. */
  queue?: { evapiPort: number; heartbeatTimeoutMs?: number };
}

export async function startPlatformServer(options: PlatformServerOptions = {}): Promise<RunningPlatform> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
  const platform = await createPlatform({
    database: { kind: 'pglite', dataDir: options.dataDir },
    masterKey: options.masterKey ?? crypto.randomBytes(32),
    config: { scrypt: FAST_SCRYPT },
    log: () => undefined,
    ...(options.queue ? { queue: { evapi: { host: '127.0.0.1', port: options.queue.evapiPort }, heartbeatTimeoutMs: options.queue.heartbeatTimeoutMs } } : {}),
  });
  let demoCity: RunningPlatform['demoCity'];
  try {
    const db = platform.services.db;
    const users = await db.query<{ n: string }>('select count(*)::text as n from users');
    if (users.rows[0]!.n === '0' && options.accounts === 'demo-city') {
      const started = Date.now();
      const report = await loadDemoCity(db, readDemoData(DEMO_CITY_DIR), { password: DEMO_PASSWORD, scrypt: FAST_SCRYPT, cipher: platform.services.cipher });
      demoCity = { ...report, ms: Date.now() - started };
    } else if (users.rows[0]!.n === '0') {
      await db.query(`insert into organisations (code, name, kind) values ('QY-12345', '清远市12345热线', 'center') on conflict do nothing`);
      const hash = await hashPassword(E2E_PASSWORD, FAST_SCRYPT);
      for (const [account, name, role] of [
        ['agent01', '坐席一', 'agent'],
        ['lead01', '值班长', 'lead'],
      ]) {
        await db.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
          crypto.randomUUID(),
          account,
          name,
          role,
          'QY-12345',
          hash,
        ]);
      }
    }
    await platform.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await platform.close().catch(() => undefined);
    throw error;
  }
  const addr = platform.app.server.address() as { port: number };
  return { platform, url: `http://127.0.0.1:${addr.port}`, demoCity, close: () => platform.close() };
}

