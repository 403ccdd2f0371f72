/**
 * The city's reference data in main (directory, units, categories, areas, phrases, out-of-scope
 * reasons, deadline policy, calendar). The last good copy is kept on disk
 * (userDataDir/reference-cache.json), so the order form works with the platform down and a
 * restart offline still has it. Main refreshes when the session comes online, every five minutes
 * while it stays online, and when the renderer asks: it reads the platform's versions and fetches
 * only the sets whose version differs, validates the whole copy, writes it atomically and tells
 * the renderer (directory:changed). While online it also follows the platform's live stream: a
 * changed set (a new transfer target, changed service hours) is fetched at once, and so is anything
 * missed while the stream was down. Nothing here waits for the network at start.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { shanghaiDate } from '../../shared/base/shanghai-time';
import { directoryIpc, REFERENCE_SETS, referenceDataSchema, type ReferenceData, type ReferenceSet, type ReferenceState } from '../../shared/directory/ipc';
import { platformApi } from '../../shared/http';
import type { DomainService, ServiceContext } from '../ipc/service';
import { PlatformError, type PlatformClient } from '../session/platform-client';
import { LiveFeed } from '../session/live-feed';

export const REFERENCE_CACHE_FILE = 'reference-cache.json';
export const REFRESH_INTERVAL_MS = 5 * 60_000;

export interface DirectoryServiceOptions {
  /** The session's client: its status says when to refresh, its calls fetch the data. */
  platform: Pick<PlatformClient, 'call' | 'status' | 'onStatus'> & Partial<Pick<PlatformClient, 'accessToken'>>;
  /** How often to refresh while online (default five minutes). */
  intervalMs?: number;
  now?: () => number;
}

export interface DirectoryService extends DomainService<typeof directoryIpc> {
  /** Resolves once the cached copy has been read (or found missing or invalid). */
  readonly loaded: Promise<void>;
}

const yearSchema = z.number().int().min(2000).max(2100);

/** The file on disk: the data plus what is needed to know what to refetch. */
const cacheFileSchema = z
  .object({
    format: z.literal(1),
    /** Epoch ms of the refresh that produced this copy. */
    fetchedAt: z.number().int().nonnegative(),
    /** The calendar years the copy holds (this year ± 1 when it was fetched). */
    calendarYears: z.tuple([yearSchema, yearSchema]),
    /** Sets the platform has not sent yet: their place holds an empty value and version 0. */
    absent: z.array(z.enum(REFERENCE_SETS)),
    data: referenceDataSchema,
  })
  .strict();
type CacheFile = z.infer<typeof cacheFileSchema>;

function emptyData(): ReferenceData {
  return {
    versions: Object.fromEntries(REFERENCE_SETS.map((s) => [s, 0])) as ReferenceData['versions'],
    directory: [],
    units: [],
    categories: [],
    areas: [],
    phrases: [],
    outOfScope: [],
    deadlinePolicy: null,
    calendar: { knownYears: [], days: [] },
  };
}

/** The calendar window: last year to next year, by the Shanghai calendar. */
export function calendarWindow(now: number): [number, number] {
  const year = Number(shanghaiDate(now).slice(0, 4));
  return [year - 1, year + 1];
}

type Fetched = { [S in ReferenceSet]: { set: S; version: number; value: ReferenceData[S] } }[ReferenceSet];

