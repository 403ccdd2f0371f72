/**
 * The workstation's connection to the central platform (main process only). It signs in, keeps
 * the access token in memory and the refresh token in the secret store, refreshes before expiry,
 * and makes typed calls validated against the shared contract. When the platform cannot be
 * reached the agent keeps working: the last session's identity stays, the state says "offline",
 * and the client keeps trying to come back with backoff.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { platformApi } from '../../shared/http';
import { apiErrorSchema, type RouteDef } from '../../shared/http/route';
import { sessionSchema, type PlatformSession } from '../../shared/session/routes';
import { platformStatusSchema, type PlatformStatus } from '../../shared/session/ipc';
import { isLoopbackUrl } from '../../shared/settings/schema';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../secrets/secret-store';

export type PlatformProblem = 'invalid_address' | 'insecure_address' | 'wrong_credentials' | 'rate_limited' | 'unreachable' | 'session_expired' | 'rejected' | 'invalid_response';

export class PlatformError extends Error {
  constructor(
    readonly code: PlatformProblem,
    message: string,
    readonly status?: number,
    readonly apiCode?: string,
  ) {
    super(message);
  }
}

export interface PlatformClientOptions {
  secrets: SecretStore;
  /** Where the last session's identity is kept for offline starts (no secrets in it). */
  sessionFile: string;
  clientId: string;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
  /** Backoff for reconnecting: full jitter, base and cap in ms. */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** The session is offline after this many calls in a row got no answer (default 3) and nothing answered for this long (default 2 s). */
  offlineAfterUnanswered?: number;
  offlineAfterSilentMs?: number;
}

type CallInput = { params?: Record<string, string>; query?: Record<string, string | number>; body?: unknown; idempotencyKey?: string };

