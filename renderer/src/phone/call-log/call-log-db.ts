/**
 * The local call log in IndexedDB (Dexie). Every write is validated with the shared zod schema,
 * so nothing malformed reaches the database. Entries are personal data:
 *
 * - At rest they are sealed (AES-256-GCM, ../../local-data/sealed.ts) with the renderer's local
 *   cipher. A stored row keeps in clear only what is not personal and what queries need: the
 *   Call-ID, direction, times, result, SIP code, work-order link and the hotline number dialled,
 *   plus `numberIndex`, a keyed blind index of the caller's number (withheld numbers get none).
 *   Everything else — the caller's number and name, transfer targets, the agent's account and
 *   any field added to the schema later — is in the sealed blob.
 * - Without the keys (main's secret store unavailable) the log refuses to work
 *   (CallLogKeysUnavailableError) instead of storing plaintext.
 * - They are pruned after CALL_LOG_RETENTION_MS (the call-log store prunes on load).
 *
 * Schema versions: version 1 kept plaintext entries in `calls`. Version 2 adds `sealedCalls` and
 * drops the plaintext number index of `calls`. WebCrypto must not run inside an IndexedDB upgrade
 * transaction (the transaction would commit while it waits), so the rows of `calls` are moved
 * after open, in batches (see migrateLegacy): read a batch, seal it outside any transaction,
 * then in one transaction write the sealed rows and delete the plaintext ones. The plaintext
 * table is itself the list of what is left to do, so the migration is idempotent and resumes
 * wherever it was interrupted; until it is done, readers read both tables in one transaction.
 */
import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import { callLogEntrySchema, describeCallLogIssues, type CallLogEntry, type CallLogPatch } from '../../../../shared/phone/call-log';
import { normalizePhone } from '../../../../shared/base/phone-number';
import { localCipher } from '../../local-data/keys';
import type { LocalCipher, Sealed } from '../../local-data/sealed';
import { BridgeError } from '../../ipc/bridge';
import { createRendererLogger } from '../../logging/logger';

export const CALL_LOG_DB_NAME = 'hotline-workstation-calllog';
export const CALL_LOG_RETENTION_DAYS = 90;
/** How long calls are kept on this machine: personal data must not be kept forever. */
export const CALL_LOG_RETENTION_MS = CALL_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000;
/** The most entries one query returns. */
export const CALL_LOG_MAX_QUERY = 1000;
/** The database schema version (2: sealed rows). */
export const CALL_LOG_DB_VERSION = 2;
/** How many plaintext rows of version 1 are sealed per migration transaction. */
export const CALL_LOG_MIGRATION_BATCH = 100;

/** Thrown when an entry (or an entry after a patch) does not match the schema; nothing is written. */
export class CallLogValidationError extends Error {
  override readonly name = 'CallLogValidationError';
}

/** Thrown when updating or linking a call that is not in the log. */
export class CallLogNotFoundError extends Error {
  override readonly name = 'CallLogNotFoundError';
}

/**
 * Thrown by every read and write when the local keys cannot be had (main answered
 * 'secrets_unavailable', or the bridge failed): nothing is read or written, never in plaintext.
 */
export class CallLogKeysUnavailableError extends Error {
  override readonly name = 'CallLogKeysUnavailableError';
  /** The bridge's error code ('secrets_unavailable'), or 'error' for any other failure. */
  readonly code: string;
  constructor(cause: unknown) {
    const code = cause instanceof BridgeError ? cause.code : 'error';
    super(`The call log's keys are not available (${code}): calls are neither stored nor shown`, { cause });
    this.code = code;
  }
}

/** Thrown when a write kept colliding with concurrent writes of the same call. */
export class CallLogConflictError extends Error {
  override readonly name = 'CallLogConflictError';
}

/** The fields stored in clear: not personal, and needed for ordering and look-ups. */
const CLEAR_KEYS = ['id', 'direction', 'dialled', 'startedAt', 'answeredAt', 'endedAt', 'result', 'sipCode', 'workOrderId'] as const satisfies readonly (keyof CallLogEntry)[];
type ClearKey = (typeof CLEAR_KEYS)[number];

/** What is sealed: every other field of an entry (a field added to the schema is sealed too). */
export type SealedCallFields = Omit<CallLogEntry, ClearKey>;

