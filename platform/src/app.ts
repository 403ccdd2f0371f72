/** Assembles the platform: database (PGlite or PostgreSQL), migrations, keys, HTTP server. */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database';
import { openPglite } from './db/pglite';
import { openPostgres } from './db/postgres';
import { migrate } from './db/migrations';
import { seedCalendarIfEmpty } from './directory/calendar';
import { CalendarCache, REFERENCE_CHANNEL, bumpVersion } from './directory/reference';
import { deriveKeys } from './security/keys';
import { PersonalDataCipher } from './security/personal-data';
import { DEFAULT_SCRYPT } from './session/passwords';
import { createPlatformLog, type PlatformLog } from './log';
import { buildServer } from './server';
import { EventHub } from './queue/event-hub';
import { Distributor, type SwitchLink } from './queue/distributor';
import { KamailioLink } from './queue/kamailio-link';
import { backfillAddressIndex } from './orders/repository';
import { authenticateAuditMark, sealAudit } from './audit/audit-chain';
import type { PlatformConfig, Services } from './context';
import { PLATFORM_API_VERSION } from '../../shared/http';

export type DatabaseConfig = { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; url: string; poolSize?: number };

export interface PlatformOptions {
  database: DatabaseConfig;
  masterKey: Buffer;
  config?: Partial<PlatformConfig>;
  log?: PlatformLog;
  /** How often new audit entries are sealed into the chain. */
  sealIntervalMs?: number;
  /** The clock for access tokens (tests move it forward); Date.now by default. */
  now?: () => number;
  /** Call distribution: the SIP engine's evapi address (none: no calls are distributed). */
  queue?: { evapi?: { host: string; port: number }; heartbeatTimeoutMs?: number; sweepMs?: number };
}

export const DEFAULT_CONFIG: PlatformConfig = {
  cityPrefix: 'QY',
  accessTokenTtlS: 15 * 60,
  refreshTokenTtlS: 12 * 60 * 60,
  scrypt: DEFAULT_SCRYPT,
  loginMaxFailuresPerAccount: 10,
  loginMaxFailuresPerAddress: 100,
  loginWindowS: 15 * 60,
  bodyLimitBytes: 64 * 1024,
  version: PLATFORM_API_VERSION,
};

export interface Platform {
  app: FastifyInstance;
  services: Services;
  close(): Promise<void>;
}

export async function openDatabase(cfg: DatabaseConfig): Promise<Database> {
  return cfg.kind === 'pglite' ? openPglite(cfg.dataDir) : openPostgres(cfg.url, cfg.poolSize);
}

export async function createPlatform(options: PlatformOptions): Promise<Platform> {
  const db = await openDatabase(options.database);
  await migrate(db);
  if (await seedCalendarIfEmpty(db)) await bumpVersion(db, 'calendar');
  const keys = deriveKeys(options.masterKey);
  const log = options.log ?? createPlatformLog();
  const events = new EventHub(db, log);
  await events.start();
  const calendar = new CalendarCache();
  const stopReferenceListener = await db.listen(REFERENCE_CHANNEL, () => calendar.invalidate());
  const cipher = new PersonalDataCipher(keys.dataKey, keys.indexKey);
  // Orders from before the address index (migration 5) get it now that the key is at hand.
  const backfilled = await backfillAddressIndex(db, cipher);
  if (backfilled > 0) log('info', 'address index filled in for earlier orders', { orders: backfilled });
  // The engine's reports reach the distributor through the link; its commands go back the same way.
  let onSwitchEvent: Distributor['onSwitchEvent'] = async () => undefined;
  const evapi = options.queue?.evapi;
  const link: (SwitchLink & { start?(): void; stop?(): Promise<void> }) = evapi
    ? new KamailioLink({ ...evapi, log, onEvent: (e, arrivedAt) => onSwitchEvent(e, arrivedAt), onConnected: () => void distributor.distribute().catch(() => undefined) })
    : { connected: false, send: () => false };
  const distributor = new Distributor(db, link, log, { heartbeatTimeoutMs: options.queue?.heartbeatTimeoutMs, sweepMs: options.queue?.sweepMs, now: options.now });
  onSwitchEvent = (e, arrivedAt) => distributor.onSwitchEvent(e, arrivedAt);
  const services: Services = {
    db,
    keys,
    cipher,
    config: { ...DEFAULT_CONFIG, ...options.config },
    log,
    calendar,
    events,
    queue: distributor,
    now: options.now ?? Date.now,
  };
  const app = await buildServer(services);
  // Before the first keyed seal: authenticate where keyed sealing starts (once, after the upgrade).
  const mark = await authenticateAuditMark(db, keys.auditKey);
  if (mark.refused) log('error', 'audit chain mark has no valid MAC; verification will report the chain as not intact', { keyedFromPos: mark.keyedFromPos });
  else if (mark.authenticated && mark.keyedFromPos !== '1')
    log('warn', 'audit chain: seals before keyed_from_pos were made unkeyed (before the upgrade); keyed sealing starts here', { keyedFromPos: mark.keyedFromPos });
  // Seal new audit entries into the hash chain about once a second (one instance at a time).
  let sealing = false;
  const sealer = setInterval(() => {
    if (sealing) return;
    sealing = true;
    sealAudit(db, keys.auditKey)
      .catch((error: unknown) => log('error', 'audit sealing failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => (sealing = false));
  }, options.sealIntervalMs ?? 1000);
  sealer.unref();
  link.start?.();
  distributor.start();
  return {
    app,
    services,
    async close() {
      clearInterval(sealer);
      distributor.stop();
      await link.stop?.();
      while (sealing) await new Promise((r) => setTimeout(r, 10));
      await app.close();
      await events.stop();
      await stopReferenceListener();
      await db.close();
    },
  };
}

export function randomMasterKey(): Buffer {
  return crypto.randomBytes(32);
}
