/**
 * A throwaway PostgreSQL server for benchmarks (Debian's binaries), run as the unprivileged
 * `postgres` user when we are root, listening on loopback only, removed afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export interface TempPostgres {
  url: string;
  stop(): void;
}

function pgBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base) ? fs.readdirSync(base).sort((x, y) => Number(x) - Number(y)) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (Debian package postgresql)');
  return path.join(base, versions.at(-1)!, 'bin');
}

export function startTempPostgres(port = 55433): TempPostgres {
  const bin = pgBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotline-bench-pg-'));
  fs.chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', path.join(bin, cmd), ...args] : args, { stdio: 'pipe' });
  run('initdb', ['-D', `${dir}/data`, '-U', 'hotline', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  run('pg_ctl', [
    '-D', `${dir}/data`, '-l', `${dir}/server.log`, '-w', '-t', '60',
    '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c shared_buffers=512MB -c max_connections=100`,
    'start',
  ]);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'hotline', 'hotline_bench']);
  return {
    url: `postgres://hotline@127.0.0.1:${port}/hotline_bench`,
    stop() {
      try {
        run('pg_ctl', ['-D', `${dir}/data`, '-m', 'fast', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
