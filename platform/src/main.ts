/**
 * `npm run platform`: starts the reference platform.
 *   DATABASE_URL         PostgreSQL server (real deployments); without it, embedded PostgreSQL (PGlite)
 *   PLATFORM_DATA_DIR    PGlite data folder (default .data/platform)
 *   PLATFORM_MASTER_KEY  32+ bytes, base64 (required with DATABASE_URL; generated into the data folder for PGlite)
 *   PLATFORM_HOST/PORT   listen address (default 127.0.0.1:8345)
 *   PLATFORM_CITY_PREFIX work-order number prefix (default QY)
 *   PLATFORM_ADMIN_PASSWORD  first admin's password when the database has no users (else one is generated and printed once)
 *   PLATFORM_EVAPI       host:port of Kamailio's evapi (call distribution); without it no calls are distributed
 */
import crypto from 'node:crypto';
import { createPlatform } from './app';
import { databaseFromEnv, masterKeyFromEnv } from './config';
import { hashPassword } from './session/passwords';

function evapiFromEnv(): { host: string; port: number } | undefined {
  const v = process.env.PLATFORM_EVAPI;
  if (!v) return undefined;
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(v);
  if (!m) throw new Error('PLATFORM_EVAPI must be host:port');
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

async function main(): Promise<void> {
  const database = databaseFromEnv();
  const platform = await createPlatform({
    database,
    masterKey: masterKeyFromEnv(database),
    config: process.env.PLATFORM_CITY_PREFIX ? { cityPrefix: process.env.PLATFORM_CITY_PREFIX } : {},
    queue: { evapi: evapiFromEnv() },
  });
  const db = platform.services.db;
  const users = await db.query<{ n: string }>('select count(*)::text as n from users');
  if (users.rows[0]!.n === '0') {
    const password = process.env.PLATFORM_ADMIN_PASSWORD ?? crypto.randomBytes(12).toString('base64url');
    await db.query(`insert into organisations (code, name, kind) values ('QY-12345', '12345热线中心', 'center') on conflict do nothing`);
    await db.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
      crypto.randomUUID(),
      'admin',
      '管理员',
      'admin',
      'QY-12345',
      await hashPassword(password, platform.services.config.scrypt),
    ]);
    if (!process.env.PLATFORM_ADMIN_PASSWORD) process.stderr.write(`first start: created account "admin" with password ${password} — change it\n`);
  }
  const host = process.env.PLATFORM_HOST ?? '127.0.0.1';
  const port = Number(process.env.PLATFORM_PORT ?? 8345);
  await platform.app.listen({ host, port });
  platform.services.log('info', 'platform listening', { host, port, database: db.kind });
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`platform failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
