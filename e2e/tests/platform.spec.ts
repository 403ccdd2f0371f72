/**
 * Signing in to the real platform server, resuming a session, working offline, signing out.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { test, expect } from '../support/fixtures';
import { launchWorkstation } from '../support/bridge';
import { E2E_PASSWORD, startPlatformServer } from '../support/platform-server';
import { ARTIFACTS_DIR } from '../support/paths';

test('sign in: wrong password is refused in Chinese, the right one opens the shell', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir });
  const { page } = ws;
  try {
    await expect(page.getByTestId('sign-in')).toBeVisible();
    await page.getByTestId('sign-in-url').fill(platform.url);
    await page.getByTestId('sign-in-account').fill('agent01');
    await page.getByTestId('sign-in-password').fill('not-the-password');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('sign-in-error')).toContainText('账号或密码错误');
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'sign-in-zh-CN.png') });

    await page.getByTestId('sign-in-password').fill(E2E_PASSWORD);
    await page.getByTestId('sign-in-remember').check();
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('shell')).toBeVisible();
    await expect(page.getByTestId('status-platform')).toContainText('已连接');
    await expect(page.getByTestId('user-menu')).toContainText('坐席一（agent01）');
    // The refresh token is in the secret store (encrypted), never in settings or the page.
    expect(ws.core.secrets.has('platformRefreshToken')).toBe(true);
    expect(fs.readFileSync(path.join(ws.appDataDir, 'settings.json'), 'utf8')).not.toMatch(/token|e2e-password/i);
    expect(await page.evaluate(() => JSON.stringify(window.localStorage) + document.cookie)).not.toMatch(/ey[A-Za-z0-9_-]{10,}/);
    expect(ws.core.settings.get('platform')).toEqual({ baseUrl: platform.url, rememberedAccount: 'agent01' });
  } finally {
    await ws.close();
  }
});

test('an unreachable or insecure platform address gets a clear message', async ({ workDir }) => {
  const ws = await launchWorkstation({ dir: workDir });
  const { page } = ws;
  try {
    await page.getByTestId('sign-in-url').fill('http://10.1.2.3:8345');
    await page.getByTestId('sign-in-account').fill('agent01');
    await page.getByTestId('sign-in-password').fill('x');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('sign-in-error')).toContainText('必须使用 https://');
    await page.getByTestId('sign-in-url').fill('http://127.0.0.1:9'); // nothing listens on the discard port
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('sign-in-error')).toContainText('无法连接平台');
  } finally {
    await ws.close();
  }
});

test('a session resumes after restart, survives the platform going away, and signs out', async ({ workDir }) => {
  test.setTimeout(120_000);
  const dataDir = path.join(workDir, 'platform-data');
  const masterKey = crypto.randomBytes(32);
  const encryptionKey = crypto.randomBytes(32);
  let server = await startPlatformServer({ dataDir, masterKey });
  const port = Number(new URL(server.url).port);
  let ws = await launchWorkstation({ dir: workDir, encryptionKey, signIn: { baseUrl: server.url, account: 'lead01', password: E2E_PASSWORD } });
  await ws.close();

  // Restart: no sign-in screen, the stored refresh token resumes the session.
  ws = await launchWorkstation({ dir: workDir, encryptionKey });
  await expect(ws.page.getByTestId('shell')).toBeVisible();
  await expect(ws.page.getByTestId('status-platform')).toContainText('已连接');
  await ws.close();

  // The platform goes away: the agent keeps working with the last session's identity.
  await server.close();
  ws = await launchWorkstation({ dir: workDir, encryptionKey });
  try {
    await expect(ws.page.getByTestId('shell')).toBeVisible();
    await expect(ws.page.getByTestId('status-platform')).toContainText('离线');
    await expect(ws.page.getByTestId('user-menu')).toContainText('值班长（lead01）');

    // It comes back on the same address: the client reconnects by itself.
    server = await startPlatformServer({ dataDir, masterKey, port });
    await expect(ws.page.getByTestId('status-platform')).toContainText('已连接', { timeout: 60_000 });

    await ws.page.getByTestId('user-menu').click();
    await ws.page.getByText('退出登录').click();
    await expect(ws.page.getByTestId('sign-in')).toBeVisible();
    expect(ws.core.secrets.has('platformRefreshToken')).toBe(false);
  } finally {
    await ws.close();
    await server.close();
  }
});
