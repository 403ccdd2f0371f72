/**
 * What the orders data layer runs on: its database, the page's cipher, the call log, a logger.
 * One instance per page, set up by startOrders; tests swap the pieces (a fake IndexedDB, a fake
 * call log) with configureOrdersRuntime before starting.
 */
import type { DexieOptions } from 'dexie';
import type { LocalCipher } from '../local-data/sealed';
import { createRendererLogger } from '../logging/logger';
import { openOrdersDb, type OrdersDatabase } from './local/local-db';

/** A call as the orders domain needs it from the call log. */
export interface LoggedCall {
  readonly id: string;
  readonly direction: 'inbound' | 'outbound';
  readonly startedAt: number;
  readonly result: string;
  readonly workOrderId?: string;
  /** Who took or made it (calls logged without one are everyone's). */
  readonly agentAccount?: string;
}

/** The call log's public functions this domain uses (its storage is the phone domain's business). */
export interface CallLogPort {
  /** Rejects while the call's row is not written yet. */
  linkWorkOrder(callId: string, workOrderId: string): Promise<unknown>;
  callsForNumber(number: string, limit: number): Promise<readonly LoggedCall[]>;
}

/** The app's call log, loaded on first use (it is not on the first screen). */
export const appCallLog: CallLogPort = {
  async linkWorkOrder(callId, workOrderId) {
    const store = await import('../phone/call-log/call-log-store');
    return store.linkCallToWorkOrder(callId, workOrderId);
  },
  async callsForNumber(number, limit) {
    const { callLog } = await import('../phone/call-log/call-log-db');
    return callLog.callsForNumber(number, limit);
  },
};

export interface RuntimeOptions {
  dbName?: string;
  dexie?: DexieOptions;
  callLog?: CallLogPort;
  /** Random source of the backoff jitter. */
  random?: () => number;
}

let options: RuntimeOptions = {};

export function configureOrdersRuntime(next: RuntimeOptions): void {
  options = { ...next };
}

export function runtimeOptions(): RuntimeOptions {
  return options;
}

interface Runtime {
  db: OrdersDatabase;
  cipher: LocalCipher;
  callLog: CallLogPort;
  /** The signed-in agent's account: whose drafts, orders and outbox entries (local/owner.ts). */
  owner: string | undefined;
}

let current: Runtime | undefined;

export function openRuntime(cipher: LocalCipher, owner: string | undefined): Runtime {
  current = { db: openOrdersDb(options.dbName, options.dexie), cipher, callLog: options.callLog ?? appCallLog, owner };
  return current;
}

export function closeRuntime(): void {
  current?.db.close();
  current = undefined;
}

/** The running data layer; throws before startOrders finished. */
export function rt(): Runtime {
  if (!current) throw new Error('orders: not started');
  return current;
}

export function hasRuntime(): boolean {
  return current !== undefined;
}

/** The domain's log (to main, redacted there too): ids, counts and codes only, never personal data. */
export const ordersLog = createRendererLogger('orders');
