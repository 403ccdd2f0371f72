/**
 * The recent calls as plain data for the call-log panel. Every change is written to the local
 * database first (./call-log-db) and reaches the store only once stored.
 */
import { create } from 'zustand';
import type { CallLogEntry, CallLogPatch } from '../../../../shared/phone/call-log';
import { callLog, type CallLog } from './call-log-db';

/** How many recent calls the store (and the panel) holds. */
export const CALL_LOG_STORE_LIMIT = 200;

export interface CallLogState {
  /** Newest first, at most CALL_LOG_STORE_LIMIT. */
  readonly entries: readonly CallLogEntry[];
  readonly loaded: boolean;
}

export const getEmptyCallLogState = (): CallLogState => ({ entries: [], loaded: false });

export const useCallLogStore = create<CallLogState>()(getEmptyCallLogState);

/** Insert or replace entries by id, newest first, capped at the store limit. */
function merge(current: readonly CallLogEntry[], changed: readonly CallLogEntry[]): CallLogEntry[] {
  const byId = new Map(current.map((e) => [e.id, e]));
  for (const e of changed) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt).slice(0, CALL_LOG_STORE_LIMIT);
}

/**
 * Drop calls past the retention period, then load the most recent ones. Rejects with
 * CallLogKeysUnavailableError while the local keys are unavailable (the panel says so).
 */
export async function loadCallLog(log: CallLog = callLog, now = Date.now()): Promise<void> {
  await log.pruneExpired(now);
  const recent = await log.recentCalls(CALL_LOG_STORE_LIMIT);
  // Keep anything recorded while the load was running.
  useCallLogStore.setState((s) => ({ entries: merge(recent, s.entries), loaded: true }));
}

/**
 * Log a call (insert or replace by Call-ID). Throws CallLogValidationError on invalid data and
 * CallLogKeysUnavailableError without the local keys (the call is then not logged at all).
 */
export async function recordCallLog(entry: CallLogEntry, log: CallLog = callLog): Promise<CallLogEntry> {
  const stored = await log.recordCall(entry);
  useCallLogStore.setState((s) => ({ entries: merge(s.entries, [stored]) }));
  return stored;
}

export async function updateCallLog(id: string, patch: CallLogPatch, log: CallLog = callLog): Promise<CallLogEntry> {
  const stored = await log.updateCall(id, patch);
  useCallLogStore.setState((s) => ({ entries: merge(s.entries, [stored]) }));
  return stored;
}

/** Link a logged call to the local work order created for it. */
export async function linkCallToWorkOrder(callId: string, workOrderId: string, log: CallLog = callLog): Promise<CallLogEntry> {
  const stored = await log.linkWorkOrder(callId, workOrderId);
  useCallLogStore.setState((s) => ({ entries: merge(s.entries, [stored]) }));
  return stored;
}
