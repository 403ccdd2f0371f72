/**
 * Test harness: a platform on PGlite (always) or on the PostgreSQL server named by
 * PLATFORM_TEST_DATABASE_URL (in .ci/run), with organisations and one user per role.
 */
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { createPlatform, randomMasterKey, type DatabaseConfig, type Platform, type PlatformOptions } from '../src/app';
import { hashPassword } from '../src/session/passwords';
import type { PlatformSession } from '../../shared/session/routes';
import type { OrderInput } from '../../shared/orders/work-order';

export const ENGINES: ('pglite' | 'postgres')[] = process.env.PLATFORM_TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const PASSWORD = 'correct-horse-battery-12345';
export const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };

export interface TestPlatform {
  platform: Platform;
  /** How this platform reached its database (a peer instance can open the same). */
  database: DatabaseConfig;
  logLines: string[];
  masterKey: Buffer;
  /** Sessions for the seeded users. */
  agent: PlatformSession;
  agentOther: PlatformSession;
  subcenterTax: PlatformSession;
  subcenterCustoms: PlatformSession;
  lead: PlatformSession;
  /** The lead of the other city centre (SZ-12345). */
  leadOther: PlatformSession;
  admin: PlatformSession;
  request(opts: {
    method: string;
    url: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    rawBody?: string | Buffer;
    /** The client's address as the server sees it (127.0.0.1 unless given). */
    remoteAddress?: string;
  }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function resetPostgres(url: string): Promise<string> {
  // A fresh schema per test file keeps suites independent on one server.
  const pg = (await import('pg')).default;
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function startTestPlatform(
  engine: 'pglite' | 'postgres',
  config: Record<string, unknown> = {},
  options: { now?: () => number; queue?: PlatformOptions['queue'] } = {},
): Promise<TestPlatform> {
  const logLines: string[] = [];
  const masterKey = randomMasterKey();
  const database =
    engine === 'pglite'
      ? ({ kind: 'pglite' } as const)
      : ({ kind: 'postgres', url: await resetPostgres(process.env.PLATFORM_TEST_DATABASE_URL!), poolSize: 8 } as const);
  const platform = await createPlatform({
    database,
    masterKey,
    config: { scrypt: FAST_SCRYPT, ...config },
    log: (level, msg, ctx) => logLines.push(JSON.stringify({ level, msg, ctx })),
    now: options.now,
    queue: options.queue,
  });
  const db = platform.services.db;
  await db.query(`insert into organisations (code, name, kind) values
    ('QY-12345', '清远市12345热线中心', 'center'), ('SZ-12345', '示例市12345热线中心', 'center'),
    ('QY-12366', '12366纳税缴费服务分中心', 'subcenter'), ('QY-12360', '12360海关分中心', 'subcenter')`);
  const hash = await hashPassword(PASSWORD, FAST_SCRYPT);
  const users: [string, string, string, string][] = [
    ['agent01', '坐席一', 'agent', 'QY-12345'],
    ['agent-sz', '示例坐席', 'agent', 'SZ-12345'],
    ['tax01', '税务坐席', 'subcenter', 'QY-12366'],
    ['customs01', '海关坐席', 'subcenter', 'QY-12360'],
    ['lead01', '值班长', 'lead', 'QY-12345'],
    ['lead-sz', '示例值班长', 'lead', 'SZ-12345'],
    ['admin01', '管理员', 'admin', 'QY-12345'],
  ];
  for (const [account, name, role, org] of users) {
    await db.query('insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, $4, $5, $6)', [
      crypto.randomUUID(),
      account,
      name,
      role,
      org,
      hash,
    ]);
  }
  const request: TestPlatform['request'] = (opts) =>
    platform.app.inject({
      method: opts.method as 'GET',
      url: opts.url,
      ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined || opts.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      payload: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
  const login = async (account: string) => {
    const r = await request({ method: 'POST', url: '/v1/auth/login', body: { account, password: PASSWORD, clientId: `test-${account}` } });
    if (r.statusCode !== 200) throw new Error(`login ${account}: ${r.statusCode} ${r.body}`);
    return r.json() as PlatformSession;
  };
  return {
    platform,
    database,
    logLines,
    masterKey,
    agent: await login('agent01'),
    agentOther: await login('agent-sz'),
    subcenterTax: await login('tax01'),
    subcenterCustoms: await login('customs01'),
    lead: await login('lead01'),
    leadOther: await login('lead-sz'),
    admin: await login('admin01'),
    request,
    close: () => platform.close(),
  };
}

let seq = 0;
export function nextSeq(): number {
  return ++seq + Date.now() * 1000;
}

export function sampleOrder(overrides: Partial<OrderInput> = {}): OrderInput {
  return {
    channel: 'phone',
    requestType: 'complaint',
    categoryCode: '03.01',
    urgency: 'normal',
    confidential: false,
    title: '小区夜间施工噪音扰民',
    content: '市民反映清城区某小区附近工地夜间22点后仍在施工，噪音很大，要求相关部门处理。联系电话13812345678。',
    caller: { name: '张三丰', phone: '13812345678', gender: 'male', callerType: 'citizen' },
    address: { district: '清城区', street: '凤城街道', detail: '某小区3栋' },
    disposition: 'dispatched',
    handlingUnit: 'QY-CGJ',
    call: { callId: 'call-0001', dialled: '12345' },
    ...overrides,
  };
}

export function createBody(order: OrderInput = sampleOrder(), submit = true) {
  return { clientId: 'test-agent01', clientSeq: nextSeq(), clientOrderId: crypto.randomUUID(), submit, order };
}

/** A second API instance on the same PostgreSQL database (stateless instances behind a balancer). */
export async function startPeer(t: TestPlatform, options: { queue?: PlatformOptions['queue']; now?: () => number } = {}): Promise<Platform> {
  if (t.database.kind !== 'postgres') throw new Error('peers need a PostgreSQL server');
  return createPlatform({
    database: t.database,
    masterKey: t.masterKey,
    config: { scrypt: FAST_SCRYPT },
    log: (level, msg, ctx) => t.logLines.push(JSON.stringify({ level, msg, ctx })),
    ...options,
  });
}
