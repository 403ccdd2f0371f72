/** The local database's shared reads: the entries still owed, in one key range. */
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { notDoneEntries, openOrdersDb, type OutboxRow } from '../../renderer/src/orders/local/local-db';
import { OUTBOX_STATES } from '../../shared/outbox/entry';

const entry = (state: OutboxRow['state'], clientSeq: number): OutboxRow => ({
  mutationId: `00000000-0000-4000-8000-${String(clientSeq).padStart(12, '0')}`,
  kind: 'order.create',
  clientOrderId: `10000000-0000-4000-8000-${String(clientSeq).padStart(12, '0')}`,
  clientSeq,
  state,
  attempts: 0,
  createdAt: 1,
  nextAttemptAt: 1,
});

describe('notDoneEntries', () => {
  it('reads every entry of every state but done (a new state sorting before "done" would be missed)', async () => {
    const db = openOrdersDb('local-db-test', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.outbox.bulkAdd(OUTBOX_STATES.map((state, i) => entry(state, i + 1)));
    const owed = await notDoneEntries(db);
    expect(owed.map((r) => r.state).sort()).toEqual(OUTBOX_STATES.filter((s) => s !== 'done').sort());
    db.close();
  });
});
