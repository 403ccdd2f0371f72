/**
 * The local call log in IndexedDB (Dexie). Every write is validated with the shared zod schema,
 * so nothing malformed reaches the database. Entries are personal data: they are pruned after
 * CALL_LOG_RETENTION_MS (the call-log store prunes on load).
 */
import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import { callLogEntrySchema, describeCallLogIssues, numberVariants, type CallLogEntry, type CallLogPatch } from '../../../../shared/phone/call-log';

export const CALL_LOG_DB_NAME = 'hotline-workstation-calllog';
export const CALL_LOG_RETENTION_DAYS = 90;
/** How long calls are kept on this machine: personal data must not be kept forever. */
export const CALL_LOG_RETENTION_MS = CALL_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000;
/** The most entries one query returns. */
export const CALL_LOG_MAX_QUERY = 1000;

/** Thrown when an entry (or an entry after a patch) does not match the schema; nothing is written. */
export class CallLogValidationError extends Error {
  override readonly name = 'CallLogValidationError';
}

/** Thrown when updating or linking a call that is not in the log. */
export class CallLogNotFoundError extends Error {
  override readonly name = 'CallLogNotFoundError';
}

export type CallLogDatabase = Dexie & { calls: EntityTable<CallLogEntry, 'id'> };

export interface CallLog {
  readonly db: CallLogDatabase;
  /** Insert or replace the call with this id. A work-order link already stored is kept unless the entry names one. */
  recordCall(entry: CallLogEntry): Promise<CallLogEntry>;
  /** Change fields of a logged call (an `undefined` value clears an optional field). Returns the stored entry. */
  updateCall(id: string, patch: CallLogPatch): Promise<CallLogEntry>;
  linkWorkOrder(callId: string, workOrderId: string): Promise<CallLogEntry>;
  getCall(id: string): Promise<CallLogEntry | undefined>;
  /** Newest first; with `before`, only calls that started strictly before that time (paging). */
  recentCalls(limit: number, options?: { readonly before?: number }): Promise<CallLogEntry[]>;
  /** Calls with this number (as dialled, or with/without +86), newest first. */
  callsForNumber(number: string, limit: number): Promise<CallLogEntry[]>;
  callsForWorkOrder(workOrderId: string): Promise<CallLogEntry[]>;
  /** Delete calls that started before `epochMs`. Returns how many were deleted. */
  pruneOlderThan(epochMs: number): Promise<number>;
  /** Delete calls older than the retention period. */
  pruneExpired(now?: number, retentionMs?: number): Promise<number>;
  close(): void;
}

function validate(value: unknown): CallLogEntry {
  const parsed = callLogEntrySchema.safeParse(value);
  if (!parsed.success) throw new CallLogValidationError(`Invalid call log entry: ${describeCallLogIssues(parsed.error)}`);
  // Optional fields set to undefined are left out rather than stored as explicit undefined.
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as CallLogEntry;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`call log limit must be a positive integer, got ${limit}`);
  return Math.min(limit, CALL_LOG_MAX_QUERY);
}

/**
 * Open (lazily, on first use) the call log database. Tests pass their own name and, for a
 * fake IndexedDB, `{ indexedDB, IDBKeyRange }` in options.
 */
export function openCallLog(name = CALL_LOG_DB_NAME, options?: DexieOptions): CallLog {
  const db = new Dexie(name, options) as CallLogDatabase;
  db.version(1).stores({ calls: 'id, startedAt, remoteNumber, workOrderId' });

  const updateCall = async (id: string, patch: CallLogPatch): Promise<CallLogEntry> =>
    db.transaction('rw', db.calls, async () => {
      const existing = await db.calls.get(id);
      if (!existing) throw new CallLogNotFoundError(`No call with id ${id} in the call log`);
      const next = validate({ ...existing, ...patch, id });
      await db.calls.put(next);
      return next;
    });

  const pruneBefore = async (epochMs: number): Promise<number> => {
    if (!Number.isFinite(epochMs)) throw new RangeError(`call log prune time must be a finite epoch ms, got ${epochMs}`);
    return db.calls.where('startedAt').below(epochMs).delete();
  };

  return {
    db,
    recordCall: async (entry) => {
      const next = validate(entry);
      return db.transaction('rw', db.calls, async () => {
        const existing = await db.calls.get(next.id);
        const stored = existing?.workOrderId !== undefined && next.workOrderId === undefined ? { ...next, workOrderId: existing.workOrderId } : next;
        await db.calls.put(stored);
        return stored;
      });
    },
    updateCall,
    linkWorkOrder: (callId, workOrderId) => updateCall(callId, { workOrderId }),
    getCall: (id) => db.calls.get(id),
    recentCalls: async (limit, options = {}) => {
      const n = checkLimit(limit);
      const range = options.before === undefined ? db.calls.orderBy('startedAt') : db.calls.where('startedAt').below(options.before);
      return range.reverse().limit(n).toArray();
    },
    callsForNumber: async (number, limit) => {
      const n = checkLimit(limit);
      const variants = numberVariants(number);
      if (variants.length === 0) return []; // withheld numbers do not match each other
      const calls = await db.calls.where('remoteNumber').anyOf(variants).toArray();
      return calls.sort((a, b) => b.startedAt - a.startedAt).slice(0, n);
    },
    callsForWorkOrder: async (workOrderId) => {
      const calls = await db.calls.where('workOrderId').equals(workOrderId).toArray();
      return calls.sort((a, b) => b.startedAt - a.startedAt);
    },
    pruneOlderThan: async (epochMs) => pruneBefore(epochMs),
    pruneExpired: async (now = Date.now(), retentionMs = CALL_LOG_RETENTION_MS) => pruneBefore(now - retentionMs),
    close: () => db.close(),
  };
}

/** The workstation's call log. */
export const callLog: CallLog = openCallLog();
