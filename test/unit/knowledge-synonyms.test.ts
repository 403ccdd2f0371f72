/**
 * main's knowledge:synonyms channel: the platform's synonym table fetched for the renderer, the
 * version it already has passed on (so an unchanged table comes back without its rows), replies
 * checked against the contract and failures told as the channel's codes.
 */
import { describe, expect, it } from 'vitest';
import { apiError, start } from '../helpers/core-with-platform';

const rows = [{ terms: ['个税', '个人所得税'], oneWay: true }, { terms: ['社保', '社会保险'] }];

describe('knowledge:synonyms (main)', () => {
  it('asks for the table, passing on the version the renderer has, and hands the validated reply back', async () => {
    const t = start();
    t.platform.on('GET /v1/knowledge/synonyms', (req) => ({ status: 200, body: req.path.endsWith('known=3') ? { version: 3 } : { version: 3, rows } }));
    await t.signIn();
    expect(await t.call('knowledge:synonyms', {})).toEqual({ ok: true, value: { version: 3, rows } });
    expect(await t.call('knowledge:synonyms', { known: 3 })).toEqual({ ok: true, value: { version: 3 } });
    expect(await t.call('knowledge:synonyms', { known: 0 })).toEqual({ ok: true, value: { version: 3, rows } });
    expect(t.platform.calls().map((c) => c.path)).toEqual(['/v1/knowledge/synonyms', '/v1/knowledge/synonyms?known=3', '/v1/knowledge/synonyms?known=0']);
  });

  it.each([
    ['network down', 'network' as const, 'unavailable'],
    ['server error', apiError(503, 'internal'), 'unavailable'],
    ['a row breaking the contract', { status: 200, body: { version: 1, rows: [{ terms: ['社保'] }] } }, 'unavailable'],
    ['a term repeated in a row', { status: 200, body: { version: 1, rows: [{ terms: ['社保', '社保'] }] } }, 'unavailable'],
    ['forbidden', apiError(403, 'forbidden'), 'rejected'],
  ])('%s: answers %s', async (_name, answer, code) => {
    const t = start();
    t.platform.on('GET /v1/knowledge/synonyms', answer);
    await t.signIn();
    expect(await t.call('knowledge:synonyms', {})).toEqual({ ok: false, error: { code, message: expect.any(String) } });
  });

  it('answers signed_out without a session and refuses a malformed version without asking the platform', async () => {
    const t = start();
    expect(await t.call('knowledge:synonyms', {})).toEqual({ ok: false, error: { code: 'signed_out', message: expect.any(String) } });
    await t.signIn();
    for (const bad of [{ known: -1 }, { known: 1.5 }, { known: '2' }, { known: 1, extra: true }]) expect((await t.call('knowledge:synonyms', bad)).ok, JSON.stringify(bad)).toBe(false);
    expect(t.platform.calls()).toEqual([]);
  });
});
