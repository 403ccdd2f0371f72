/** Personal data at rest: sealed values open only with the same key and record id; blind indexes are stable and keyed. */
import { describe, expect, it } from 'vitest';
import { bigrams, createLocalCipher, normaliseForSearch } from '../../renderer/src/local-data/sealed';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');
const KEYS = { dataKey: key(1), indexKey: key(2) };

describe('local sealing', () => {
  it('seals a value that opens again only under the same record id', async () => {
    const c = await createLocalCipher(KEYS);
    const sealed = await c.seal({ phone: '13800138000', name: '张三' }, 'row-1');
    expect(Buffer.from(sealed.data).toString('utf8')).not.toContain('13800138000');
    await expect(c.open(sealed, 'row-1')).resolves.toEqual({ phone: '13800138000', name: '张三' });
    await expect(c.open(sealed, 'row-2')).rejects.toThrow();
  });

  it('does not open under another key', async () => {
    const sealed = await (await createLocalCipher(KEYS)).seal('x', 'r');
    const other = await createLocalCipher({ dataKey: key(3), indexKey: key(2) });
    await expect(other.open(sealed, 'r')).rejects.toThrow();
  });

  it('indexes a number the same however it is written, and differently under another key', async () => {
    const c = await createLocalCipher(KEYS);
    const a = await c.phoneIndex('13800138000');
    expect(await c.phoneIndex('+86 138-0013-8000')).toBe(a);
    expect(a).not.toContain('138');
    expect(await c.phoneIndex('13800138001')).not.toBe(a);
    expect(await (await createLocalCipher({ dataKey: key(1), indexKey: key(4) })).phoneIndex('13800138000')).not.toBe(a);
  });

  it('computes blind indexes as HMAC-SHA-256 (truncated to 16 bytes), byte for byte what WebCrypto gives — rows written before stay findable', async () => {
    const c = await createLocalCipher(KEYS);
    const webCrypto = async (label: string, value: string) => {
      const k = await crypto.subtle.importKey('raw', Buffer.from(KEYS.indexKey, 'base64'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`${label}\u0000${value}`)));
      return Buffer.from(mac.slice(0, 16)).toString('base64url');
    };
    expect(await c.phoneIndex('+86 138-0013-8000')).toBe(await webCrypto('phone', '13800138000'));
    expect(await c.index('tail:5678')).toBe(await webCrypto('value', 'tail:5678'));
    expect(await c.terms('公积')).toEqual([await webCrypto('term', '公积')]);
    // A long value (several SHA-256 blocks) too.
    const long = '来电人反映'.repeat(40);
    expect(await c.index(long)).toBe(await webCrypto('value', long));
  });

  it('makes search terms from bigrams, ignoring case, width, blanks and punctuation', async () => {
    expect(normaliseForSearch('Ａｂ，c d！')).toBe('abcd');
    expect(bigrams('公积金')).toEqual(['公积', '积金']);
    expect(bigrams('x')).toEqual(['x']);
    const c = await createLocalCipher(KEYS);
    const [t1] = await c.terms('公积');
    expect((await c.terms('公积金提取')).includes(t1!)).toBe(true);
    expect(await c.terms('公积', '公积')).toHaveLength(1);
  });
});