/** A row of `sealedCalls` (schema version 2). */
export type StoredCallRow = Pick<CallLogEntry, ClearKey> & {
  /** Blind index (keyed hash) of the normalised remote number; absent when the number was withheld. */
  numberIndex?: string;
  /** SealedCallFields, sealed under the row's id. */
  sealed: Sealed;
  /** Bumped on every write: updates check it to detect a concurrent write (optimistic locking). */
  rev: number;
};

export type CallLogDatabase = Dexie & {
  /** Sealed rows (version 2). */
  sealedCalls: EntityTable<StoredCallRow, 'id'>;
  /** Plaintext rows of version 1 not yet migrated (empty once the migration has run). */
  calls: EntityTable<CallLogEntry, 'id'>;
};

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
  /**
   * Seal the plaintext rows of schema version 1. Starts by itself with the first use of the log
   * (in the background: readers do not wait for it); this joins that run and resolves with how
   * many rows it sealed (0 when there were none).
   */
  migrateLegacy(): Promise<number>;
  close(): void;
}

export interface CallLogOptions extends DexieOptions {
  /** Where the keys come from (default: the renderer's local cipher from main's keys). */
  readonly cipher?: () => Promise<LocalCipher>;
  /** Rows sealed per migration transaction (default CALL_LOG_MIGRATION_BATCH). */
  readonly migrationBatch?: number;
}

const log = createRendererLogger('calllog');

/** Logging must never break the log itself (nor tests without the bridge). Counts and names only, never values. */
function report(level: 'info' | 'warn', message: string, context?: Record<string, unknown>): void {
  try {
    log[level](message, context);
  } catch {
    // no bridge: nothing to report to
  }
}

function validate(value: unknown): CallLogEntry {
  const parsed = callLogEntrySchema.safeParse(value);
  if (!parsed.success) throw new CallLogValidationError(`Invalid call log entry: ${describeCallLogIssues(parsed.error)}`);
  return withoutUndefined(parsed.data);
}

/** Optional fields set to undefined are left out rather than stored as explicit undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`call log limit must be a positive integer, got ${limit}`);
  return Math.min(limit, CALL_LOG_MAX_QUERY);
}

function split(entry: CallLogEntry): { clear: Pick<CallLogEntry, ClearKey>; sealed: SealedCallFields } {
  const clear: Record<string, unknown> = {};
  const sealed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (v === undefined) continue;
    if ((CLEAR_KEYS as readonly string[]).includes(k)) clear[k] = v;
    else sealed[k] = v;
  }
  return { clear: clear as Pick<CallLogEntry, ClearKey>, sealed: sealed as SealedCallFields };
}

/** An entry as a stored row: seals the personal fields (WebCrypto: never call inside a transaction). */
async function toRow(cipher: LocalCipher, entry: CallLogEntry, rev: number): Promise<StoredCallRow> {
  const { clear, sealed } = split(entry);
  const number = typeof entry.remoteNumber === 'string' ? normalizePhone(entry.remoteNumber) : '';
  return {
    ...clear,
    ...(number !== '' ? { numberIndex: await cipher.phoneIndex(number) } : {}),
    sealed: await cipher.seal(sealed, entry.id),
    rev,
  };
}

/** A row of either table as the entry it stores, or undefined when a sealed row does not open. */
async function toEntry(cipher: LocalCipher, row: StoredCallRow | CallLogEntry): Promise<CallLogEntry | undefined> {
  if (!('sealed' in row)) return row; // version 1 plaintext row, not yet migrated
  const { sealed, numberIndex: _index, rev: _rev, ...clear } = row;
  try {
    const fields = await cipher.open<SealedCallFields>(sealed, row.id);
    return withoutUndefined({ ...fields, ...clear }) as CallLogEntry;
  } catch {
    return undefined;
  }
}

const byNewest = (a: { startedAt: number }, b: { startedAt: number }) => b.startedAt - a.startedAt;

function isClosedError(error: unknown): boolean {
  return error instanceof Error && error.name === 'DatabaseClosedError';
}

/**
 * Open (lazily, on first use) the call log database. Tests pass their own name and, for a
 * fake IndexedDB, `{ indexedDB, IDBKeyRange }` in options (and a cipher, or use
 * setLocalCipherForTests).
 */
