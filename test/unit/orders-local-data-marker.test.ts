/** Main notices a wiped local database: the id it reports changed, and says how much was owed. */
import { describe, expect, it } from 'vitest';
import { LocalDataMarker } from '../../main/orders/local-data-marker';
import { start } from '../helpers/core-with-platform';
import { tmpDir } from '../helpers/tmp';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('local data marker', () => {
  it('remembers the database and what it owes across restarts; another id means the old one was wiped', () => {
    const dir = tmpDir('ws-marker-');
    let now = 1_000;
    expect(new LocalDataMarker(dir, () => now).report({ dbId: A, pending: 0 })).toEqual({ wiped: false });
    const m = new LocalDataMarker(dir, () => (now += 1000));
    expect(m.report({ dbId: A, pending: 3 })).toEqual({ wiped: false });
    // After a restart: a new database (the old one deleted behind the app's back).
    const again = new LocalDataMarker(dir, () => 9_000);
    expect(again.report({ dbId: B, pending: 0 })).toEqual({ wiped: true, lostPending: 3, lastSeenAt: 2_000 });
    expect(new LocalDataMarker(dir).report({ dbId: B, pending: 0 })).toEqual({ wiped: false });
  });

  it('answers through orders:reportLocalData, logs the wipe without personal data, refuses a malformed report', async () => {
    const t = start();
    expect(await t.call('orders:reportLocalData', { dbId: A, pending: 2 })).toEqual({ ok: true, value: { wiped: false } });
    expect(await t.call('orders:reportLocalData', { dbId: B, pending: 0 })).toEqual({ ok: true, value: { wiped: true, lostPending: 2, lastSeenAt: expect.any(Number) } });
    expect(t.lines.find((l) => l.message.includes('wiped'))).toMatchObject({ level: 'error', context: { lostPending: 2 } });
    expect((await t.call('orders:reportLocalData', { dbId: 'x', pending: -1 })).ok).toBe(false);
  });
});
