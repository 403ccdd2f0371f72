/**
 * The directory service keeps the city's reference data: fetched when the session comes online,
 * by version (only the sets that changed), cached on disk atomically, used from the cache when the
 * platform is down or after a restart offline, an invalid cache ignored; `stale` says whether the
 * last refresh worked, and directory:changed tells the renderer. The platform is a fake `fetch`
 * behind the real PlatformClient (so replies are checked against the contract as in the app).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { directoryService, REFERENCE_CACHE_FILE, calendarWindow } from '../../main/directory/service';
import { IpcRegistry } from '../../main/ipc/registry';
import type { ServiceContext } from '../../main/ipc/service';
import { createLogger, type LogSink } from '../../main/logging/logger';
import { SecretStore } from '../../main/secrets/secret-store';
import { PlatformClient } from '../../main/session/platform-client';
import type { DocumentStore, SettingsService } from '../../main/settings/settings-service';
import { REFERENCE_SETS, type ReferenceSet, type ReferenceState } from '../../shared/directory/ipc';
import { GUANGDONG_POLICY } from '../../shared/directory/deadline-policy';
import { testEncryptor } from '../../e2e/support/test-encryptor';
import { recordingPorts } from '../../e2e/support/edge-ports';
import { tmpDir } from '../helpers/tmp';

const ORIGIN = 'app://workstation';
const FRAME = { url: `${ORIGIN}/index.html`, isTopFrame: true };
const BASE = 'http://127.0.0.1:18081';
/** 2027-01-01 01:00 in Shanghai (still 2026 in UTC): the calendar window is 2026–2028. */
const NEW_YEAR = Date.UTC(2026, 11, 31, 17, 0);

const PATHS: Record<ReferenceSet, string> = {
  directory: '/v1/reference/directory',
  units: '/v1/reference/units',
  categories: '/v1/reference/categories',
  areas: '/v1/reference/areas',
  phrases: '/v1/reference/phrases',
  outOfScope: '/v1/reference/out-of-scope',
  deadlinePolicy: '/v1/reference/deadline-policy',
  calendar: '/v1/reference/calendar',
};

/** A platform serving reference sets by version (and the session routes). */
class ReferencePlatform {
  readonly seen: string[] = [];
  down = false;
  /** Sets left out of /versions (a platform that does not serve them yet). */
  readonly unversioned = new Set<ReferenceSet>();
  readonly versions: Record<ReferenceSet, number> = { directory: 3, units: 2, categories: 5, areas: 1, phrases: 4, outOfScope: 1, deadlinePolicy: 2, calendar: 7 };
  units: { code: string; name: string; kind: string; parent: string | null; hotline: string | null }[] = [{ code: 'DIST-01', name: '福田区政府', kind: 'district', parent: null, hotline: null }];
  /** Reply with something breaking the contract for this set. */
  broken: ReferenceSet | undefined;

