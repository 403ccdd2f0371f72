/**
 * Writing outbox entries (shared/outbox/entry.ts). The payload is sealed before the transaction
 * (WebCrypto must not be awaited inside a Dexie transaction: the transaction would commit), the
 * entry gets the next client sequence number inside the caller's transaction.
 */
import type { OutboxEntry, OutboxPayload } from '../../../../shared/outbox/entry';
import type { LocalCipher, Sealed } from '../../local-data/sealed';
import { nextClientSeq, type OrdersDatabase, type OutboxRow } from '../local/local-db';
import { ownerField } from '../local/owner';

export interface PreparedEntry {
  readonly mutationId: string;
  /** Call inside a 'rw' transaction over outbox and meta. */
  write(db: OrdersDatabase): Promise<OutboxRow>;
  /** The row with a sequence number the caller took from the counter in its own transaction. */
  row(clientSeq: number): OutboxRow;
}

export async function prepareEntry(cipher: LocalCipher, clientOrderId: string, payload: OutboxPayload, now: number, owner: string | undefined): Promise<PreparedEntry> {
  const mutationId = crypto.randomUUID();
  const sealed: Sealed = await cipher.seal(payload, mutationId);
  const row = (clientSeq: number): OutboxRow => {
    const entry: OutboxEntry = {
      mutationId,
      clientSeq,
      clientOrderId,
      // A follow-up changes the platform order it is added to: it goes after that order's earlier entries.
      ...(payload.kind === 'order.followUp' ? { subject: payload.orderId } : {}),
      kind: payload.kind,
      state: 'pending',
      attempts: 0,
      createdAt: now,
      nextAttemptAt: now,
      ...ownerField(owner),
    };
    return { ...entry, payload: sealed };
  };
  return {
    mutationId,
    row,
    async write(db) {
      const r = row(await nextClientSeq(db));
      await db.outbox.add(r);
      return r;
    },
  };
}

/** Queue one entry on its own (a reveal). */
export async function queueEntry(db: OrdersDatabase, cipher: LocalCipher, clientOrderId: string, payload: OutboxPayload, owner: string | undefined, now = Date.now()): Promise<OutboxRow> {
  const prepared = await prepareEntry(cipher, clientOrderId, payload, now, owner);
  return db.transaction('rw', [db.outbox, db.meta], () => prepared.write(db));
}
