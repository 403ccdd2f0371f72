// Mutation testing of the security- and data-critical modules (`npm run test:mutation`, see
// scripts/mutation.mjs). Each mutant is one small change to the code (a condition flipped, a check
// removed); a test must fail for it ("killed"). Two groups, each run with only its own tests:
// the workstation's modules with test/unit, the platform's with platform/test (which start PGlite).
// MUTATION_GROUP picks the group. Mutants that cannot change behaviour are marked beside the code
// (`// Stryker disable next-line <mutator>: <why>`).
export const GROUPS = {
  workstation: [
    'main/ipc/registry.ts',
    'main/security/baseline.ts',
    'main/security/app-protocol.ts',
    'main/electron/guards.ts',
    'main/secrets/secret-store.ts',
    'shared/base/redact.ts',
    'shared/settings/schema.ts',
    'shared/phone/call-machine.ts',
    'shared/phone/remote-identity.ts',
    'shared/phone/registration-policy.ts',
  ],
  platform: [
    'platform/src/idempotency.ts',
    'platform/src/session/tokens.ts',
    'platform/src/session/passwords.ts',
    'platform/src/security/personal-data.ts',
    'platform/src/audit/audit-chain.ts',
  ],
};

const group = process.env.MUTATION_GROUP ?? 'workstation';
if (!(group in GROUPS)) throw new Error(`MUTATION_GROUP must be one of ${Object.keys(GROUPS).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10_000,
  ignoreStatic: true,
  mutate: GROUPS[group],
  // Results of unchanged code and tests are reused (the file is committed): CI re-tests only what
  // changed. `npm run test:mutation -- --force` runs every mutant again.
  incremental: true,
  incrementalFile: `test/mutation/${group}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `test-results/mutation/${group}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  // The sandbox copy needs sources and tests only, not builds, results or data folders.
  ignorePatterns: ['/out', '/dist', '/release', '/test-results', '/playwright-report', '/.data', '/docs', '/bench-results*.json'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
