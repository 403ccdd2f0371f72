/**
 * The workstation core as main/index.ts builds it (recording edges, raw log sink), in front of a
 * fake platform behind `fetch`: the client, the session and the contract checks are the real ones.
 * Used by the tests of the domains that call the platform for the renderer.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, expect } from 'vitest';
import { createCore, type WorkstationCore } from '../../main/core';
import type { LogSink } from '../../main/logging/logger';
import type { DocumentStore } from '../../main/settings/settings-service';
import { testEncryptor } from '../../e2e/support/test-encryptor';
import { recordingPorts } from '../../e2e/support/edge-ports';
import { tmpDir } from './tmp';

export const ORIGIN = 'app://workstation';
export const FRAME = { url: `${ORIGIN}/index.html`, isTopFrame: true };
export const BASE = 'http://127.0.0.1:18080';

// ---------------------------------------------------------------------------------------------
// A fake platform behind fetch

export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}
export type Answer = { status: number; body?: unknown } | 'network' | 'timeout';
export type Handler = (req: Seen) => Answer;

export class FakePlatform {
  readonly seen: Seen[] = [];
  readonly routes = new Map<string, Handler>();

  constructor() {
    this.routes.set('POST /v1/auth/login', () => ({ status: 200, body: session() }));
    this.routes.set('POST /v1/auth/refresh', () => ({ status: 200, body: session() }));
  }

  on(route: string, handler: Handler | Answer): void {
    this.routes.set(route, typeof handler === 'function' ? handler : () => handler);
  }

  /** Requests other than the session's own. */
  calls(): Seen[] {
    return this.seen.filter((s) => !s.path.startsWith('/v1/auth/'));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    const req: Seen = { method: init?.method ?? 'GET', path: url.pathname + url.search, headers, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    this.seen.push(req);
    const handler = this.routes.get(`${req.method} ${url.pathname}`);
    const answer: Answer = handler ? handler(req) : { status: 404, body: { error: { code: 'not_found', message: 'No such route' } } };
    if (answer === 'network') throw new TypeError('fetch failed');
    if (answer === 'timeout') throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

export function session() {
  return {
    accessToken: `access-${crypto.randomUUID()}`,
    expiresIn: 900,
    refreshToken: `refresh-${crypto.randomUUID()}`,
    refreshExpiresIn: 86_400,
    user: { id: crypto.randomUUID(), account: 'agent01', displayName: '坐席一', role: 'agent', orgCode: 'CITY' },
  };
}

export const apiError = (status: number, code: string) => ({ status, body: { error: { code, message: `${code} (${status})` } } });
// ---------------------------------------------------------------------------------------------
// The core, as main/index.ts builds it (recording edges, raw log sink)

export interface RawLine {
  level: string;
  module: string;
  message: string;
  context?: Record<string, unknown>;
}

const cores: WorkstationCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.dispose();
});

export function start(options: { dir?: string; key?: Buffer; platform?: FakePlatform; encryption?: boolean } = {}) {
  const dir = options.dir ?? tmpDir('ws-orders-');
  const platform = options.platform ?? new FakePlatform();
  const lines: RawLine[] = [];
  const sink: LogSink = { write: (level, module, message, context) => lines.push({ level, module, message, context }) };
  const events: [string, unknown][] = [];
  const core = createCore({
    userDataDir: dir,
    openSettings: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', clearInvalidConfig: false }) as unknown as DocumentStore,
    encryptor: testEncryptor(options.key ?? crypto.randomBytes(32), options.encryption ?? true),
    logSink: sink,
    ports: recordingPorts(),
    events: { emit: (c, p) => events.push([c, p]) },
    allowedOrigin: ORIGIN,
    appInfo: { name: 'hotline-workstation', version: '0.0.0-test', runtime: 'bridge', platform: process.platform, versions: { node: process.versions.node } },
    fetch: platform.fetch,
  });
  cores.push(core);
  const call = (channel: string, payload?: unknown) => core.registry.dispatch(channel, payload, FRAME);
  const signIn = async () => {
    const res = await call('session:signIn', { baseUrl: BASE, account: 'agent01', password: 'pw-123456', rememberAccount: false });
    expect(res.ok).toBe(true);
  };
  const clientId = () => fs.readFileSync(path.join(dir, 'installation-id'), 'utf8').trim();
  /** Everything handed to the logger (before redaction), as text. */
  const logText = () => JSON.stringify(lines);
  return { dir, platform, core, call, signIn, clientId, lines, logText, events };
}

