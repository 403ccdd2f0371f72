/**
 * `npm run bench [-- <prefix>]`: runs the benchmark groups (all, or those whose prefix matches),
 * prints a table and writes bench-results.json:
 *   { "at": ISO time, "machine": {...}, "results": [ { "name", "value", "unit", "goal" } ] }
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchGroup, BenchResult } from './types';
import { startupBench } from './startup.bench';
import { platformBench } from './platform.bench';
import { callBench } from './call.bench';
import { ordersBench } from './orders.bench';
import { outboxBench } from './outbox.bench';
import { knowledgeBench } from './knowledge.bench';
import { queueBench } from './queue.bench';
import { transferBench } from './transfer.bench';
import { CHROMIUM_PATH } from '../e2e/support/paths';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GROUPS: BenchGroup[] = [startupBench, platformBench, callBench, ordersBench, outboxBench, knowledgeBench, queueBench, transferBench];

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const filter = process.argv.slice(2).find((a) => !a.startsWith('-'));
  const groups = GROUPS.filter((g) => !filter || g.prefix.startsWith(filter) || filter.startsWith(g.prefix));
  if (groups.length === 0) {
    console.error(`no benchmark group matches "${filter}"; groups: ${GROUPS.map((g) => g.prefix).join(', ')}`);
    process.exit(2);
  }
  if (!fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
    console.log('building the app first (npx electron-vite build)…');
    execFileSync(path.join(ROOT, 'node_modules/.bin/electron-vite'), ['build'], { cwd: ROOT, stdio: 'ignore' });
  }
  const results: BenchResult[] = [];
  for (const g of groups) {
    console.log(`running ${g.prefix}…`);
    results.push(...(await g.run()).filter((r) => !filter || r.name.startsWith(filter) || filter.startsWith(g.prefix)));
  }
  const rows = results.map((r) => [r.name, String(r.value), r.unit, r.goal ?? '—', r.note ?? '']);
  const header = ['name', 'value', 'unit', 'goal', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));

  const out = {
    at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      chromium: chromiumVersion(),
    },
    results: results.map(({ name, value, unit, goal }) => ({ name, value, unit, goal })),
  };
  const file = path.join(ROOT, 'bench-results.json');
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
