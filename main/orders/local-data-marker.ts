/**
 * Main's record of the renderer's local orders database, to notice when it is gone: the database
 * names itself with a random id when it is created (kept in its own meta table), and reports that
 * id and how many entries it still owes the platform. Main keeps the last report in a small file
 * (userData/local-data-marker.json). When a report names another id than the file — the browser
 * profile was reset, the IndexedDB folder deleted or replaced, an upgrade lost it — the database
 * was wiped behind the app's back: main logs it and tells the renderer how many unsent entries may
 * have been lost, so the agent hears it and can re-enter them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LocalDataReport, LocalDataVerdict } from '../../shared/orders/ipc';

export const MARKER_FILE = 'local-data-marker.json';

const markerSchema = z
  .object({
    dbId: z.string().uuid(),
    /** Entries owed to the platform at the last report. */
    pending: z.number().int().nonnegative(),
    /** Epoch ms of the last report. */
    at: z.number().int().nonnegative(),
  })
  .strict();
type Marker = z.infer<typeof markerSchema>;

export class LocalDataMarker {
  private readonly file: string;
  private current: Marker | undefined;
  private loaded = false;

  constructor(userDataDir: string, private readonly now: () => number = Date.now) {
    this.file = path.join(userDataDir, MARKER_FILE);
  }

  private read(): Marker | undefined {
    if (this.loaded) return this.current;
    this.loaded = true;
    try {
      const parsed = markerSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      this.current = parsed.success ? parsed.data : undefined;
    } catch {
      this.current = undefined; // first start, or an unreadable file: nothing to compare with
    }
    return this.current;
  }

  private write(next: Marker): void {
    this.current = next;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(next));
      fs.renameSync(tmp, this.file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }

  /** A report from the renderer: what main knew before, compared. */
  report(r: LocalDataReport): LocalDataVerdict {
    const before = this.read();
    const at = this.now();
    if (!before || before.dbId === r.dbId) {
      if (!before || before.pending !== r.pending) this.write({ dbId: r.dbId, pending: r.pending, at });
      return { wiped: false };
    }
    this.write({ dbId: r.dbId, pending: r.pending, at });
    return { wiped: true, lostPending: before.pending, lastSeenAt: before.at };
  }
}
