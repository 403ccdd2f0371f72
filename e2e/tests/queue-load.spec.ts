/**
 * The call distribution under load (bounded, loopback): sipp callers from the phone network at a
 * 50-seat centre's peak-hour occupancy and then at a 3× surge, against 50 simulated seats — one
 * sipp answering for 50 SIP users registered at Kamailio with digest auth, their agents' states
 * driven through the platform API (Ready again half a second after each call ends).
 *
 * The peak hour scaled down in time: a centre of 50 seats at its peak is ~90 % occupied (about a
 * call every 4 s with 3-minute calls). With 4.5-second calls and ~0.5 s of wrap-up the same
 * occupancy is 9 calls a second; the surge offers 27 a second for 10 s, more than the seats can
 * take, so calls queue and are answered as seats free. No call may be lost: every call a caller
 * made is answered, once, by one agent; the report prints what was offered, answered, abandoned,
 * and the routing decision latency.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { test, expect } from '../support/fixtures';
import { startKamailio, type RunningKamailio } from '../support/kamailio';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { signInToPlatform, type PlatformUser } from '../support/platform-api';
import { describeSipp, runSipp, startSipp, type SippRun } from '../support/sipp';
import { freeUdpPort } from '../support/host-tools';
import { hashPassword } from '../../platform/src/session/passwords';
import { percentile } from '../../bench/types';
import { REPO_ROOT } from '../support/paths';
import type { LiveEvent } from '../../shared/queue/routes';

const SEATS = 50;
const TALK_MS = 4500;
const WRAP_MS = 500;
const PEAK = { rate: 9, seconds: 20 };
const SURGE = { rate: 27, seconds: 10 };

let kamailio: RunningKamailio;
let platform: RunningPlatform;
let phones: SippRun;
let tmp: string;
const beats: NodeJS.Timeout[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const users = Array.from({ length: SEATS }, (_, i) => ({ user: `7${String(i + 1).padStart(3, '0')}`, password: `seat-${i + 1}-secret` }));
  kamailio = await startKamailio(users, { queue: { lines: ['12345'] } });
  platform = await startPlatformServer({ queue: { evapiPort: kamailio.evapiPort! } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-queue-load-'));
});

test.afterAll(async () => {
  for (const b of beats) clearInterval(b);
  await phones?.kill();
  await platform?.close();
  await kamailio?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('50 seats, peak-hour rate then a 3× surge: no call lost, every call answered once', async () => {
  test.setTimeout(240_000);
  const db = platform.platform.services.db;
  await db.query(`insert into queue_lines (line, org_code, max_wait_s, ring_s) values ('12345', 'QY-12345', 300, 10)`);
  const hash = await hashPassword(E2E_PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
  const seats: { sip: string; api: PlatformUser; userId: string }[] = [];
  for (let i = 1; i <= SEATS; i++) {
    const id = crypto.randomUUID();
    await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $2, 'agent', 'QY-12345', $3)`, [id, `seat${i}`, hash]);
    seats.push({ sip: `7${String(i).padStart(3, '0')}`, api: await signInToPlatform(platform.url, `seat${i}`, E2E_PASSWORD), userId: id });
  }

  // One sipp answers for every seat; the seats register at its address.
  const phonePort = await freeUdpPort('127.0.0.1');
  const total = PEAK.rate * PEAK.seconds + SURGE.rate * SURGE.seconds;
  phones = await startSipp({ scenario: path.join(REPO_ROOT, 'e2e/sip/queue-agent-uas.xml'), service: 'agent', port: phonePort, calls: total, trace: false, timeoutMs: 200_000, maxConcurrent: 1000 });
  const injection = path.join(tmp, 'seats.csv');
  fs.writeFileSync(injection, ['SEQUENTIAL', ...seats.map((s, i) => `${s.sip};[authentication username=${s.sip} password=seat-${i + 1}-secret];${phonePort}`)].join('\n') + '\n');
  const registered = await runSipp({ scenario: path.join(REPO_ROOT, 'e2e/sip/queue-agent-register.xml'), remote: `127.0.0.1:${kamailio.udpPort}`, service: 'register', calls: SEATS, rate: 50, injection, trace: false, timeoutMs: 30_000 });
  expect(registered.code, describeSipp(registered)).toBe(0);

  // The seats join the distribution and beat, as their workstations do; all Ready.
  const userOf = new Map(seats.map((s) => [s.userId, s]));
  for (const s of seats) {
    const sessionId = crypto.randomUUID();
    const join = () => s.api.request('PUT', '/v1/queue/session', { sessionId, sipUser: s.sip });
    expect((await join()).status).toBe(200);
    beats.push(setInterval(() => void join().catch(() => undefined), 10_000));
    expect((await s.api.request('POST', '/v1/events/agent-state', { state: 'ready', since: new Date().toISOString() })).status).toBe(204);
  }
  // The agents' side of the load: Ready again shortly after each call ends (heard on the lead's feed).
  const lead = await (await fetch(`${platform.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'lead01', password: E2E_PASSWORD, clientId: 'load-lead' }) })).json() as { accessToken: string };
  const feed = new WebSocket(`${platform.url.replace('http', 'ws')}/v1/events/stream`, { headers: { authorization: `Bearer ${lead.accessToken}` } });
  await new Promise<void>((resolve, reject) => {
    feed.once('open', () => resolve());
    feed.once('error', reject);
  });
  const readied = new Set<string>();
  const readyFailures: (number | string)[] = [];
  const readies: Promise<unknown>[] = [];
  feed.on('message', (data) => {
    const e = JSON.parse(String(data)) as LiveEvent;
    if (e.type !== 'queueCall' || !e.call.talkEndedAt || !e.call.agentId || readied.has(e.call.callId)) return;
    readied.add(e.call.callId);
    const seat = userOf.get(e.call.agentId)!;
    readies.push(
      new Promise((r) => setTimeout(r, WRAP_MS))
        .then(() => seat.api.request('POST', '/v1/events/agent-state', { state: 'ready', since: new Date().toISOString() }))
        .then((r) => r.status !== 204 && readyFailures.push(r.status))
        .catch((e: Error) => readyFailures.push(e.message)),
    );
  });

  const platformDecisions = platform.platform.services.queue.decisionMs;
  const decisionsBefore = platformDecisions.length;
  const started = Date.now();
  const caller = (rate: number, seconds: number) =>
    runSipp({
      scenario: path.join(REPO_ROOT, 'e2e/sip/queue-caller.xml'),
      remote: `127.0.0.1:${kamailio.udpPort}`,
      service: '12345',
      calls: rate * seconds,
      rate,
      pauseMs: TALK_MS,
      maxConcurrent: 2000,
      trace: false,
      timeoutMs: 150_000,
    });
  const peak = await caller(PEAK.rate, PEAK.seconds);
  expect(peak.code, describeSipp(peak)).toBe(0);
  const surge = await caller(SURGE.rate, SURGE.seconds);
  expect(surge.code, describeSipp(surge)).toBe(0);
  // Every call's end reached the lead's feed, and its agent is Ready again.
  await expect.poll(() => readied.size, { timeout: 15_000 }).toBe(total);
  await Promise.all(readies);
  feed.close();

  const counts = await db.query<{ state: string; n: string }>(`select state, count(*)::text as n from queue_calls where enqueued_at >= $1 group by state`, [new Date(started - 1000)]);
  const byState = Object.fromEntries(counts.rows.map((r) => [r.state, Number(r.n)]));
  const answeredEvents = await db.query<{ n: string; calls: string }>(`select count(*)::text as n, count(distinct call_id)::text as calls from queue_events where type = 'answered'`);
  const waits = await db.query<{ ms: number }>(`select extract(epoch from (since - enqueued_at)) * 1000 as ms from queue_calls where state = 'answered'`);
  const decisions = platformDecisions.slice(decisionsBefore);
  const waitMs = waits.rows.map((r) => Number(r.ms));
  console.log(
    [
      `queue load: ${total} calls (peak ${PEAK.rate}/s × ${PEAK.seconds} s, surge ${SURGE.rate}/s × ${SURGE.seconds} s), ${SEATS} seats, ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `offered ${byState.answered ?? 0} + ${byState.abandoned ?? 0} + ${byState.overflowed ?? 0}; answered ${byState.answered ?? 0}; abandoned ${byState.abandoned ?? 0}; waiting ${byState.waiting ?? 0}`,
      `routing decision (report heard → command sent) p50 ${percentile(decisions, 50).toFixed(1)} ms, p99 ${percentile(decisions, 99).toFixed(1)} ms over ${decisions.length}`,
      `wait p50 ${percentile(waitMs, 50).toFixed(0)} ms, p95 ${percentile(waitMs, 95).toFixed(0)} ms, max ${Math.max(...waitMs).toFixed(0)} ms`,
    ].join('\n'),
  );
  // No call lost: every call made was taken into the queue and answered exactly once.
  expect(byState).toEqual({ answered: total });
  expect(Number(answeredEvents.rows[0]!.n)).toBe(total);
  expect(Number(answeredEvents.rows[0]!.calls)).toBe(total);
  expect(readyFailures).toEqual([]);
});
