/**
 * `npm run platform:seed`: loads the demo city into the platform's database (same environment
 * variables as `npm run platform`). Demo accounts get PLATFORM_DEMO_PASSWORD (default printed).
 */
import path from 'node:path';
import { createPlatform } from '../app';
import { REPO_ROOT, databaseFromEnv, masterKeyFromEnv } from '../config';
import { DEMO_PASSWORD, loadDemoCity, readDemoData } from './demo-city';

async function main(): Promise<void> {
  const database = databaseFromEnv();
  const data = readDemoData(process.env.PLATFORM_SEED_DIR ?? path.join(REPO_ROOT, 'platform/seed/data'));
  const platform = await createPlatform({ database, masterKey: masterKeyFromEnv(database), log: () => undefined });
  try {
    const password = process.env.PLATFORM_DEMO_PASSWORD ?? DEMO_PASSWORD;
    const report = await loadDemoCity(platform.services.db, data, { password, scrypt: platform.services.config.scrypt, cipher: platform.services.cipher });
    process.stdout.write(
      `demo city loaded: ${report.units} units, ${report.categories} categories, ${report.directory} directory entries, ${report.articles} articles, ${report.synonymRows} synonym rows, ` +
        `${report.areas} areas, ${report.phrases} phrases, ${report.outOfScopeReasons} out-of-scope reasons, ${report.historicalOrders} new historical orders\n` +
        (report.users.length ? `new demo accounts (password ${process.env.PLATFORM_DEMO_PASSWORD ? 'from PLATFORM_DEMO_PASSWORD' : password}): ${report.users.join(', ')}\n` : ''),
    );
  } finally {
    await platform.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
