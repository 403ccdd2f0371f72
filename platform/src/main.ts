/**
 * `npm run platform`: starts the reference platform.
 *   DATABASE_URL         PostgreSQL server (real deployments); without it, embedded PostgreSQL (PGlite)
 *   PLATFORM_DATA_DIR    PGlite data folder (default .data/platform)
 *   PLATFORM_MASTER_KEY  32+ bytes, base64 (required with DATABASE_URL; generated into the data folder for PGlite)
 *   PLATFORM_HOST/PORT   listen address (default 127.0.0.1:8345)
 *   PLATFORM_CITY_PREFIX work-order number prefix (default QY)
 *   PLATFORM_ADMIN_PASSWORD  first admin's password when the database has no users (else one is generated and printed once)
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlatform, type DatabaseConfig } from './app';
import { hashPassword } from './security/passwords';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function masterKey(database: DatabaseConfig, dataDir: string): Buffer {
  const fromEnv = process.env.PLATFORM_MASTER_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length < 32) throw new Error('PLATFORM_MASTER_KEY must decode to at least 32 bytes');
    return key;
  }
  if (database.kind === 'postgres') throw new Error('PLATFORM_MASTER_KEY is required when DATABASE_URL is set');
  const file = path.join(dataDir, 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.PLATFORM_DATA_DIR ?? path.join(ROOT, '.data/platform'));
  const database: DatabaseConfig = process.env.DATABASE_URL
    ? { kind: 'postgres', url: process.env.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') };
  const platform = await createPlatform({
    database,
    masterKey: masterKey(database, dataDir),
    config: process.env.PLATFORM_CITY_PREFIX ? { cityPrefix: process.env.PLATFORM_CITY_PREFIX } : {},
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
