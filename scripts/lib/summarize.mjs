// Adds up the results of scripts/test-all.sh: check steps, vitest JSON and Playwright JSON.
// Prints "N passed, N failed[, N skipped]" as the last line; exits 1 when anything failed.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? 'test-results';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

for (const f of fs.existsSync(path.join(dir, 'steps')) ? fs.readdirSync(path.join(dir, 'steps')) : []) {
  if (!f.endsWith('.status')) continue;
  const ok = fs.readFileSync(path.join(dir, 'steps', f), 'utf8').trim() === 'passed';
  if (ok) passed++;
  else {
    failed++;
    failures.push(`check ${f.replace(/\.status$/, '')}`);
  }
}

function readJson(file, label) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  } catch {
    failed++;
    failures.push(`${label}: no results (the runner crashed or did not run)`);
    return undefined;
  }
}

const vitest = readJson('vitest.json', 'unit tests');
if (vitest) {
  for (const file of vitest.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') {
        failed++;
        failures.push(`unit: ${t.fullName}`);
      } else skipped++;
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      failed++;
      failures.push(`unit file: ${path.relative(process.cwd(), file.name)}`);
    }
  }
}

const pw = readJson('playwright.json', 'end-to-end tests');
if (pw) {
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const status = t.status; // expected | unexpected | flaky | skipped
        if (status === 'expected' || status === 'flaky') passed++;
        else if (status === 'skipped') skipped++;
        else {
          failed++;
          failures.push(`e2e: ${spec.file} › ${spec.title}`);
        }
      }
    }
    for (const s of suite.suites ?? []) walk(s);
  };
  for (const s of pw.suites ?? []) walk(s);
  for (const e of pw.errors ?? []) {
    failed++;
    failures.push(`e2e error: ${String(e.message ?? '').split('\n')[0]}`);
  }
}

if (failures.length) {
  console.log('\nFailures:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
