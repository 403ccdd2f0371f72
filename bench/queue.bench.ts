/**
 * queue.*: the call distribution on the real platform (PGlite), fed by a stand-in SIP engine that
 * speaks evapi as Kamailio does (netstring JSON over TCP, loopback).
 * - route_decision_p50/p99_ms: 20 calls/s for 30 s offered to 50 Ready agents (each answered at
 *   once, ended 2 s later, the agent Ready again through the HTTP API, seats beating); from a report
 *   coming off the wire at the platform to the command handed back (time waiting behind earlier
 *   reports included). The note adds the engine's round trip, loopback TCP and this process's own
 *   load generator included.
 * - event_to_lead_view_p95_ms: 200 agents changing state through the HTTP API, a lead following
 *   the live WebSocket: from the request sent to the event received.
 * - platform_rss_mb_1000_viewers: the platform process's resident memory with 1,000 lead viewers
 *   connected (the viewers run in a child process so their memory is not counted).
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { Agent, request } from 'undici';
import { createPlatform, type Platform } from '../platform/src/app';
import { hashPassword } from '../platform/src/session/passwords';
import { NetstringDecoder, netstring } from '../platform/src/queue/kamailio-link';
import { percentile, type BenchGroup, type BenchResult } from './types';

const SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const PASSWORD = 'bench-password-1';

interface Engine {
  port: number;
  send(e: object): void;
  onCommand(fn: (c: Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

async function engine(): Promise<Engine> {
  let socket: net.Socket | undefined;
  let handler: (c: Record<string, unknown>) => void = () => undefined;
  const server = net.createServer((s) => {
    socket = s;
    s.setNoDelay(true);
    const d = new NetstringDecoder();
    s.on('data', (chunk) => d.push(chunk).forEach((f) => handler(JSON.parse(f) as Record<string, unknown>)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    send: (e) => socket?.write(netstring(JSON.stringify(e))),
    onCommand: (fn) => (handler = fn),
    close: () => {
      socket?.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export async function bootQueuePlatform(evapiPort: number | undefined, agents: number): Promise<{ p: Platform; base: string; tokens: string[]; leadToken: string }> {
  const p = await createPlatform({
    database: { kind: 'pglite' },
    masterKey: crypto.randomBytes(32),
    config: { scrypt: SCRYPT },
    log: () => undefined,
    ...(evapiPort !== undefined ? { queue: { evapi: { host: '127.0.0.1', port: evapiPort } } } : {}),
  });
  const db = p.services.db;
  await db.query(`insert into organisations (code, name, kind) values ('QY-12345', 'c', 'center')`);
  await db.query(`insert into queue_lines (line, org_code) values ('12345', 'QY-12345')`);
  const hash = await hashPassword(PASSWORD, SCRYPT);
  for (let i = 0; i < agents; i++) {
    await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $2, 'agent', 'QY-12345', $3)`, [crypto.randomUUID(), `a${i}`, hash]);
  }
  await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, 'lead', 'lead', 'lead', 'QY-12345', $2)`, [crypto.randomUUID(), hash]);
  await p.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(p.app.server.address() as net.AddressInfo).port}`;
  const login = async (account: string) => {
    const r = await request(`${base}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account, password: PASSWORD, clientId: `bench-${account}` }) });
    return ((await r.body.json()) as { accessToken: string }).accessToken;
  };
  const tokens: string[] = [];
  for (let i = 0; i < agents; i++) tokens.push(await login(`a${i}`));
  return { p, base, tokens, leadToken: await login('lead') };
}

const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

async function call(base: string, token: string, method: 'PUT' | 'POST', path: string, body: unknown): Promise<number> {
  const r = await request(`${base}${path}`, { method, dispatcher, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await r.body.dump();
  return r.statusCode;
}

const setState = (base: string, token: string, state: string) =>
  call(base, token, 'POST', '/v1/events/agent-state', { state, ...(state === 'notReady' ? { reason: 'other' } : {}), since: new Date().toISOString() });

async function routeDecision(): Promise<BenchResult[]> {
  const eng = await engine();
  const { p, base, tokens } = await bootQueuePlatform(eng.port, 50);
  const sessionOf = new Map<string, string>();
  for (const [i, t] of tokens.entries()) {
    const sip = `8${String(i).padStart(3, '0')}`;
    sessionOf.set(sip, crypto.randomUUID());
    await call(base, t, 'PUT', '/v1/queue/session', { sessionId: sessionOf.get(sip)!, sipUser: sip });
    await setState(base, t, 'ready');
  }
  const tokenOf = new Map(tokens.map((t, i) => [`8${String(i).padStart(3, '0')}`, t]));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let offered = 0;
  let answered = 0;
  eng.onCommand((c) => {
    if (c.action !== 'offer') return;
    const id = String(c.callId);
    const t0 = sentAt.get(id);
    if (t0 !== undefined && c.attempt === 1) latencies.push(performance.now() - t0);
    offered++;
    eng.send({ event: 'answered', callId: id, agent: c.agent, attempt: c.attempt });
    answered++;
    setTimeout(() => {
      eng.send({ event: 'ended', callId: id });
      void setState(base, tokenOf.get(String(c.agent))!, 'ready').catch(() => undefined);
    }, 2000);
  });
  // The seats' workstations beat every 10 s, each on its own clock (spread over the 10 s, as 50
  // workstations started at different moments are).
  const beats = [...tokenOf].map(([sip, t], i) => {
    const beatOnce = () => void call(base, t, 'PUT', '/v1/queue/session', { sessionId: sessionOf.get(sip)!, sipUser: sip }).catch(() => undefined);
    let every: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      beatOnce();
      every = setInterval(beatOnce, 10_000);
    }, (i * 10_000) / tokenOf.size);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  });
  await new Promise((r) => setTimeout(r, 300));
  const RATE = 20;
  const SECONDS = 30;
  const started = performance.now();
  for (let n = 0; n < RATE * SECONDS; n++) {
    const due = started + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const id = `bench-${n}@127.0.0.1`;
    sentAt.set(id, performance.now());
    eng.send({ event: 'entered', callId: id, line: '12345', handle: `${n}:${n}` });
  }
  const until = Date.now() + 10_000;
  while (latencies.length < RATE * SECONDS && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  for (const stop of beats) stop();
  // The last calls end and their agents become Ready again before the platform stops.
  await new Promise((r) => setTimeout(r, 2500));
  const lost = RATE * SECONDS - latencies.length;
  await p.close();
  await eng.close();
  // The decision: a report off the wire at the platform → its command handed back to the engine.
  const decisions = p.services.queue.decisionMs;
  const note = `${RATE * SECONDS} calls at ${RATE}/s, 50 agents; offered ${offered}, answered ${answered}, not offered ${lost}; engine round trip (loopback, engine in the bench process) p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`;
  return [
    { name: 'queue.route_decision_p50_ms', value: Number(percentile(decisions, 50).toFixed(2)), unit: 'ms', goal: null, note },
    { name: 'queue.route_decision_p99_ms', value: Number(percentile(decisions, 99).toFixed(2)), unit: 'ms', goal: '<= 20', note },
  ];
}

async function eventToLeadView(): Promise<BenchResult[]> {
  const eng = await engine();
  const { p, base, tokens, leadToken } = await bootQueuePlatform(eng.port, 200);
  const ws = new WebSocket(`${base.replace('http', 'ws')}/v1/events/stream`, { headers: { authorization: `Bearer ${leadToken}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<string, number>();
  const latencies: number[] = [];
  ws.on('message', (data) => {
    const e = JSON.parse(String(data)) as { type: string; account?: string; state?: string };
    if (e.type !== 'agentState' || !e.account) return;
    const key = `${e.account}:${e.state}`;
    const t0 = pending.get(key);
    if (t0 === undefined) return;
    pending.delete(key);
    latencies.push(performance.now() - t0);
  });
  // Every agent changes state about every 10 s (a busy centre: ~20 changes a second), for 20 s.
  const started = performance.now();
  const jobs: Promise<unknown>[] = [];
  for (let n = 0; n < 400; n++) {
    const due = started + n * 50;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = n % 200;
    const state = n < 200 ? 'ready' : 'notReady';
    pending.set(`a${i}:${state}`, performance.now());
    jobs.push(setState(base, tokens[i]!, state));
  }
  await Promise.all(jobs);
  const until = Date.now() + 5000;
  while (pending.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  ws.close();
  await p.close();
  await eng.close();
  return [
    {
      name: 'queue.event_to_lead_view_p95_ms',
      value: Number(percentile(latencies, 95).toFixed(1)),
      unit: 'ms',
      goal: '<= 1000',
      note: `200 agents, 400 state changes at 20/s; ${latencies.length} delivered, ${pending.size} missing`,
    },
  ];
}

async function viewersRss(): Promise<BenchResult[]> {
  const child = fork(fileURLToPath(new URL('./support/queue-platform.ts', import.meta.url)), { execArgv: ['--import', 'tsx', '--expose-gc'] });
  const ask = <T>(msg: unknown) =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m: T & { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m)));
      child.send(msg as object);
    });
  try {
    const started = await ask<{ base: string; leadToken: string; rss: number }>({ start: true });
    // Settled (start-up's garbage collected) before the viewers come.
    await new Promise((r) => setTimeout(r, 1000));
    const idle = await ask<{ rss: number }>({ ask: 'rss' });
    const url = `${started.base.replace('http', 'ws')}/v1/events/stream`;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 1000; i++) {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${started.leadToken}` } });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      sockets.push(ws);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const { rss } = await ask<{ rss: number }>({ ask: 'rss' });
    for (const s of sockets) s.terminate();
    return [
      {
        name: 'queue.platform_rss_mb_1000_viewers',
        value: Math.round(rss / 1024 / 1024),
        unit: 'MB',
        goal: null,
        note: `the platform's own process (PGlite in it) with ${sockets.length} lead viewers connected; ${Math.round(idle.rss / 1024 / 1024)} MB with none`,
      },
    ];
  } finally {
    child.kill();
  }
}

export const queueBench: BenchGroup = {
  prefix: 'queue',
  async run() {
    return [...(await routeDecision()), ...(await eventToLeadView()), ...(await viewersRss())];
  },
};
