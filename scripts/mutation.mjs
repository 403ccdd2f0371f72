#!/usr/bin/env node
// `npm run test:mutation [-- --force] [-- workstation|platform]`: runs StrykerJS per group
// (stryker.config.mjs), prints the mutation score per module and fails when a module falls below
// its floor in test/mutation/floors.json (set from the score reached; raise it, never lower it
// without a reason in the commit).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { GROUPS } = await import(path.join(root, 'stryker.config.mjs'));
const args = process.argv.slice(2);
const groups = args.filter((a) => a in GROUPS);
const passThrough = args.filter((a) => !(a in GROUPS));
const floors = JSON.parse(fs.readFileSync(path.join(root, 'test/mutation/floors.json'), 'utf8'));

const rows = [];
let failed = false;
for (const group of groups.length ? groups : Object.keys(GROUPS)) {
  console.log(`== mutation group ${group}: ${GROUPS[group].length} modules`);
  // Always the same tests as the committed results were made with: the platform's on PGlite only
  // (a PostgreSQL server in the environment would add test names and void the reuse).
  const env = { ...process.env, MUTATION_GROUP: group };
  delete env.PLATFORM_TEST_DATABASE_URL;
  const run = spawnSync('npx', ['stryker', 'run', ...passThrough], { cwd: root, stdio: 'inherit', env });
  // The incremental file is committed: keep this machine's path out of it.
  const incremental = path.join(root, `test/mutation/${group}.incremental.json`);
  if (fs.existsSync(incremental)) {
    const data = JSON.parse(fs.readFileSync(incremental, 'utf8'));
    if (data.projectRoot) {
      data.projectRoot = '.';
      fs.writeFileSync(incremental, `${JSON.stringify(data, null, 2)}\n`);
    }
  }
  const report = path.join(root, `test-results/mutation/${group}.json`);
  if (run.status !== 0 || !fs.existsSync(report)) {
    console.log(`stryker failed for group ${group} (exit ${run.status ?? run.signal})`);
    failed = true;
    continue;
  }
  const { files } = JSON.parse(fs.readFileSync(report, 'utf8'));
  for (const module of GROUPS[group]) {
    const count = (s) => (files[module]?.mutants ?? []).filter((m) => m.status === s).length;
    const killed = count('Killed') + count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const valid = killed + survived + noCoverage;
    const score = valid === 0 ? 100 : (100 * killed) / valid;
    const floor = floors[module];
    const below = floor === undefined || score < floor;
    if (below) failed = true;
    rows.push({ module, killed, survived, noCoverage, score: score.toFixed(1), floor: floor ?? 'none', ok: below ? 'BELOW FLOOR' : 'ok' });
  }
}
console.log('\nMutation score per module (killed / (killed + survived + no coverage)):');
console.table(rows);
process.exit(failed ? 1 : 0);
