import { describe, expect, it } from 'vitest';
import { NetstringDecoder, kamailioCommand, netstring, withTime } from '../src/queue/kamailio-link';

describe('evapi framing', () => {
  it('splits netstrings across and within chunks, counting bytes not characters', () => {
    const d = new NetstringDecoder();
    const a = netstring('{"callId":"坐席"}');
    const b = netstring('{}');
    const both = Buffer.concat([a, b]);
    expect(d.push(both.subarray(0, 5))).toEqual([]);
    expect(d.push(both.subarray(5, a.length + 1))).toEqual(['{"callId":"坐席"}']);
    expect(d.push(both.subarray(a.length + 1))).toEqual(['{}']);
    expect(a.toString('latin1').startsWith(`${Buffer.byteLength('{"callId":"坐席"}')}:`)).toBe(true);
  });

  it('refuses a stream that is not netstrings (the link reconnects)', () => {
    expect(() => new NetstringDecoder().push(Buffer.from('abc:{},'))).toThrow(/length/);
    expect(() => new NetstringDecoder().push(Buffer.from('2:{}x'))).toThrow(/terminated/);
    expect(() => new NetstringDecoder().push(Buffer.from('9999999:'))).toThrow();
    expect(() => new NetstringDecoder().push(Buffer.from('1'.repeat(12)))).toThrow(/too long/);
  });

  it("turns Kamailio's $TV(Sn) stamp into epoch ms and drops a stamp that is not one", () => {
    expect(withTime({ event: 'ended', callId: 'a', ts: '1796651866.741012' })).toEqual({ event: 'ended', callId: 'a', at: 1796651866741 });
    expect(withTime({ event: 'ended', callId: 'a', ts: 'yesterday' })).toEqual({ event: 'ended', callId: 'a' });
    expect(withTime({ event: 'ended', callId: 'a' })).toEqual({ event: 'ended', callId: 'a' });
    expect(withTime('x')).toBe('x');
  });

  it('gives Kamailio the transaction index and label as numbers', () => {
    expect(JSON.parse(kamailioCommand({ action: 'giveUp', callId: 'a', handle: '17:4242' }))).toEqual({ action: 'giveUp', callId: 'a', handle: '17:4242', tindex: 17, tlabel: 4242 });
  });
});
