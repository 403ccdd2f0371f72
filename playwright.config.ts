import { defineConfig } from '@playwright/test';

/**
 * Two projects: the renderer in Debian Chromium behind the real main-process core (always), and
 * the real Electron app (only where an Electron binary exists; it says why it skipped otherwise).
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/playwright.json' }]] : [['list']],
  projects: [
    { name: 'chromium', testMatch: /e2e\/tests\/.*\.spec\.ts$/ },
    { name: 'electron', testMatch: /e2e\/electron\/.*\.spec\.ts$/ },
  ],
});
