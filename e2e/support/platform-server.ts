/**
 * A real platform server for e2e tests: the reference implementation on embedded PostgreSQL
 * (PGlite), listening on loopback, with one organisation and a demo user per role.
 */
import crypto from 'node:crypto';
import { createPlatform, type Platform } from '../../platform/src/app';
import { hashPassword } from '../../platform/src/session/passwords';

export const E2E_PASSWORD = 'e2e-password-12345';

export interface RunningPlatform {
  platform: Platform;
  url: string;
  close(): Promise<void>;
}

export async function startPlatformServer(options: { dataDir?: string; port?: number; masterKey?: Buffer } = {}): Promise<RunningPlatform> {
  const platform = await createPlatform({
    database: { kind: 'pglite', dataDir: options.dataDir },
    masterKey: options.masterKey ?? crypto.randomBytes(32),
    config: { scrypt: { N: 2 ** 10, r: 8, p: 1 } },
    log: () => undefined,
  });
  const db = platform.services.db;
  const users = await db.query<{ n: string }>('select count(*)::text as n from users');
  if (users.rows[0]!.n === '0') {
    await db.query(`insert into organisations (code, name, kind) values ('QY-12345', '清远市12345热线', 'center') on conflict do nothing`);
    const hash = await hashPassword(E2E_PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
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
  const addr = platform.app.server.address() as { port: number };
  return { platform, url: `http://127.0.0.1:${addr.port}`, close: () => platform.close() };
}
