/**
 * Call distribution on a real Kamailio: callers from the phone network dial 12345, Kamailio holds
 * each call and asks the platform (evapi) who gets it; seats are SIP user agents registered at
 * Kamailio whose agents report their states to the platform, as the workstation does. Checked
 * through the lead's snapshot and the platform's raw queue events.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '../support/fixtures';
import { startKamailio, type RunningKamailio } from '../support/kamailio';
import { E2E_PASSWORD, startPlatformServer, type RunningPlatform } from '../support/platform-server';
import { signInToPlatform, type PlatformUser } from '../support/platform-api';
import { startSipUdpAgent, type SipUdpAgent } from '../support/sip-udp-agent';
import { startSipUdpCaller, type SipUdpCaller } from '../support/sip-udp-caller';
import { hashPassword } from '../../platform/src/session/passwords';
import { queueFigures } from '../../shared/queue/figures';
import { queueCallOf } from '../../shared/queue/call-view';
import { launchWorkstation, type LaunchedWorkstation } from '../support/bridge';
import { setReady } from '../support/call-parties';
import { defaultSettings } from '../../shared/settings/schema';
import type { QueueCallView } from '../../shared/queue/routes';

const SEATS = [
  { account: 'agent01', sip: '8001', password: 'agent-8001-secret' },
  { account: 'agent02', sip: '8002', password: 'agent-8002-secret' },
];
/** A seat with the real workstation (WebSocket SIP, its own state reports and heartbeat). */
const WORKSTATION_SEAT = { account: 'agent03', sip: '8003', password: 'agent-8003-secret' };
const RING_S = 4;
/** The seats' workstations beat every 2 s; a seat not heard from for 8 s is signed out. */
const BEAT_MS = 2000;
const HEARTBEAT_TIMEOUT_MS = 8000;
const MASTER_KEY = crypto.randomBytes(32);
let dataDir: string;

interface Snapshot {
  calls: QueueCallView[];
  agents: { userId: string; account: string; state: string; reason?: string; setBy?: string }[];
  seats: { userId: string; sipUser: string }[];
}

let kamailio: RunningKamailio;
let platform: RunningPlatform;
let lead: PlatformUser;
let leadSeat: LaunchedWorkstation | undefined;
const agents: Record<string, { api: PlatformUser; phone: SipUdpAgent; userId: string; beat?: NodeJS.Timeout }> = {};

const startPlatform = (port?: number) =>
  startPlatformServer({ dataDir, masterKey: MASTER_KEY, ...(port ? { port } : {}), queue: { evapiPort: kamailio.evapiPort!, heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS } });
const callers: SipUdpCaller[] = [];

async function setState(account: string, state: 'ready' | 'notReady' | 'afterCallWork', reason?: string): Promise<void> {
  const r = await agents[account]!.api.request('POST', '/v1/events/agent-state', { state, ...(reason ? { reason } : {}), since: new Date().toISOString() });
  expect(r.status).toBe(204);
}

const snapshot = async (): Promise<Snapshot> => (await lead.request<Snapshot>('GET', '/v1/queue/snapshot')).body;
const callOf = async (callId: string | undefined) => (await snapshot()).calls.find((c) => c.callId === callId);
const agentOf = async (account: string) => (await snapshot()).agents.find((a) => a.account === account);

async function newCaller(n: number): Promise<SipUdpCaller> {
  const c = await startSipUdpCaller({ proxyPort: kamailio.udpPort, domain: kamailio.domain, user: `1390000000${n}`, toneHz: 1000 });
  callers.push(c);
  return c;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  kamailio = await startKamailio(
    [...SEATS, WORKSTATION_SEAT].map((s) => ({ user: s.sip, password: s.password })),
    { queue: { lines: ['12345'] } },
  );
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ws-queue-pg-'));
  platform = await startPlatform();
  const db = platform.platform.services.db;
  for (const [account, name] of [
    ['agent02', '坐席二'],
    ['agent03', '坐席三'],
  ]) {
    await db.query(`insert into users (id, account, display_name, role, org_code, password_hash) values ($1, $2, $3, 'agent', 'QY-12345', $4)`, [
      crypto.randomUUID(),
      account,
      name,
      await hashPassword(E2E_PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
    ]);
  }
  await db.query(`insert into queue_lines (line, org_code, max_wait_s, ring_s) values ('12345', 'QY-12345', 120, $1)`, [RING_S]);
  lead = await signInToPlatform(platform.url, 'lead01', E2E_PASSWORD);
  for (const s of SEATS) {
    const api = await signInToPlatform(platform.url, s.account, E2E_PASSWORD);
    const phone = await startSipUdpAgent({ proxyPort: kamailio.udpPort, domain: kamailio.domain, user: s.sip, password: s.password });
    await phone.register();
    const sessionId = crypto.randomUUID();
    const join = () => api.request<{ heartbeatS: number }>('PUT', '/v1/queue/session', { sessionId, sipUser: s.sip });
    expect((await join()).status).toBe(200);
    const u = await db.query<{ id: string }>('select id from users where account = $1', [s.account]);
    // As the workstation does (main/queue/seat-presence.ts); a beat lost while the platform restarts is fine.
    const beat = setInterval(() => void join().catch(() => undefined), BEAT_MS);
    agents[s.account] = { api, phone, userId: u.rows[0]!.id, beat };
  }
  // The platform is connected to Kamailio before the first call.
  await expect.poll(() => kamailio.log().includes('queue: platform connected')).toBe(true);
});