export function normalizeBaseUrl(input: string): string {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new PlatformError('invalid_address', 'Not a valid address');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new PlatformError('invalid_address', 'The address must start with https://');
  // Tokens and callers' data cross this connection: plain http only to this machine.
  if (u.protocol === 'http:' && !isLoopbackUrl(u.href)) throw new PlatformError('insecure_address', 'Use https:// for a platform on another machine');
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

export class PlatformClient {
  private current: PlatformStatus = { state: 'signedOut' };
  private access: { token: string; expiresAt: number } | undefined;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  /** Calls in a row that got no answer at all (any answer, even an error, ends the row), and when the last answer came. */
  private unanswered = 0;
  private answeredAt = -Infinity;
  private readonly listeners = new Set<(s: PlatformStatus) => void>();
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly log: Logger;
  private disposed = false;

  constructor(private readonly o: PlatformClientOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
    this.now = o.now ?? (() => Date.now());
    this.log = o.logger.child('platform');
  }

  status(): PlatformStatus {
    return { ...this.current };
  }

  onStatus(listener: (s: PlatformStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** At start: continue the last session if there is one (online, or offline if unreachable). */
  async resume(): Promise<PlatformStatus> {
    const last = this.readSession();
    if (!last || !this.o.secrets.has('platformRefreshToken')) return this.set({ state: 'signedOut' });
    this.set({ state: 'offline', user: last.user, baseUrl: last.baseUrl, problem: 'connecting' });
    await this.refreshNow().catch(() => undefined);
    return this.status();
  }

  async signIn(input: { baseUrl: string; account: string; password: string }): Promise<PlatformStatus> {
    const baseUrl = normalizeBaseUrl(input.baseUrl);
    const res = await this.raw(baseUrl, platformApi.session.login, { body: { account: input.account, password: input.password, clientId: this.o.clientId } });
    this.adopt(baseUrl, sessionSchema.parse(res));
    this.log.info('signed in', { role: this.current.user?.role });
    return this.status();
  }

  async signOut(): Promise<PlatformStatus> {
    const refresh = this.o.secrets.get('platformRefreshToken');
    const baseUrl = this.current.baseUrl;
    this.clearTimer();
    this.access = undefined;
    this.o.secrets.delete('platformRefreshToken');
    fs.rmSync(this.o.sessionFile, { force: true });
    this.set({ state: 'signedOut' });
    if (refresh && baseUrl) {
      // Best effort: revoke on the server too; signing out must work offline.
      await this.raw(baseUrl, platformApi.session.logout, { body: { refreshToken: refresh } }).catch(() => undefined);
    }
    return this.status();
  }

  /** A typed call to the platform with the current session; refreshes the token when needed. */
  async call<R extends RouteDef>(route: R, input: CallInput = {}): Promise<z.output<R['response']>> {
    const baseUrl = this.current.baseUrl;
    if (this.current.state === 'signedOut' || !baseUrl) throw new PlatformError('session_expired', 'Not signed in');
    if (!this.access || this.access.expiresAt - this.now() < 60_000) await this.refreshNow();
    try {
      return await this.raw(baseUrl, route, input, this.access!.token);
    } catch (error) {
      if (error instanceof PlatformError && error.status === 401) {
        await this.refreshNow();
        return this.raw(baseUrl, route, input, this.access!.token);
      }
      // No answer at all (not an HTTP error), several calls in a row and for a while: the platform or
      // the way to it is down. The status bar says so, and the retry schedule finds out when it is back (online
      // again → outboxes resume). One request lost on a lossy path among answered ones is not an
      // outage: the status does not flap, and the callers retry on their own.
      if (error instanceof PlatformError && error.code === 'unreachable' && error.status === undefined) {
        this.unanswered += 1;
        const silentMs = this.now() - this.answeredAt;
        if (this.unanswered >= (this.o.offlineAfterUnanswered ?? 3) && silentMs >= (this.o.offlineAfterSilentMs ?? 2_000) && this.current.state === 'online' && !this.disposed) {
          this.set({ ...this.current, state: 'offline', problem: error.message });
          this.scheduleRetry();
        }
      }
      throw error;
    }
  }

  /**
   * A current access token and the platform's address, for a connection main keeps itself (the
   * lead's live feed over WebSocket). Never handed to the renderer.
   */
  async accessToken(): Promise<{ baseUrl: string; token: string }> {
    const baseUrl = this.current.baseUrl;
    if (this.current.state === 'signedOut' || !baseUrl) throw new PlatformError('session_expired', 'Not signed in');
    if (!this.access || this.access.expiresAt - this.now() < 60_000) await this.refreshNow();
    return { baseUrl, token: this.access!.token };
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private refreshNow(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const baseUrl = this.current.baseUrl;
    const token = this.o.secrets.get('platformRefreshToken');
    if (!baseUrl || !token) {
      this.set({ state: 'signedOut' });
      throw new PlatformError('session_expired', 'Sign in again');
    }
    try {
      const res = await this.raw(baseUrl, platformApi.session.refresh, { body: { refreshToken: token } });
      this.adopt(baseUrl, sessionSchema.parse(res));
    } catch (error) {
      if (error instanceof PlatformError && error.code === 'unreachable') {
        this.set({ ...this.current, state: 'offline', problem: error.message });
        this.scheduleRetry();
      } else if (error instanceof PlatformError && (error.status === 401 || error.status === 403)) {
        // Revoked or expired: the agent must sign in again (local work stays on this machine).
        this.o.secrets.delete('platformRefreshToken');
        this.access = undefined;
        this.clearTimer();
        this.set({ state: 'signedOut', problem: 'session_expired', baseUrl });
      }
      throw error;
    }
  }

  private adopt(baseUrl: string, s: PlatformSession): void {
    this.o.secrets.set('platformRefreshToken', s.refreshToken);
    this.access = { token: s.accessToken, expiresAt: this.now() + s.expiresIn * 1000 };
    const user = { account: s.user.account, displayName: s.user.displayName, role: s.user.role, orgCode: s.user.orgCode };
    this.writeSession({ baseUrl, user });
    this.attempt = 0;
    this.set({ state: 'online', user, baseUrl, lastContactAt: this.now() });
    // Refresh at 80 % of the access token's life.
    this.clearTimer();
    this.timer = setTimeout(() => void this.refreshNow().catch(() => undefined), Math.max(5_000, s.expiresIn * 800));
    this.timer.unref?.();
  }

  private scheduleRetry(): void {
    if (this.disposed) return;
    this.clearTimer();
    const base = this.o.retryBaseMs ?? 1000;
    const cap = this.o.retryCapMs ?? 60_000;
    const delay = Math.random() * Math.min(cap, base * 2 ** this.attempt++);
    this.timer = setTimeout(() => void this.refreshNow().catch(() => undefined), delay);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async raw<R extends RouteDef>(baseUrl: string, route: R, input: CallInput, token?: string): Promise<z.output<R['response']>> {
    let p = route.path;
    for (const [k, v] of Object.entries(input.params ?? {})) p = p.replace(`:${k}`, encodeURIComponent(v));
    const url = new URL(baseUrl + p);
    for (const [k, v] of Object.entries(input.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    if (input.idempotencyKey) headers['idempotency-key'] = input.idempotencyKey;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: route.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
        redirect: 'error',
      });
    } catch (error) {
      throw new PlatformError('unreachable', `Platform unreachable (${error instanceof Error ? error.name : 'error'})`);
    }
    this.unanswered = 0;
    this.answeredAt = this.now();
    if (this.current.state !== 'signedOut' && res.status < 500) this.current.lastContactAt = this.now();
    if (res.status === 204) return null as z.output<R['response']>;
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new PlatformError('invalid_response', `Platform answered ${res.status} without JSON`, res.status);
    }
    if (!res.ok) {
      const err = apiErrorSchema.safeParse(json);
      const apiCode = err.success ? err.data.error.code : undefined;
      const message = err.success ? err.data.error.message : `HTTP ${res.status}`;
      if (res.status >= 500) throw new PlatformError('unreachable', `Platform error ${res.status}`, res.status, apiCode);
      if (res.status === 429) throw new PlatformError('rate_limited', message, 429, apiCode);
      if (res.status === 401 && route.id === 'auth.login') throw new PlatformError('wrong_credentials', message, 401, apiCode);
      throw new PlatformError('rejected', message, res.status, apiCode);
    }
    const parsed = route.response.safeParse(json);
    if (!parsed.success) throw new PlatformError('invalid_response', `Platform reply for ${route.id} breaks the contract`, res.status);
    return parsed.data as z.output<R['response']>;
  }

  private set(next: PlatformStatus): PlatformStatus {
    this.current = platformStatusSchema.parse(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)));
    for (const l of this.listeners) l(this.status());
    return this.status();
  }

  private readSession(): { baseUrl: string; user: NonNullable<PlatformStatus['user']> } | undefined {
    try {
      const parsed = platformStatusSchema.pick({ baseUrl: true, user: true }).required().safeParse(JSON.parse(fs.readFileSync(this.o.sessionFile, 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private writeSession(s: { baseUrl: string; user: NonNullable<PlatformStatus['user']> }): void {
    fs.mkdirSync(path.dirname(this.o.sessionFile), { recursive: true });
    fs.writeFileSync(this.o.sessionFile, JSON.stringify(s), { mode: 0o600 });
  }
}
