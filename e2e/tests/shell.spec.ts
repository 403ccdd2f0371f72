/**
 * The shell in Chromium behind the real main-process services.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import crypto from 'node:crypto';
import { test, expect } from '../support/fixtures';
import { launchWorkstation } from '../support/bridge';
import { ARTIFACTS_DIR, PRELOAD_FILE } from '../support/paths';
import { apiShape } from '../../shared/ipc/contract';

test('renders in zh-CN and switches to English through settings', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  const { page } = ws;
  try {
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByText('12345 坐席工作台')).toBeVisible();
    await expect(page.getByTestId('screen-pop')).toContainText('来电弹屏');
    await expect(page.getByTestId('status-bar')).toContainText('平台');
    // The knowledge panel's search box is the page's one search box.
    await expect(page.getByRole('searchbox')).toHaveCount(1);
    await expect(page.getByRole('searchbox', { name: /搜索知识/ })).toBeVisible();
    // The work-order card is live: its actions and the outbox figure in the status bar.
    await expect(page.getByTestId('order-new')).toBeVisible();
    await expect(page.getByTestId('status-outbox')).toContainText('待同步 0');

    await page.getByTestId('open-settings').click();
    await page.getByTestId('language').getByText('English').click();

    await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
    await expect(page.getByText('12345 Agent Workstation')).toBeVisible();
    await expect(page.getByTestId('screen-pop')).toContainText('Screen pop');
    // The change reached the real settings service and its file.
    expect(ws.core.settings.get('locale')).toBe('en-US');
    const onDisk = JSON.parse(fs.readFileSync(path.join(ws.appDataDir, 'settings.json'), 'utf8'));
    expect(onDisk.locale).toBe('en-US');
  } finally {
    await ws.close();
  }
});

test('a settings value round-trips through the bridge and survives a restart', async ({ workDir, platform }) => {
  const key = crypto.randomBytes(32);
  let ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, encryptionKey: key });
  await ws.page.getByTestId('open-settings').click();
  await ws.page.getByRole('tab', { name: '话务线路' }).click();
  await ws.page.getByTestId('sip-server').fill('wss://sip.hotline.example:7443');
  await ws.page.getByTestId('sip-extension').fill('8001');
  // Codec preference (in the administrator section): A-law up to first place, G.722 not used.
  await ws.page.getByTestId('admin-settings').getByText('管理员设置').click();
  const pcmaUp = ws.page.getByTestId('codec-PCMA').getByRole('button', { name: /上移/ });
  while (await pcmaUp.isEnabled()) await pcmaUp.click();
  await ws.page.getByTestId('codec-G722').getByText('G.722', { exact: true }).click({ timeout: 5000 });
  await expect(ws.page.getByTestId('codec-G722').getByRole('checkbox')).not.toBeChecked();
  await ws.page.getByTestId('sip-save').click();
  await expect(ws.page.getByText('已保存')).toBeVisible();
  await ws.page.getByTestId('sip-password').fill('坐席-密码-8001');
  await ws.page.getByTestId('sip-password-save').click();
  await expect(ws.page.getByTestId('sip-password-state')).toHaveText('已保存（加密存储）');
  expect(fs.readFileSync(path.join(ws.appDataDir, 'secrets.json'), 'utf8')).not.toContain('8001');
  await ws.close();

  ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, encryptionKey: key });
  try {
    const sip = await ws.page.evaluate(() => window.workstation.settings.get({ section: 'sip' }));
    expect(sip).toMatchObject({ ok: true, value: { serverUrl: 'wss://sip.hotline.example:7443', extension: '8001', codecs: ['PCMA', 'opus', 'PCMU'] } });
    await ws.page.getByTestId('open-settings').click();
    await ws.page.getByRole('tab', { name: '话务线路' }).click();
    await expect(ws.page.getByTestId('sip-server')).toHaveValue('wss://sip.hotline.example:7443');
    await expect(ws.page.getByTestId('sip-password-state')).toHaveText('已保存（加密存储）');
    expect(ws.core.secrets.get('sipPassword')).toBe('坐席-密码-8001');
  } finally {
    await ws.close();
  }
});

test('an invalid IPC payload is rejected with a typed error and logged', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  try {
    const result = await ws.page.evaluate(() =>
      // Deliberately wrong at run time: what a compromised or buggy renderer could send.
      (window.workstation.settings.set as (x: unknown) => Promise<unknown>)({ section: 'locale', value: 'klingon' }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload', issues: [{ path: 'value' }] } });
    const unknownField = await ws.page.evaluate(() =>
      (window.workstation.shell.setCallActive as (x: unknown) => Promise<unknown>)({ active: true, sneaky: 'x' }),
    );
    expect(unknownField).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(ws.ports.record.blockers.size).toBe(0);
    expect(ws.core.settings.get('locale')).toBe('zh-CN');
    const log = fs.readFileSync(ws.logFile, 'utf8');
    expect(log).toMatch(/"msg":"rejected invalid IPC payload".*"channel":"settings:set"/);
    expect(log).not.toContain('klingon');
  } finally {
    await ws.close();
  }
});

test('the bridge exposes exactly the methods of the real preload', async ({ workDir, platform }) => {
  // Run the built preload bundle against a stand-in `electron` and record what it exposes.
  const exposed: Record<string, unknown> = {};
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (name: string, api: unknown) => (exposed[name] = api) },
    ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
  };
  const sandbox = { require: (id: string) => (id === 'electron' ? fakeElectron : undefined), module: { exports: {} }, exports: {} };
  vm.runInNewContext(fs.readFileSync(PRELOAD_FILE, 'utf8'), sandbox, { filename: PRELOAD_FILE });
  expect(Object.keys(exposed)).toEqual(['workstation']);
  const preloadShape = apiShape(exposed.workstation);

  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  try {
    const bridgeShape = await ws.page.evaluate(() => {
      const out: string[] = [];
      for (const [d, methods] of Object.entries(window.workstation)) {
        for (const [m, fn] of Object.entries(methods as Record<string, unknown>)) out.push(`${d}.${m}:${typeof fn}`);
      }
      return out.sort();
    });
    expect(preloadShape.length).toBeGreaterThan(10);
    expect(bridgeShape).toEqual(preloadShape);
  } finally {
    await ws.close();
  }
});

test('settings recovered from a damaged file are announced to the agent', async ({ workDir, platform }) => {
  const appDir = path.join(workDir, 'app');
  fs.mkdirSync(appDir, { recursive: true });
  fs.writeFileSync(path.join(appDir, 'settings.json'), '{"schemaVersion":2,"locale":');
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  try {
    const notice = ws.page.getByTestId('notice-recoveredCorrupt');
    await expect(notice).toContainText('设置文件已损坏');
    await expect(notice).toContainText('settings.corrupt-');
  } finally {
    await ws.close();
  }
});

test('keyboard: F6 cycles regions, global shortcut toggles ready, tray follows the state', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  const { page } = ws;
  try {
    await page.keyboard.press('F6');
    await expect(page.locator('[data-region="softphone"]')).toBeFocused();
    await page.keyboard.press('F6');
    await expect(page.locator('[data-region="workArea"]')).toBeFocused();
    await page.keyboard.press('Shift+F6');
    await expect(page.locator('[data-region="softphone"]')).toBeFocused();
    await page.keyboard.press('Alt+3');
    await expect(page.locator('[data-region="knowledge"]')).toBeFocused();

    await expect(page.getByTestId('agent-state')).toContainText('未就绪');
    ws.ports.press('CommandOrControl+Shift+R');
    await expect(page.getByTestId('agent-state')).toContainText('就绪');
    await expect(page.getByTestId('agent-state')).not.toContainText('未就绪');
    await expect.poll(() => ws.ports.record.tray.at(-1)?.tooltip).toContain('就绪');
    expect(ws.ports.record.tray.at(-1)?.color).toBe('#52c41a');
  } finally {
    await ws.close();
  }
});

test('shortcut conflicts are shown in settings', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent, takenAccelerators: ['Control+Alt+M'] });
  const { page } = ws;
  try {
    await page.getByTestId('open-settings').click();
    await page.getByRole('tab', { name: '全局快捷键' }).click();
    await page.getByTestId('shortcut-hangup').fill('CommandOrControl+Shift+A');
    await page.getByTestId('shortcut-mute').fill('Ctrl+Alt+M');
    await page.getByTestId('shortcuts-save').click();
    await expect(page.getByText('与“接听”重复')).toBeVisible();
    await expect(page.getByText('已被其他程序占用')).toBeVisible();
  } finally {
    await ws.close();
  }
});

test('a caller-controlled string is shown as text, never as markup', async ({ workDir, platform }) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  const { page } = ws;
  try {
    await page.getByTestId('open-settings').click();
    await page.getByRole('tab', { name: '话务线路' }).click();
    // Not a control character, so settings accept it; it must render inertly wherever shown.
    const hostile = '<img src=x onerror="window.__pwned=1">张三';
    await page.getByTestId('sip-extension').fill('8001');
    await page.locator('#displayName').fill(hostile);
    await page.getByTestId('sip-save').click();
    await expect(page.getByText('已保存')).toBeVisible();
    await page.reload();
    await page.getByTestId('open-settings').click();
    await page.getByRole('tab', { name: '话务线路' }).click();
    await expect(page.locator('#displayName')).toHaveValue(hostile);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  } finally {
    await ws.close();
  }
});

test('screenshot of the shell is saved as a test artifact', async ({ workDir, platform }, testInfo) => {
  const ws = await launchWorkstation({ dir: workDir, signIn: platform.agent });
  try {
    await expect(ws.page.getByTestId('shell')).toBeVisible();
    // The status bar sits at the bottom of the window, the work area fills the rest.
    const status = await ws.page.locator('[data-region="statusBar"]').boundingBox();
    expect(status && Math.round(status.y + status.height)).toBe(900);
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, 'shell-zh-CN.png');
    const png = await ws.page.screenshot({ path: file });
    await testInfo.attach('shell', { body: png, contentType: 'image/png' });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  } finally {
    await ws.close();
  }
});
