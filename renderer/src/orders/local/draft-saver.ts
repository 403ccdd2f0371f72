/**
 * Saves drafts while the agent types, so that a crash loses at most ~300 ms of typing:
 * a trailing debounce (150 ms after the last change) bounded by a maximum wait (250 ms after the
 * first unsaved change), so continuous typing is still written four times a second. Writes of one
 * draft are serialised and each writes the draft as it is when the write starts (never an older
 * snapshot over a newer one). `flushAll` runs on `pagehide` / hidden `visibilitychange`.
 */
import type { Draft } from '../../../../shared/orders/draft';

export const SAVE_TRAILING_MS = 150;
export const SAVE_MAX_WAIT_MS = 250;

interface Pending {
  trailing: ReturnType<typeof setTimeout>;
  maxWait: ReturnType<typeof setTimeout>;
}

export interface DraftSaverDeps {
  /** The draft as it is now (from the store), or undefined when it is gone. */
  read(id: string): Draft | undefined;
  write(draft: Draft): Promise<void>;
  /** A write finished: `updatedAt` of the version now durable. */
  saved(id: string, updatedAt: number): void;
  failed(id: string, error: unknown): void;
}

export class DraftSaver {
  private readonly pending = new Map<string, Pending>();
  private readonly chains = new Map<string, Promise<void>>();
  /** Real milliseconds of the slowest write so far (reported by the loss-window test). */
  slowestWriteMs = 0;

  constructor(
    private readonly deps: DraftSaverDeps,
    private readonly trailingMs = SAVE_TRAILING_MS,
    private readonly maxWaitMs = SAVE_MAX_WAIT_MS,
  ) {}

  /** A change was made: save it soon. */
  schedule(id: string): void {
    const p = this.pending.get(id);
    if (p) {
      clearTimeout(p.trailing);
      p.trailing = setTimeout(() => void this.saveNow(id), this.trailingMs);
      return;
    }
    this.pending.set(id, {
      trailing: setTimeout(() => void this.saveNow(id), this.trailingMs),
      maxWait: setTimeout(() => void this.saveNow(id), this.maxWaitMs),
    });
  }

  /** Write the draft now (after any write of it already under way). */
  saveNow(id: string): Promise<void> {
    this.cancel(id);
    const prev = this.chains.get(id) ?? Promise.resolve();
    const next = prev.then(async () => {
      const draft = this.deps.read(id);
      if (!draft) return;
      const started = performance.now();
      try {
        await this.deps.write(draft);
        this.slowestWriteMs = Math.max(this.slowestWriteMs, performance.now() - started);
        this.deps.saved(id, draft.updatedAt);
      } catch (error) {
        this.deps.failed(id, error);
      }
    });
    this.chains.set(id, next);
    void next.then(() => {
      if (this.chains.get(id) === next) this.chains.delete(id);
    });
    return next;
  }

  /** Stop a scheduled save (the caller writes the draft itself, e.g. in the submit transaction). */
  cancel(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.trailing);
    clearTimeout(p.maxWait);
    this.pending.delete(id);
  }

  /** Write every draft with unsaved changes now; resolves when all writes under way are done. */
  async flushAll(): Promise<void> {
    for (const id of [...this.pending.keys()]) void this.saveNow(id);
    await this.idle();
  }

  /** Write this draft's unsaved changes (if any) and wait for its writes. */
  async flush(id: string): Promise<void> {
    if (this.pending.has(id)) void this.saveNow(id);
    await (this.chains.get(id) ?? Promise.resolve());
  }

  /** Resolves when no write is under way. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  hasPending(id: string): boolean {
    return this.pending.has(id);
  }

  dispose(): void {
    for (const id of [...this.pending.keys()]) this.cancel(id);
  }
}
