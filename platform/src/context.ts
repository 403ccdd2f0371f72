import type { Database, Queryable } from './db/database';
import type { PlatformKeys } from './security/keys';
import type { PersonalDataCipher } from './security/personal-data';
import type { PlatformLog } from './log';
import type { AccessClaims } from './session/tokens';
import type { ScryptParams } from './session/passwords';
import type { CalendarCache } from './directory/reference';
import type { EventHub } from './queue/event-hub';
import type { Distributor } from './queue/distributor';

export interface PlatformConfig {
  /** Work-order number prefix of the city (e.g. QY). */
  cityPrefix: string;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  scrypt: ScryptParams;
  /** Login failures allowed per account / per address within the window. */
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerAddress: number;
  loginWindowS: number;
  bodyLimitBytes: number;
  version: string;
}

export interface Services {
  db: Database;
  keys: PlatformKeys;
  cipher: PersonalDataCipher;
  config: PlatformConfig;
  log: PlatformLog;
  calendar: CalendarCache;
  events: EventHub;
  /** The call distribution (queue decisions and the SIP engine link). */
  queue: Distributor;
  /** Milliseconds since the epoch: when access tokens are issued and checked. */
  now: () => number;
}

export interface RequestContext<P = unknown, Q = unknown, B = unknown> extends Services {
  params: P;
  query: Q;
  body: B;
  /** The signed-in user (undefined on public routes). */
  user: AccessClaims;
  idempotencyKey?: string;
  ip: string;
}

export type Tx = Queryable;