  body(set: ReferenceSet, query: URLSearchParams): Record<string, unknown> {
    const version = this.versions[set];
    switch (set) {
      case 'directory':
        return {
          version,
          entries: [
            { number: '12333', name: '人社热线', mergeMode: 'whole', status: 'active', unitCode: null, transferUri: null, threeWay: false, serviceHours: '全天', note: null, categoryCode: '03' },
          ],
        };
      case 'units':
        return { version, units: this.units };
      case 'categories':
        return { version, categories: [{ code: '01', name: '城乡建设', children: [{ code: '01.01', name: '噪音', children: [] }] }] };
      case 'areas':
        return { version, areas: [{ code: '440304', name: '福田区', kind: 'district', children: [{ code: '440304001', name: '南园街道', kind: 'street', children: [] }] }] };
      case 'phrases':
        return { version, phrases: [{ id: 'reply-1', group: '咨询答复', text: '您好，您反映的问题已记录。' }] };
      case 'outOfScope':
        return { version, reasons: [{ code: 'litigation', name: '涉诉事项', wording: '该事项已进入诉讼程序，请通过司法途径解决。' }] };
      case 'deadlinePolicy':
        return { version, policy: GUANGDONG_POLICY };
      case 'calendar': {
        const from = Number(query.get('from'));
        return { version, knownYears: [from, from + 1], days: [{ date: `${from + 1}-01-01`, kind: 'holiday', name: '元旦' }] };
      }
    }
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    this.seen.push(url.pathname + url.search);
    if (this.down) throw new TypeError('fetch failed');
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/v1/auth/login' || url.pathname === '/v1/auth/refresh') {
      void init;
      return json(200, {
        accessToken: `access-${crypto.randomUUID()}`,
        expiresIn: 900,
        refreshToken: `refresh-${crypto.randomUUID()}`,
        refreshExpiresIn: 86_400,
        user: { id: crypto.randomUUID(), account: 'agent01', displayName: '坐席一', role: 'agent', orgCode: 'CITY' },
      });
    }
    if (url.pathname === '/v1/reference/versions') {
      return json(200, Object.fromEntries(Object.entries(this.versions).filter(([k]) => !this.unversioned.has(k as ReferenceSet))));
    }
    const set = (Object.keys(PATHS) as ReferenceSet[]).find((s) => PATHS[s] === url.pathname);
    if (!set) return json(404, { error: { code: 'not_found', message: 'No such route' } });
    if (set === this.broken) return json(200, { version: this.versions[set], nonsense: true });
    return json(200, this.body(set, url.searchParams));
  };

  /** Set fetches seen (not /versions, not the session's). */
  fetches(): string[] {
    return this.seen.filter((p) => p.startsWith('/v1/reference/') && !p.startsWith('/v1/reference/versions'));
  }
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

interface Line {
  level: string;
  message: string;
  context?: Record<string, unknown>;
}

function start(options: { dir?: string; key?: Buffer; platform?: ReferencePlatform; now?: () => number; intervalMs?: number } = {}) {
  const dir = options.dir ?? tmpDir('ws-directory-');
  const key = options.key ?? crypto.randomBytes(32);
  const platform = options.platform ?? new ReferencePlatform();
  const lines: Line[] = [];
  const sink: LogSink = { write: (level, _module, message, context) => lines.push({ level, message, context }) };
  const logger = createLogger(sink);
  const secrets = new SecretStore(path.join(dir, 'secrets.json'), testEncryptor(key), logger);
  const client = new PlatformClient({ secrets, sessionFile: path.join(dir, 'platform-session.json'), clientId: 'ws-test-client-01', logger, fetch: platform.fetch, retryBaseMs: 60_000 });
  const events: ReferenceState[] = [];
  const ctx: ServiceContext = {
    logger,
    logSink: sink,
    settings: {} as SettingsService,
    secrets,
    userDataDir: dir,
    appInfo: { name: 'hotline-workstation', version: '0.0.0-test', runtime: 'bridge', platform: process.platform, versions: {} },
    emit: (def, payload) => {
      expect(def.channel).toBe('directory:changed');
      events.push(def.payload.parse(payload) as ReferenceState);
    },
  };
  const service = directoryService(ctx, { platform: client, now: options.now ?? (() => NEW_YEAR), intervalMs: options.intervalMs });
  const registry = new IpcRegistry(ORIGIN, logger);
  registry.register(service);
  disposers.push(() => {
    service.dispose?.();
    client.dispose();
  });
  const call = async (channel: 'directory:reference' | 'directory:refresh'): Promise<ReferenceState> => {
    const res = await registry.dispatch(channel, undefined, FRAME);
    if (!res.ok) throw new Error(`${channel} failed: ${res.error.code}`);
    return res.value as ReferenceState;
  };
  const signIn = () => client.signIn({ baseUrl: BASE, account: 'agent01', password: 'pw-123456' });
  const resume = () => client.resume();
  const cacheFile = path.join(dir, REFERENCE_CACHE_FILE);
  return { dir, key, platform, client, service, call, signIn, resume, events, lines, cacheFile };
}

