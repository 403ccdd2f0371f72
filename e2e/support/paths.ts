import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(REPO_ROOT, 'out/renderer');
export const PRELOAD_FILE = path.join(REPO_ROOT, 'out/preload/index.cjs');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results/artifacts');
/** Debian's Chromium unless CHROMIUM_PATH says otherwise. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for Chromium on CI machines without network (../shared/engineering/README.md §2). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
