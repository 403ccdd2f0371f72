/**
 * `npm run dev:chromium`'s start path (startDevWorkstation, what e2e/dev/open-chromium.ts runs)
 * on a folder that does not exist yet, as on a fresh clone: the platform answers, the demo city
 * and the README's demo accounts are there, agent01 / Demo-12345-pass signs in through the form,
 * everything stops cleanly, and a restart on the same folder resumes without loading again.
 * Any free port instead of 8345; a temporary folder instead of .tmp/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '../support/fixtures';
import { REPO_ROOT } from '../support/paths';
import { startDevWorkstation } from '../dev/dev-workstation';
import { DEMO_PASSWORD, DEMO_USERS } from '../../platform/src/seed/demo-city';

const health = (url: string) => fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(5_000) });

test('dev:chromium starts on a fresh folder with the demo city, agent01 / Demo-12345-pass signs in, and it stops cleanly', async ({ workDir }) => {
  test.setTimeout(180_000);
  const repoTmp = fs.existsSync(path.join(REPO_ROOT, '.tmp')) ? fs.readdirSync(path.join(REPO_ROOT, '.tmp')).sort() : null;
  const dir = path.join(workDir, 'fresh-clone/.tmp/dev-profile'); // no parent folder exists yet
  expect(DEMO_PASSWORD).toBe('Demo-12345-pass'); // what README.md and scripts/start.sh tell people

  const dev = await startDevWorkstation({ dir, port: 0, headless: true });
  const port = Number(new URL(dev.platformUrl).port);
  try {
    expect(port).not.toBe(8345);
    expect((await health(dev.platformUrl)).ok).toBe(true);

    // The demo city was loaded on this first start, with every demo account on the demo password.
    expect(dev.demoCity).toBeDefined();
    expect(dev.demoCity!.articles).toBeGreaterThanOrEqual(300);
    expect(dev.demoCity!.ms).toBeLessThan(30_000);
    expect([...dev.demoCity!.users].sort()).toEqual(DEMO_USERS.map((u) => u.account).sort());
    expect(dev.accounts).toEqual({ working: DEMO_USERS.map((u) => u.account), refused: [] });
    const users = await dev.platform.platform.services.db.query<{ account: string; display_name: string }>('select account, display_name from users order by account');
    expect(users.rows.map((r) => r.account).sort()).toEqual(DEMO_USERS.map((u) => u.account).sort()); // no e2e accounts beside them
    for (const f of ['dev-only-platform-master.key', 'dev-only-safestorage.key']) expect(fs.statSync(path.join(dir, f)).mode & 0o077).toBe(0);

    // What the person is told: the platform, the folder, the account and password.
    const said = dev.summary.join('\n');
    expect(said).toContain(dev.platformUrl);
    expect(said).toContain(dir);
    expect(said).toContain('agent01 / Demo-12345-pass');
    expect(said).toMatch(/lead01 \(lead\)/);
    expect(said).toMatch(/admin \(admin\)/);

    // Sign in through the form, which already points at this platform.
    const { page } = dev.workstation;
    await expect(page.getByTestId('sign-in')).toBeVisible();
    await expect(page.getByTestId('sign-in-url')).toHaveValue(dev.platformUrl);
    await page.getByTestId('sign-in-account').fill('agent01');
    await page.getByTestId('sign-in-password').fill('Demo-12345-pass');
    await page.getByTestId('sign-in-submit').click();
    await expect(page.getByTestId('shell')).toBeVisible();
    await expect(page.getByTestId('status-platform')).toContainText('已连接');
    await expect(page.getByTestId('user-menu')).toContainText('坐席01（agent01）');
  } finally {
    await dev.stop();
  }
  await dev.stop(); // a second stop (Ctrl+C, then the window closing) is harmless
  await expect(health(dev.platformUrl)).rejects.toThrow();

  // Restart on the same folder and port: same keys, the city is not loaded again, the session resumes.
  const again = await startDevWorkstation({ dir, port, headless: true });
  try {
    expect(again.demoCity).toBeUndefined();
    expect(again.accounts.refused).toEqual([]);
    expect(again.summary.join('\n')).toContain('agent01 / Demo-12345-pass');
    await expect(again.workstation.page.getByTestId('shell')).toBeVisible();
    await expect(again.workstation.page.getByTestId('status-platform')).toContainText('已连接');
  } finally {
    await again.stop();
  }
  await expect(health(again.platformUrl)).rejects.toThrow();

  // The repository's own .tmp/ was not touched.
  expect(fs.existsSync(path.join(REPO_ROOT, '.tmp')) ? fs.readdirSync(path.join(REPO_ROOT, '.tmp')).sort() : null).toEqual(repoTmp);
});
