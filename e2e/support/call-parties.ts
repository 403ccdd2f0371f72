/**
 * The parties of a call test, each in its own Chromium with its own tone so tests can tell who
 * hears whom: the workstation (agent 8001, 440 Hz), callers from the public (caller1 1000 Hz,
 * caller2 1500 Hz), the tax sub-center seat 12366 (660 Hz), a colleague's seat 8002 (800 Hz) and a
 * caller from the phone network (plain RTP, G.711: pstn 1800 Hz, see rtp-party.ts).
 */
import path from 'node:path';
import { expect } from '@playwright/test';
import { SIP_USERS } from './fixtures';
import { launchWorkstation, type LaunchedWorkstation } from './bridge';
import { startSipPeer, type SipPeer } from './sip-peer';
import { mediaArgs, writeToneWav } from './wav';
import { defaultSettings, type Settings } from '../../shared/settings/schema';
import type { WorkstationCore } from '../../main/core';

export const TONES = { agent: 440, caller1: 1000, subcenter: 660, caller2: 1500, colleague: 800, pstn: 1800 } as const;

// No double quote: SIP.js would put it unescaped in the From header, which Kamailio drops as malformed.
export const HOSTILE_NAME = '<img src=x onerror=window.__pwned=1>张三';

interface Env {
  workDir: string;
  platform: { agent: { baseUrl: string; account: string; password: string } };
  kamailio: { wsUrl: string };
}

/** The agent's workstation on line 8001, registered; `calls` overrides call-handling settings. */
export async function startAgent(env: Env, calls: Partial<Settings['calls']> = {}, sip: Partial<Settings['sip']> = {}): Promise<LaunchedWorkstation> {
  const agent = SIP_USERS[0]!;
  const ws = await launchWorkstation({
    dir: env.workDir,
    signIn: env.platform.agent,
    extraArgs: mediaArgs(writeToneWav(path.join(env.workDir, 'agent.wav'), TONES.agent)),
    prepare: (core: WorkstationCore) => {
      const d = defaultSettings();
      core.settings.set({ section: 'sip', value: { ...d.sip, serverUrl: env.kamailio.wsUrl, domain: '127.0.0.1', extension: agent.user, authUser: agent.user, iceGatheringTimeoutMs: 200, audioProcessing: false, ...sip } });
      core.settings.set({ section: 'calls', value: { ...d.calls, ...calls } });
      core.secrets.set('sipPassword', agent.password);
    },
  });
  await expect(ws.page.getByTestId('registration')).toContainText('已注册');
  return ws;
}

/** A bare SIP.js party registered as `who`. */
export function startParty(env: Env, who: 'caller1' | 'caller2' | 'subcenter' | 'colleague', displayName?: string): Promise<SipPeer> {
  const user = SIP_USERS.find((u) => u.user === (who === 'subcenter' ? '12366' : who === 'colleague' ? '8002' : who))!;
  return startSipPeer({
    wsUrl: env.kamailio.wsUrl,
    domain: '127.0.0.1',
    user: user.user,
    password: user.password,
    displayName: displayName ?? (who === 'subcenter' ? '12366' : undefined),
    wav: writeToneWav(path.join(env.workDir, `${who}.wav`), TONES[who]),
  });
}

export async function setReady(ws: LaunchedWorkstation): Promise<void> {
  await ws.page.getByTestId('agent-state-select').click();
  await ws.page.getByTitle('就绪', { exact: true }).click();
  await expect(ws.page.getByTestId('agent-state')).not.toContainText('未就绪');
}

/** Wait until `peer` hears exactly the given tones among the parties' tones. */
export async function expectHears(peer: SipPeer, heard: number[], timeout = 15_000): Promise<void> {
  const all = [...new Set(Object.values(TONES))];
  const want = all.map((f) => heard.includes(f));
  await expect.poll(async () => (await peer.hears(all)).join(','), { timeout, message: `hears ${heard.join('+') || 'nothing'} of ${all.join(', ')} Hz` }).toBe(want.join(','));
}

/** Far-end level of the workstation's focused call, or of the line whose remote is `remote`. */
export async function lineLevel(ws: LaunchedWorkstation, remote?: string): Promise<number> {
  const el = remote ? ws.page.locator(`[data-testid="call-line"][data-remote="${remote}"] [data-testid="line-level"]`) : ws.page.getByTestId('far-end-level');
  return Number(await el.getAttribute('data-level'));
}

/** The workstation, a caller and the 12366 sub-center seat, the caller already talking to the agent. */
export interface TransferParties {
  ws: LaunchedWorkstation;
  caller: SipPeer;
  subcenter: SipPeer;
}

export async function startTransferParties(env: Env, calls: Partial<Settings['calls']> = {}): Promise<TransferParties> {
  const [ws, caller, subcenter] = await Promise.all([startAgent(env, calls), startParty(env, 'caller1'), startParty(env, 'subcenter')]);
  await setReady(ws);
  await caller.call('8001');
  await expect(ws.page.getByTestId('call-state')).toHaveText('来电振铃');
  await ws.page.getByTestId('answer').click();
  await expect(ws.page.getByTestId('call-state')).toHaveText('通话中');
  await expectHears(caller, [TONES.agent]);
  return { ws, caller, subcenter };
}

export async function closeTransferParties({ ws, caller, subcenter }: TransferParties): Promise<void> {
  await Promise.all([caller.close(), subcenter.close()]);
  await ws.close();
}
