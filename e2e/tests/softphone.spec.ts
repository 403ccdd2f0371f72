/**
 * Softphone registration against a real Kamailio (digest auth, WebSocket).
 */
import { test, expect, SIP_USERS } from '../support/fixtures';
import { launchWorkstation } from '../support/bridge';
import { startKamailio } from '../support/kamailio';
import type { WorkstationCore } from '../../main/core';
import { defaultSettings } from '../../shared/settings/schema';

function line(core: WorkstationCore, wsUrl: string, extension: string, password: string) {
  core.settings.set({ section: 'sip', value: { ...defaultSettings().sip, serverUrl: wsUrl, domain: '127.0.0.1', extension, authUser: extension, displayName: '坐席' } });
  core.secrets.set('sipPassword', password);
}

test('registers with digest auth and shows it', async ({ workDir, platform, kamailio }) => {
  const [agent] = SIP_USERS;
  const before = kamailio.registerCount(agent!.user);
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, prepare: (core) => line(core, kamailio.wsUrl, agent!.user, agent!.password) });
  try {
    await expect(ws.page.getByTestId('registration')).toContainText('已注册');
    await expect(ws.page.getByTestId('status-sip')).toContainText('已注册');
    expect(kamailio.registerCount(agent!.user)).toBeGreaterThan(before);
  } finally {
    await ws.close();
  }
});

test('a wrong password is reported clearly and not retried', async ({ workDir, platform, kamailio }) => {
  const before = kamailio.registerCount('8002');
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, prepare: (core) => line(core, kamailio.wsUrl, '8002', 'wrong-password') });
  try {
    await expect(ws.page.getByTestId('registration')).toContainText('分机号或密码错误');
    const attempts = kamailio.registerCount('8002') - before;
    // Watch a while: an absence of retries can only be observed over time.
    await ws.page.waitForTimeout(3000);
    expect(kamailio.registerCount('8002') - before).toBe(attempts);
    expect(attempts).toBeLessThanOrEqual(2); // the challenge and one answer with credentials
  } finally {
    await ws.close();
  }
});

test('ws:// to another machine is refused before connecting', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, prepare: (core) => line(core, 'ws://10.20.30.40:5066', '8001', 'x') });
  try {
    await expect(ws.page.getByTestId('registration')).toContainText('不安全的线路地址');
  } finally {
    await ws.close();
  }
});

test('Kamailio killed and restarted: re-registered within 5 s of the server being back, 20 out of 20 times', async ({ workDir, platform }) => {
  test.setTimeout(240_000);
  const own = await startKamailio(SIP_USERS);
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, prepare: (core) => line(core, own.wsUrl, '8001', SIP_USERS[0]!.password) });
  const registration = ws.page.getByTestId('registration');
  const times: number[] = [];
  try {
    await expect(registration).toContainText('已注册');
    for (let i = 0; i < 20; i++) {
      await own.kill();
      await expect(registration).toContainText('正在连接');
      await own.start();
      const back = Date.now();
      await expect(registration).toContainText('已注册', { timeout: 10_000 });
      times.push(Date.now() - back);
    }
    console.log(`re-registration after Kamailio restart (ms): ${times.join(', ')}`);
    expect(Math.max(...times), `re-registration times: ${times.join(', ')} ms`).toBeLessThanOrEqual(5000);
  } finally {
    await ws.close();
    await own.stop();
  }
});