// eslint-disable-next-line no-empty-pattern
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  // Kept as files in the test's output folder (too long to print).
  fs.writeFileSync(testInfo.outputPath('kamailio.log'), kamailio.log());
  for (const [name, a] of Object.entries(agents)) fs.writeFileSync(testInfo.outputPath(`${name}.sip.log`), a.phone.log());
  for (const [i, c] of callers.entries()) fs.writeFileSync(testInfo.outputPath(`caller${i + 1}.sip.log`), c.log());
});

test.afterAll(async () => {
  for (const a of Object.values(agents)) clearInterval(a.beat);
  await leadSeat?.close();
  for (const c of callers) await c.close().catch(() => undefined);
  for (const a of Object.values(agents)) await a.phone.close().catch(() => undefined);
  await platform?.close();
  await kamailio?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('two Ready agents, three callers: two answered, one waits and goes to the first agent free; a caller who hangs up is abandoned; an agent who does not answer is set Not ready', async () => {
  test.setTimeout(120_000);
  const a1 = agents.agent01!;
  const a2 = agents.agent02!;
  // agent01 has been Ready longer: the first call goes to them.
  await setState('agent01', 'ready');
  await setState('agent02', 'ready');

  // The shift lead watches from their own workstation.
  leadSeat = await launchWorkstation({ dir: test.info().outputPath('lead'), signIn: { baseUrl: platform.url, account: 'lead01', password: E2E_PASSWORD } });
  const page = leadSeat.page;
  await page.getByTestId('open-lead-view').click();
  await expect(page.getByTestId('lead-feed')).toHaveAttribute('data-state', 'live');
  const agentRow = (account: string) => page.locator(`[data-testid="lead-agents"] tr[data-account="${account}"]`);
  await expect(agentRow('agent01')).toHaveAttribute('data-state', 'ready');
  // Alert thresholds low enough for this test: a call waiting 2 s, one call waiting.
  const inputs = page.getByTestId('lead-thresholds').locator('input');
  await inputs.nth(0).fill('2');
  await inputs.nth(1).fill('1');
  await page.getByTestId('lead-thresholds-save').click();
  await expect.poll(async () => (await lead.request<{ thresholds: { longestWaitS: number } }>('GET', '/v1/queue/snapshot')).body.thresholds.longestWaitS).toBe(2);
  await expect(page.getByTestId('lead-alerts').locator('[data-breach]')).toHaveCount(0);

  const [c1, c2, c3] = [await newCaller(1), await newCaller(2), await newCaller(3)];
  await c1.call('12345');
  await a1.phone.waitFor('established', 1);
  await c2.call('12345');
  await a2.phone.waitFor('established', 1);
  const c3Answered = c3.call('12345');
  await expect.poll(async () => (await callOf(c3.callId()))?.state).toBe('waiting');
  const waited = (await callOf(c3.callId()))!;
  expect(a1.phone.calls()).toHaveLength(1);
  expect(a2.phone.calls()).toHaveLength(1);
  expect((await agentOf('agent01'))!.state).toBe('onCall');
  // The lead sees one call waiting, its wait growing, and both agents on a call.
  const waitingRows = page.locator('[data-testid="lead-waiting"] tbody tr[data-line]');
  await expect(waitingRows).toHaveCount(1);
  await expect(waitingRows.first()).toHaveAttribute('data-line', '12345');
  const seconds = async () => {
    const [m, sec] = (await page.getByTestId('lead-wait').first().textContent())!.split(':').map(Number);
    return m! * 60 + sec!;
  };
  const firstRead = await seconds();
  await expect.poll(seconds).toBeGreaterThan(firstRead);
  await expect(agentRow('agent01')).toHaveAttribute('data-state', 'onCall');
  await expect(agentRow('agent02')).toHaveAttribute('data-state', 'onCall');
  // Past both thresholds: both alerts show, and the chime sounded.
  await expect(page.getByTestId('lead-alerts').locator('[data-breach="waiting"]')).toBeVisible();
  await expect(page.getByTestId('lead-alerts').locator('[data-breach="longestWait"]')).toBeVisible();
  expect(Number(await page.evaluate(() => document.documentElement.dataset.queueChimes ?? '0'))).toBeGreaterThanOrEqual(1);

  // agent01 hangs up, wraps up, is Ready again: the waiting caller is offered to them.
  a1.phone.hangup();
  await expect.poll(async () => (await callOf(c1.callId()))?.talkEndedAt).toBeGreaterThan(0);
  await setState('agent01', 'afterCallWork');
  expect((await callOf(c3.callId()))!.state).toBe('waiting');
  await setState('agent01', 'ready');
  await c3Answered;
  await a1.phone.waitFor('established', 2);
  // The platform hears of the answer from Kamailio a moment after the call is up.
  await expect.poll(async () => (await callOf(c3.callId()))?.state).toBe('answered');
  const answered = (await callOf(c3.callId()))!;
  expect(answered.state).toBe('answered');
  expect(answered.agentId).toBe(a1.userId);
  expect(answered.since).toBeGreaterThan(waited.enqueuedAt);
  expect((await callOf(c1.callId()))!.wrapEndedAt).toBeGreaterThanOrEqual((await callOf(c1.callId()))!.talkEndedAt!);

  // Nobody free: a fourth caller waits, then hangs up — abandoned (it waited over 5 s? no: short).
  const c4 = await newCaller(4);
  const c4Refused = c4.call('12345').catch((e: Error) => e.message);
  await expect.poll(async () => (await callOf(c4.callId()))?.state).toBe('waiting');
  await c4.cancel();
  expect(await c4Refused).toMatch(/487/);
  await expect.poll(async () => (await callOf(c4.callId()))?.state).toBe('abandoned');
  expect((await callOf(c4.callId()))!.reason).toBe('callerHangup');

  // agent02 frees up but will not answer: the call rings RING_S, agent02 is set Not ready, the call waits for agent01.
  a2.phone.hangup();
  a2.phone.setMode({ kind: 'never' });
  await setState('agent02', 'ready');
  const c5 = await newCaller(5);
  const c5Answered = c5.call('12345');
  await a2.phone.waitFor('ringing', 2);
  await a2.phone.waitFor('cancelled', 2, (RING_S + 5) * 1000);
  await expect.poll(async () => (await agentOf('agent02'))?.state).toBe('notReady');
  const a2State = (await agentOf('agent02'))!;
  expect(a2State.reason).toBe('noAnswer');
  expect(a2State.setBy).toBe('system');
  await expect(agentRow('agent02')).toHaveAttribute('data-state', 'notReady');
  await expect(agentRow('agent02').getByTestId('lead-agent-state')).toContainText('未接听');
  await expect(agentRow('agent02').getByTestId('lead-agent-state')).toContainText('由系统设置');
  expect((await callOf(c5.callId()))!.state).toBe('waiting');
  a1.phone.hangup();
  await setState('agent01', 'ready');
  await c5Answered;
  await a1.phone.waitFor('established', 3);
  await expect.poll(async () => (await callOf(c5.callId()))?.state).toBe('answered');
  const c5Call = (await callOf(c5.callId()))!;
  expect(c5Call).toMatchObject({ state: 'answered', agentId: a1.userId, offers: 2 });

  // The figures from the snapshot equal those computed independently from the raw queue events.
  const snap = await snapshot();
  const now = Date.now();
  const viaSnapshot = queueFigures(snap.calls.map(queueCallOf), { from: 0, to: now, now });
  const raw = await platform.platform.services.db.query<{ call_id: string; type: string; at: Date }>('select call_id, type, at from queue_events order by id');
  const byCall = new Map<string, { entered?: number; left?: number; how?: string }>();
  for (const e of raw.rows) {
    const c = byCall.get(e.call_id) ?? {};
    const at = new Date(e.at).getTime();
    if (e.type === 'entered') c.entered = at;
    if (['answered', 'callerHangup', 'maxWait'].includes(e.type)) {
      c.left = at;
      c.how = e.type;
    }
    byCall.set(e.call_id, c);
  }
  const left = [...byCall.values()].filter((c) => c.left !== undefined);
  const short = left.filter((c) => c.how === 'callerHangup' && c.left! - c.entered! < 5000);
  const counted = left.filter((c) => !short.includes(c));
  expect(viaSnapshot.answered).toBe(counted.filter((c) => c.how === 'answered').length);
  expect(viaSnapshot.shortAbandoned).toBe(short.length);
  expect(viaSnapshot.abandoned).toBe(counted.filter((c) => c.how !== 'answered').length);
  expect(viaSnapshot.offered).toBe(counted.length);
  expect(viaSnapshot.answeredWithinTarget).toBe(counted.filter((c) => c.how === 'answered' && c.left! - c.entered! <= 15_000).length);
  expect(viaSnapshot.answered).toBe(4);

  // The lead's view shows the same figures (for the shift: every call of this test is in it).
  const shown = (figure: string) => page.locator(`[data-testid="lead-figures"] tr[data-figure="${figure}"] td[data-window="shift"]`);
  const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
  await expect(page.locator('[data-testid="lead-waiting"] tbody tr[data-line]')).toHaveCount(0);
  await expect(page.getByTestId('lead-alerts').locator('[data-breach="waiting"]')).toHaveCount(0);
  await expect(shown('answered')).toHaveText(String(counted.filter((c) => c.how === 'answered').length));
  await expect(shown('offered')).toHaveText(String(counted.length));
  await expect(shown('shortAbandoned')).toHaveText(String(short.length));
  await expect(shown('withinTargetRate')).toHaveText(pct(counted.filter((c) => c.how === 'answered' && c.left! - c.entered! <= 15_000).length / counted.length));
  await expect(shown('abandoned')).toHaveText(`${counted.filter((c) => c.how !== 'answered').length} · ${pct(counted.filter((c) => c.how !== 'answered').length / counted.length)}`);
  await expect(page.getByTestId('lead-trend').locator('canvas')).toHaveCount(1);
  // Per dialled line, for the shift and for the last 15 minutes (every call of this test is in both).
  const line = page.locator('[data-testid="lead-lines"] tr[data-line="12345"] td');
  await expect(line.nth(1)).toHaveText(String(counted.length));
  await page.getByTestId('lead-lines-window').getByText('近15分钟').click();
  await expect(line.nth(1)).toHaveText(String(counted.length));

  // The lead sets agent01 (Ready) Not ready for training, from the view.
  await setState('agent01', 'ready');
  await expect(agentRow('agent01')).toHaveAttribute('data-state', 'ready');
  await agentRow('agent01').getByTestId('lead-set-not-ready').click();
  await expect(agentRow('agent01')).toHaveAttribute('data-state', 'notReady');
  expect(await agentOf('agent01')).toMatchObject({ state: 'notReady', reason: 'other', setBy: '值班长' });
});

test('the platform restarts: connected calls carry on, the queue is rebuilt from PostgreSQL, the lead\'s view recovers by itself', async () => {
  test.setTimeout(120_000);
  const a1 = agents.agent01!;
  const a2 = agents.agent02!;
  a2.phone.setMode({ kind: 'auto' });
  await setState('agent01', 'ready');
  await setState('agent02', 'ready');
  const [c6, c7, c8] = [await newCaller(6), await newCaller(7), await newCaller(8)];
  await c6.call('12345');
  await c7.call('12345');
  const c8Answered = c8.call('12345');
  await expect.poll(async () => (await callOf(c8.callId()))?.state).toBe('waiting');
  const page = leadSeat!.page;
  await expect(page.locator('[data-testid="lead-waiting"] tbody tr[data-line]')).toHaveCount(1);

  const port = Number(new URL(platform.url).port);
  await platform.close();
  await expect(page.getByTestId('lead-feed')).not.toHaveAttribute('data-state', 'live');
  platform = await startPlatform(port);
  // The lead's feed comes back by itself; the waiting call is still there (from PostgreSQL).
  await expect(page.getByTestId('lead-feed')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(page.locator('[data-testid="lead-waiting"] tbody tr[data-line]')).toHaveCount(1);
  await expect.poll(() => kamailio.log().split('queue: platform connected').length).toBeGreaterThan(2);
  // The calls connected before the restart are still up on both ends.
  expect([c6.state(), c7.state()]).toEqual(['established', 'established']);
  expect(a1.phone.calls().at(-1)!.state).toBe('established');
  expect(a2.phone.calls().at(-1)!.state).toBe('established');

  // An agent frees up: the waiting caller is offered to them and answered.
  a1.phone.hangup();
  await setState('agent01', 'ready');
  await c8Answered;
  await expect.poll(async () => (await callOf(c8.callId()))?.state).toBe('answered');
  await expect(page.locator('[data-testid="lead-waiting"] tbody tr[data-line]')).toHaveCount(0);
});

test('a seat whose workstation dies while Ready is signed out within the heartbeat window and offered nothing', async () => {
  test.setTimeout(60_000);
  const a1 = agents.agent01!;
  const a2 = agents.agent02!;
  a1.phone.hangup();
  a2.phone.hangup();
  await setState('agent01', 'notReady', 'meeting');
  await setState('agent02', 'ready');
  // agent02's workstation dies: no more heartbeats (its phone's registration stays at Kamailio).
  clearInterval(a2.beat);
  const killedAt = Date.now();
  const page = leadSeat!.page;
  await expect(page.locator('[data-testid="lead-agents"] tr[data-account="agent02"]')).toHaveAttribute('data-state', 'offline', { timeout: HEARTBEAT_TIMEOUT_MS + 5000 });
  expect(Date.now() - killedAt).toBeLessThan(HEARTBEAT_TIMEOUT_MS + 3000);
  const ringsBefore = a2.phone.calls().length;
  const c9 = await newCaller(9);
  const c9Refused = c9.call('12345').catch((e: Error) => e.message);
  await expect.poll(async () => (await callOf(c9.callId()))?.state).toBe('waiting');
  // Another agent who is Ready takes it; the dead seat never rang.
  await setState('agent01', 'ready');
  await a1.phone.waitFor('established');
  expect(a2.phone.calls().length).toBe(ringsBefore);
  await expect.poll(async () => (await callOf(c9.callId()))?.state).toBe('answered');
  expect((await callOf(c9.callId()))!).toMatchObject({ agentId: a1.userId, offers: 1 });
  expect(c9.state()).toBe('established');
  void c9Refused;
});

test('a seat on the real workstation joins with its extension, reports Ready, rings for a queued call and, unanswered, is told it was set Not ready', async () => {
  test.setTimeout(90_000);
  await setState('agent01', 'notReady', 'meeting');
  const ws = await launchWorkstation({
    dir: test.info().outputPath('seat'),
    signIn: { baseUrl: platform.url, account: WORKSTATION_SEAT.account, password: E2E_PASSWORD },
    prepare: (core) => {
      const d = defaultSettings();
      core.settings.set({
        section: 'sip',
        value: { ...d.sip, serverUrl: kamailio.wsUrl, domain: '127.0.0.1', extension: WORKSTATION_SEAT.sip, authUser: WORKSTATION_SEAT.sip, iceGatheringTimeoutMs: 200, audioProcessing: false },
      });
      core.secrets.set('sipPassword', WORKSTATION_SEAT.password);
    },
  });
  try {
    await expect(ws.page.getByTestId('registration')).toContainText('已注册');
    await expect.poll(async () => (await snapshot()).seats.map((x) => x.sipUser)).toContain(WORKSTATION_SEAT.sip);
    await setReady(ws);
    await expect.poll(async () => (await agentOf('agent03'))?.state).toBe('ready');
    const leadPage = leadSeat!.page;
    await expect(leadPage.locator('[data-testid="lead-agents"] tr[data-account="agent03"]')).toHaveAttribute('data-state', 'ready');

    const c10 = await newCaller(10);
    const c10Refused = c10.call('12345').catch((e: Error) => e.message);
    await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
    // Nobody answers: after the line's ring time the distribution takes the call back and sets the seat Not ready.
    await expect(ws.page.getByTestId('call-state')).not.toHaveText('来电振铃', { timeout: (RING_S + 5) * 1000 });
    await expect.poll(async () => (await agentOf('agent03'))?.reason).toBe('noAnswer');
    // The workstation is told at once (it asks when an offered call stops ringing), not at the next heartbeat.
    await expect(ws.page.getByTestId('agent-state-set-by')).toContainText('未接听', { timeout: 5000 });
    await expect(ws.page.getByTestId('agent-state')).toContainText('未就绪');
    expect((await callOf(c10.callId()))!.state).toBe('waiting');
    await c10.cancel();
    expect(await c10Refused).toMatch(/487/);
    // Ready again from the workstation: reported, and the note on who set it is gone.
    await setReady(ws);
    await expect.poll(async () => (await agentOf('agent03'))?.state).toBe('ready');
    await expect(ws.page.getByTestId('agent-state-set-by')).toHaveCount(0);
  } finally {
    await ws.close();
  }
});
