/** Platform configuration from the environment (see main.ts for the variables). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseConfig } from './app';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function dataDir(): string {
  return path.resolve(process.env.PLATFORM_DATA_DIR ?? path.join(REPO_ROOT, '.data/platform'));
}

export function databaseFromEnv(): DatabaseConfig {
  return process.env.DATABASE_URL ? { kind: 'postgres', url: process.env.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir(), 'pgdata') };
}

/** PLATFORM_MASTER_KEY, or for the embedded database a key generated once into the data folder. */
export function masterKeyFromEnv(database: DatabaseConfig): Buffer {
  const fromEnv = process.env.PLATFORM_MASTER_KEY;
  if (fromEnv) {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length < 32) throw new Error('PLATFORM_MASTER_KEY must decode to at least 32 bytes');
    return key;
  }
  if (database.kind === 'postgres') throw new Error('PLATFORM_MASTER_KEY is required when DATABASE_URL is set');
  const file = path.join(dataDir(), 'master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir(), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
}
