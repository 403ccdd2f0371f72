/** Bundles a TypeScript entry for injection into a test page (one IIFE, cached per entry). */
import path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO_ROOT } from './paths';

const cache = new Map<string, string>();

export function browserBundle(entry: string): string {
  let code = cache.get(entry);
  if (code === undefined) {
    code = buildSync({
      entryPoints: [path.join(REPO_ROOT, entry)],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    }).outputFiles[0]!.text;
    cache.set(entry, code);
  }
  return code;
}