export function directoryService(ctx: ServiceContext, options: DirectoryServiceOptions): DirectoryService {
  const { platform } = options;
  const now = options.now ?? Date.now;
  const log = ctx.logger.child('directory');
  const file = path.join(ctx.userDataDir, REFERENCE_CACHE_FILE);

  let copy: CacheFile | undefined;
  let stale = true;
  let disposed = false;
  let inflight: Promise<ReferenceState> | undefined;

  const state = (): ReferenceState => ({ data: copy?.data ?? null, fetchedAt: copy?.fetchedAt ?? null, stale });

  const safeLog = (level: 'info' | 'warn', message: string, context?: Record<string, unknown>) => {
    if (disposed) return;
    try {
      log[level](message, context);
    } catch {
      // A log that cannot be written must not turn a refresh into a failure.
    }
  };

  const loaded = (async () => {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch {
      return; // first start: nothing cached yet
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      safeLog('warn', 'reference cache is not JSON; ignored');
      return;
    }
    const parsed = cacheFileSchema.safeParse(json);
    if (!parsed.success) {
      safeLog('warn', 'reference cache breaks the schema; ignored', { issues: parsed.error.issues.slice(0, 5).map((i) => i.path.map(String).join('.')) });
      return;
    }
    // A refresh that finished first has the newer copy.
    copy ??= parsed.data;
  })();

  async function fetchSet(set: ReferenceSet, years: [number, number]): Promise<Fetched> {
    const api = platformApi.directory;
    switch (set) {
      case 'directory': {
        const r = await platform.call(api.directory);
        return { set, version: r.version, value: r.entries };
      }
      case 'units': {
        const r = await platform.call(api.units);
        return { set, version: r.version, value: r.units };
      }
      case 'categories': {
        const r = await platform.call(api.categories);
        return { set, version: r.version, value: r.categories };
      }
      case 'areas': {
        const r = await platform.call(api.areas);
        return { set, version: r.version, value: r.areas };
      }
      case 'phrases': {
        const r = await platform.call(api.phrases);
        return { set, version: r.version, value: r.phrases };
      }
      case 'outOfScope': {
        const r = await platform.call(api.outOfScope);
        return { set, version: r.version, value: r.reasons };
      }
      case 'deadlinePolicy': {
        const r = await platform.call(api.deadlinePolicy);
        return { set, version: r.version, value: r.policy };
      }
      case 'calendar': {
        const r = await platform.call(api.calendar, { query: { from: years[0], to: years[1] } });
        return { set, version: r.version, value: { knownYears: r.knownYears, days: r.days } };
      }
    }
  }

  async function write(next: CacheFile): Promise<void> {
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(tmp, JSON.stringify(next));
      await fs.rename(tmp, file);
    } catch (error) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      safeLog('warn', 'reference cache could not be written', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  function publish(before: { data: ReferenceData | null; stale: boolean }): void {
    if (disposed) return;
    const after = state();
    if (after.data !== before.data || after.stale !== before.stale) ctx.emit(directoryIpc.onChanged, after);
  }

  async function doRefresh(): Promise<ReferenceState> {
    await loaded;
    const before = { data: copy?.data ?? null, stale };
    try {
      const remote = await platform.call(platformApi.directory.versions);
      const years = calendarWindow(now());
      const base = copy?.data ?? emptyData();
      const absent = new Set<ReferenceSet>(copy?.absent ?? REFERENCE_SETS);
      const wanted = REFERENCE_SETS.filter((set) => {
        const version = remote[set];
        if (version === undefined) return false; // the platform does not serve it (yet): keep ours
        if (absent.has(set) || base.versions[set] !== version) return true;
        return set === 'calendar' && (copy?.calendarYears[0] !== years[0] || copy.calendarYears[1] !== years[1]);
      });
      const fetched = await Promise.all(wanted.map((set) => fetchSet(set, years)));
      if (disposed) return state();
      if (fetched.length > 0 || !copy) {
        if (fetched.length === 0) {
          // Reached, but the platform serves none of the sets: nothing to hold yet.
          stale = true;
          safeLog('warn', 'reference versions name no known set');
          publish(before);
          return state();
        }
        const data: ReferenceData = { ...base, versions: { ...base.versions } };
        for (const f of fetched) {
          (data as Record<ReferenceSet, unknown>)[f.set] = f.value;
          data.versions[f.set] = f.version;
          absent.delete(f.set);
        }
        const checked = referenceDataSchema.safeParse(data);
        if (!checked.success) {
          stale = true;
          safeLog('warn', 'fetched reference data breaks the schema; kept the last copy', { issues: checked.error.issues.slice(0, 5).map((i) => i.path.map(String).join('.')) });
          publish(before);
          return state();
        }
        const calendarFetched = fetched.some((f) => f.set === 'calendar');
        copy = {
          format: 1,
          fetchedAt: now(),
          calendarYears: calendarFetched || !copy ? years : copy.calendarYears,
          absent: REFERENCE_SETS.filter((s) => absent.has(s)),
          data: checked.data,
        };
        await write(copy);
        safeLog('info', 'reference data updated', { sets: fetched.map((f) => f.set) });
      } else {
        copy = { ...copy, fetchedAt: now() };
      }
      stale = false;
    } catch (error) {
      if (!(error instanceof PlatformError)) safeLog('warn', 'reference refresh failed', { error: error instanceof Error ? error.message : String(error) });
      else safeLog('warn', 'reference refresh failed', { problem: error.code, status: error.status });
      stale = true;
    }
    publish(before);
    return state();
  }

  /** One refresh at a time; callers during one share its result. Never rejects. */
  function refresh(): Promise<ReferenceState> {
    inflight ??= doRefresh()
      .catch(() => {
        stale = true;
        return state();
      })
      .finally(() => (inflight = undefined));
    return inflight;
  }

  // The live stream: a reference set changed on the platform, or the stream (re)connected.
  const accessToken = platform.accessToken?.bind(platform);
  const feed = accessToken
    ? new LiveFeed({
        platform: { accessToken },
        logger: log,
        onEvent: (e) => {
          if (e.type === 'reference' && (REFERENCE_SETS as readonly string[]).includes(e.kind) && copy?.data.versions[e.kind as ReferenceSet] !== e.version) void refresh();
        },
        // (Re)connected: anything may have changed meanwhile (a refresh under way is shared; one
        // that finds the same versions costs one small request).
        onState: (s) => {
          if (s.state === 'live') void refresh();
        },
      })
    : undefined;

  let lastState = platform.status().state;
  const unsubscribe = platform.onStatus((s) => {
    const was = lastState;
    lastState = s.state;
    // Signed in or back online (the status repeats 'online' at every token refresh: act on the change).
    if (s.state === 'online' && was !== 'online') void refresh();
    if (s.state === 'signedOut') feed?.follow(false);
    else if (s.state === 'online') feed?.follow(true);
  });
  if (lastState === 'online') {
    void refresh();
    feed?.follow(true);
  }
  const timer = setInterval(() => {
    if (platform.status().state === 'online') void refresh();
  }, options.intervalMs ?? REFRESH_INTERVAL_MS);
  timer.unref?.();

  return {
    ipc: directoryIpc,
    loaded,
    handlers: {
      reference: async () => {
        await loaded;
        return state();
      },
      refresh: () => refresh(),
    },
    dispose: () => {
      disposed = true;
      clearInterval(timer);
      unsubscribe();
      feed?.dispose();
    },
  };
}