describe('directory service', () => {
  it('has nothing and is stale on a first start that never reached the platform', async () => {
    const t = start();
    expect(await t.call('directory:reference')).toEqual({ data: null, fetchedAt: null, stale: true });
    expect(await t.call('directory:refresh')).toEqual({ data: null, fetchedAt: null, stale: true });
    expect(t.platform.seen).toEqual([]);
    expect(t.events).toEqual([]);
  });

  it('fetches every set when the session comes online, caches it atomically and tells the renderer', async () => {
    const t = start();
    await t.signIn();
    await until(() => t.events.length > 0);
    const state = t.events[0]!;
    expect(state.stale).toBe(false);
    expect(state.fetchedAt).toBe(NEW_YEAR);
    expect(state.data?.versions).toEqual(t.platform.versions);
    expect(state.data?.units[0]?.name).toBe('福田区政府');
    expect(state.data?.areas[0]?.children[0]?.name).toBe('南园街道');
    expect(state.data?.outOfScope[0]?.code).toBe('litigation');
    expect(state.data?.deadlinePolicy).toEqual(GUANGDONG_POLICY);
    // The calendar from last year to next, by the Shanghai calendar (already 2027 there).
    expect(calendarWindow(NEW_YEAR)).toEqual([2026, 2028]);
    expect(t.platform.fetches()).toContain('/v1/reference/calendar?from=2026&to=2028');
    expect(t.platform.fetches()).toHaveLength(REFERENCE_SETS.length);
    expect(await t.call('directory:reference')).toEqual(state);

    const cached = JSON.parse(fs.readFileSync(t.cacheFile, 'utf8'));
    expect(cached.data).toEqual(state.data);
    expect(fs.readdirSync(t.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refetches only the sets whose version changed, and keeps a set the platform stops listing', async () => {
    const t = start();
    await t.signIn();
    await until(() => t.events.length > 0);
    const before = t.platform.fetches().length;

    expect((await t.call('directory:refresh')).stale).toBe(false);
    expect(t.platform.fetches().length).toBe(before); // nothing changed: versions only
    expect(t.events).toHaveLength(1); // and nothing to tell

    t.platform.versions.units = 3;
    t.platform.units = [...t.platform.units, { code: 'UTIL-01', name: '供电局', kind: 'utility', parent: null, hotline: '95598' }];
    t.platform.unversioned.add('phrases');
    const after = await t.call('directory:refresh');
    expect(t.platform.fetches().slice(before)).toEqual(['/v1/reference/units']);
    expect(after.data?.units.map((u) => u.code)).toEqual(['DIST-01', 'UTIL-01']);
    expect(after.data?.versions.units).toBe(3);
    expect(after.data?.phrases).toHaveLength(1);
    expect(t.events.at(-1)).toEqual(after);
    expect(JSON.parse(fs.readFileSync(t.cacheFile, 'utf8')).data.versions.units).toBe(3);
  });

  it('fetches a set the platform starts serving later even at version 0', async () => {
    const t = start();
    t.platform.unversioned.add('areas');
    await t.signIn();
    await until(() => t.events.length > 0);
    expect(t.events[0]!.data?.areas).toEqual([]);
    expect(t.platform.fetches()).not.toContain('/v1/reference/areas');

    t.platform.unversioned.delete('areas');
    t.platform.versions.areas = 0;
    const state = await t.call('directory:refresh');
    expect(t.platform.fetches().filter((p) => p === '/v1/reference/areas')).toHaveLength(1);
    expect(state.data?.areas).toHaveLength(1);
    await t.call('directory:refresh');
    expect(t.platform.fetches().filter((p) => p === '/v1/reference/areas')).toHaveLength(1);
  });

  it('refetches the calendar when the year turns, though its version did not change', async () => {
    let now = Date.UTC(2026, 5, 1);
    const t = start({ now: () => now });
    await t.signIn();
    await until(() => t.events.length > 0);
    expect(t.platform.fetches()).toContain('/v1/reference/calendar?from=2025&to=2027');
    const before = t.platform.fetches().length;
    now = NEW_YEAR;
    const state = await t.call('directory:refresh');
    expect(t.platform.fetches().slice(before)).toEqual(['/v1/reference/calendar?from=2026&to=2028']);
    expect(state.data?.calendar.knownYears).toEqual([2026, 2027]);
  });

  it('uses the cache after a restart offline, stale until a refresh works', async () => {
    const dir = tmpDir('ws-directory-restart-');
    const key = crypto.randomBytes(32);
    const first = start({ dir, key });
    await first.signIn();
    await until(() => first.events.length > 0);
    const online = first.events[0]!;
    disposers.splice(0).forEach((d) => d());

    const down = new ReferencePlatform();
    down.down = true;
    const second = start({ dir, key, platform: down });
    await second.resume();
    expect(second.client.status().state).toBe('offline');
    const offline = await second.call('directory:reference');
    expect(offline).toEqual({ data: online.data, fetchedAt: online.fetchedAt, stale: true });
    expect(await second.call('directory:refresh')).toEqual(offline);

    // Back online: versions match the cache, so nothing but /versions is fetched.
    down.down = false;
    const state = await second.call('directory:refresh');
    expect(state.stale).toBe(false);
    expect(state.data).toEqual(online.data);
    expect(down.fetches()).toEqual([]);
    expect(second.events.at(-1)).toEqual(state);
  });

  it('marks the copy stale while refreshes fail, keeps it, and says so', async () => {
    const t = start();
    await t.signIn();
    await until(() => t.events.length > 0);
    const good = t.events[0]!;

    t.platform.down = true;
    const failed = await t.call('directory:refresh');
    expect(failed).toEqual({ ...good, stale: true });
    expect(t.events.at(-1)).toEqual(failed);

    t.platform.down = false;
    t.platform.versions.units = 9;
    t.platform.broken = 'units';
    expect(await t.call('directory:refresh')).toEqual({ ...good, stale: true });
    expect(JSON.parse(fs.readFileSync(t.cacheFile, 'utf8')).data).toEqual(good.data);
    expect(t.lines.some((l) => l.level === 'warn' && l.message === 'reference refresh failed')).toBe(true);

    t.platform.broken = undefined;
    const recovered = await t.call('directory:refresh');
    expect(recovered.stale).toBe(false);
    expect(recovered.data?.versions.units).toBe(9);
    expect(t.events.at(-1)).toEqual(recovered);
  });

  it('ignores (and logs) a cache that is not JSON or breaks the schema', async () => {
    for (const content of ['{not json', JSON.stringify({ format: 1, fetchedAt: 1, calendarYears: [2025, 2027], absent: [], data: { versions: {} } })]) {
      const dir = tmpDir('ws-directory-bad-');
      fs.writeFileSync(path.join(dir, REFERENCE_CACHE_FILE), content);
      const t = start({ dir });
      expect(await t.call('directory:reference')).toEqual({ data: null, fetchedAt: null, stale: true });
      expect(t.lines.some((l) => l.level === 'warn' && /reference cache/.test(l.message))).toBe(true);
      // The next good refresh replaces it.
      await t.signIn();
      await until(() => t.events.length > 0);
      expect(JSON.parse(fs.readFileSync(path.join(dir, REFERENCE_CACHE_FILE), 'utf8')).data.versions).toEqual(t.platform.versions);
    }
  });

  it('refreshes on a timer while online, not while signed out', async () => {
    const t = start({ intervalMs: 20 });
    await new Promise((r) => setTimeout(r, 80));
    expect(t.platform.seen).toEqual([]);
    await t.signIn();
    await until(() => t.events.length > 0);
    t.platform.versions.phrases = 40;
    await until(() => t.events.at(-1)?.data?.versions.phrases === 40);
  });

  it('is wired in the core: a sign-in fills it and directory:changed reaches the window', async () => {
    const dir = tmpDir('ws-directory-core-');
    const platform = new ReferencePlatform();
    const events: [string, unknown][] = [];
    const core = createCore({
      userDataDir: dir,
      openSettings: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', clearInvalidConfig: false }) as unknown as DocumentStore,
      encryptor: testEncryptor(crypto.randomBytes(32)),
      logSink: { write: () => undefined },
      ports: recordingPorts(),
      events: { emit: (c, p) => events.push([c, p]) },
      allowedOrigin: ORIGIN,
      appInfo: { name: 'hotline-workstation', version: '0.0.0-test', runtime: 'bridge', platform: process.platform, versions: {} },
      fetch: platform.fetch,
    });
    disposers.push(() => core.dispose());
    const res = await core.registry.dispatch('session:signIn', { baseUrl: BASE, account: 'agent01', password: 'pw-123456', rememberAccount: false }, FRAME);
    expect(res.ok).toBe(true);
    await until(() => events.some(([c]) => c === 'directory:changed'));
    const reference = await core.registry.dispatch('directory:reference', undefined, FRAME);
    expect(reference.ok && (reference.value as ReferenceState).stale).toBe(false);
  });
});
