import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config';

// The tests of one mutation group (stryker.config.mjs): the workstation's modules are guarded by
// test/unit, the platform's by platform/test. The start-up test runs the whole main process per
// run and stays out; the layering test reads source text, not behaviour.
const platform = process.env.MUTATION_GROUP === 'platform';

export default mergeConfig(
  { ...base, test: { ...base.test, include: [] } },
  defineConfig({
    test: {
      include: platform ? ['platform/test/**/*.test.ts'] : ['test/unit/**/*.test.ts'],
      exclude: [...configDefaults.exclude, 'test/unit/electron-startup.test.ts', 'test/unit/layering.test.ts'],
    },
  }),
);