export function openCallLog(name = CALL_LOG_DB_NAME, options: CallLogOptions = {}): CallLog {
  const { cipher: getCipher = localCipher, migrationBatch = CALL_LOG_MIGRATION_BATCH, ...dexieOptions } = options;
  const db = new Dexie(name, dexieOptions) as CallLogDatabase;
  db.version(1).stores({ calls: 'id, startedAt, remoteNumber, workOrderId' });
  // No upgrade function: sealing is async WebCrypto, done after open (migrateLegacy).
  db.version(CALL_LOG_DB_VERSION).stores({
    calls: 'id, startedAt, workOrderId',
    sealedCalls: 'id, startedAt, [numberIndex+startedAt], workOrderId',
  });

  let closed = false;
  let migration: Promise<number> | undefined;

  /** One batch: read plaintext rows, seal them (outside any transaction), then swap them in one transaction. */
  const migrateBatch = async (cipher: LocalCipher): Promise<{ read: number; moved: number }> => {
    const plain = await db.calls.limit(migrationBatch).toArray();
    if (plain.length === 0) return { read: 0, moved: 0 };
    const rows = await Promise.all(plain.map((e) => toRow(cipher, e, 1)));
    const moved = await db.transaction('rw', db.calls, db.sealedCalls, async () => {
      let n = 0;
      for (const row of rows) {
        if (!(await db.calls.get(row.id))) continue; // moved meanwhile (another window)
        // A sealed row of the same call was written meanwhile: it is newer; keep it.
        if (!(await db.sealedCalls.get(row.id))) {
          await db.sealedCalls.put(row);
          n++;
        }
        await db.calls.delete(row.id);
      }
      return n;
    });
    return { read: plain.length, moved };
  };

  const runMigration = async (cipher: LocalCipher): Promise<number> => {
    let moved = 0;
    for (;;) {
      if (closed) return moved;
      const batch = await migrateBatch(cipher);
      if (batch.read === 0) return moved;
      moved += batch.moved;
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the page's own work in between
    }
  };

  const startMigration = (cipher: LocalCipher): Promise<number> => {
    if (!migration) {
      const run = runMigration(cipher);
      migration = run;
      run.then(
        (moved) => {
          if (moved > 0) report('info', 'call log rows sealed', { rows: moved });
        },
        (error: unknown) => {
          if (migration === run) migration = undefined; // the next use tries again
          if (closed || isClosedError(error)) return;
          report('warn', 'call log migration interrupted', { reason: error instanceof Error ? error.name : 'unknown' });
        },
      );
    }
    return migration;
  };

  /** The cipher (or CallLogKeysUnavailableError); starts the migration of plaintext rows. */
  const ready = async (): Promise<LocalCipher> => {
    let cipher: LocalCipher;
    try {
      cipher = await getCipher();
    } catch (error) {
      throw new CallLogKeysUnavailableError(error);
    }
    if (!closed) void startMigration(cipher).catch(() => undefined);
    return cipher;
  };

  /** Entries of rows read together, newest first, at most `limit`; rows that do not open are left out. */
  const entriesOf = async (cipher: LocalCipher, rows: Array<StoredCallRow | CallLogEntry>, limit = Number.POSITIVE_INFINITY): Promise<CallLogEntry[]> => {
    const chosen = [...rows].sort(byNewest).slice(0, limit);
    const entries = await Promise.all(chosen.map((r) => toEntry(cipher, r)));
    const readable = entries.filter((e): e is CallLogEntry => e !== undefined);
    if (readable.length < entries.length) report('warn', 'call log rows could not be opened', { rows: entries.length - readable.length });
    return readable;
  };

  /** The row of a call in either table, read in one transaction. */
  const readRow = (id: string) =>
    db.transaction('r', db.sealedCalls, db.calls, async () => {
      const sealed = await db.sealedCalls.get(id);
      return sealed ? { sealed } : { plain: await db.calls.get(id) };
    });

  const updateCall = async (id: string, patch: CallLogPatch): Promise<CallLogEntry> => {
    const cipher = await ready();
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await readRow(id);
      const row = read.sealed ?? read.plain;
      const existing = row ? await toEntry(cipher, row) : undefined;
      if (!existing) throw new CallLogNotFoundError(`No call with id ${id} in the call log`);
      const next = validate({ ...existing, ...patch, id });
      const rev = (read.sealed?.rev ?? 0) + 1;
      const stored = await toRow(cipher, next, rev);
      // Write only if the row is still the one read (no await of anything but Dexie in here).
      const written = await db.transaction('rw', db.sealedCalls, db.calls, async () => {
        const current = await db.sealedCalls.get(id);
        if (read.sealed ? current?.rev !== read.sealed.rev : current !== undefined || !(await db.calls.get(id))) return false;
        await db.sealedCalls.put(stored);
        await db.calls.delete(id);
        return true;
      });
      if (written) return next;
    }
    throw new CallLogConflictError(`The call ${id} kept changing while it was being updated`);
  };

  const pruneBefore = async (epochMs: number): Promise<number> => {
    if (!Number.isFinite(epochMs)) throw new RangeError(`call log prune time must be a finite epoch ms, got ${epochMs}`);
    // Deleting needs no keys: expired calls go even while the keys are unavailable.
    return db.transaction('rw', db.sealedCalls, db.calls, async () => {
      const sealed = await db.sealedCalls.where('startedAt').below(epochMs).delete();
      const plain = await db.calls.where('startedAt').below(epochMs).delete();
      return sealed + plain;
    });
  };

  return {
    db,
    recordCall: async (entry) => {
      const next = validate(entry);
      const cipher = await ready();
      const row = await toRow(cipher, next, 1);
      return db.transaction('rw', db.sealedCalls, db.calls, async () => {
        const existing = (await db.sealedCalls.get(next.id)) ?? (await db.calls.get(next.id));
        const workOrderId = next.workOrderId ?? existing?.workOrderId;
        const rev = (existing && 'rev' in existing ? existing.rev : 0) + 1;
        await db.sealedCalls.put({ ...row, ...(workOrderId !== undefined ? { workOrderId } : {}), rev });
        await db.calls.delete(next.id);
        return workOrderId !== undefined ? { ...next, workOrderId } : next;
      });
    },
    updateCall,
    linkWorkOrder: (callId, workOrderId) => updateCall(callId, { workOrderId }),
    getCall: async (id) => {
      const cipher = await ready();
      const read = await readRow(id);
      const row = read.sealed ?? read.plain;
      return row ? toEntry(cipher, row) : undefined;
    },
    recentCalls: async (limit, options = {}) => {
      const n = checkLimit(limit);
      const cipher = await ready();
      const { before } = options;
      const rows = await db.transaction('r', db.sealedCalls, db.calls, async () => {
        const newest = (table: CallLogDatabase['sealedCalls'] | CallLogDatabase['calls']) =>
          (before === undefined ? table.orderBy('startedAt') : table.where('startedAt').below(before)).reverse().limit(n).toArray();
        return [...(await newest(db.sealedCalls)), ...(await newest(db.calls))];
      });
      return entriesOf(cipher, rows, n);
    },
    callsForNumber: async (number, limit) => {
      const n = checkLimit(limit);
      const normalised = normalizePhone(number.trim());
      if (normalised === '') return []; // withheld numbers do not match each other
      const cipher = await ready();
      const index = await cipher.phoneIndex(normalised);
      const rows = await db.transaction('r', db.sealedCalls, db.calls, async () => {
        const sealed = await db.sealedCalls
          .where('[numberIndex+startedAt]')
          .between([index, Dexie.minKey], [index, Dexie.maxKey])
          .reverse()
          .limit(n)
          .toArray();
        // Plaintext rows exist only until the migration has run: a scan is fine.
        const plain = await db.calls.filter((e) => typeof e.remoteNumber === 'string' && normalizePhone(e.remoteNumber) === normalised).toArray();
        return [...sealed, ...plain];
      });
      return entriesOf(cipher, rows, n);
    },
    callsForWorkOrder: async (workOrderId) => {
      const cipher = await ready();
      const rows = await db.transaction('r', db.sealedCalls, db.calls, async () => [
        ...(await db.sealedCalls.where('workOrderId').equals(workOrderId).toArray()),
        ...(await db.calls.where('workOrderId').equals(workOrderId).toArray()),
      ]);
      return entriesOf(cipher, rows);
    },
    pruneOlderThan: async (epochMs) => pruneBefore(epochMs),
    pruneExpired: async (now = Date.now(), retentionMs = CALL_LOG_RETENTION_MS) => pruneBefore(now - retentionMs),
    migrateLegacy: async () => startMigration(await ready()),
    close: () => {
      closed = true;
      db.close();
    },
  };
}

/** The workstation's call log. */
export const callLog: CallLog = openCallLog();
