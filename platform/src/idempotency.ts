/**
 * Idempotent mutations (Stripe-style keys + Replicache-style per-client sequence numbers):
 * - the first request with a key runs and its response is stored in the same transaction;
 * - a repeat with the same key and the same content gets the stored response replayed;
 * - a repeat with the same key and different content is rejected (idempotency_key_reused);
 * - a new key with a sequence number the client already used is rejected (sequence_replayed).
 * Concurrent repeats wait on the key's row until the first commits, then replay it.
 */
import crypto from 'node:crypto';
import { ApiProblem } from './errors';
import type { RequestContext, Tx } from './context';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_:.-]{8,128}$/;

export function requestHash(routeId: string, params: unknown, body: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify([routeId, params, body])).digest('hex');
}

export async function runIdempotent(
  tx: Tx,
  input: { key: string; clientId: string; clientSeq: number; routeId: string; hash: string },
  run: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  // One round trip: claim the key and, only if claimed, advance the client's sequence.
  const claim = await tx.query<{ claimed: number; seq_ok: number }>(
    `with k as (
       insert into idempotency_keys (key, client_id, route_id, request_hash) values ($1, $2, $3, $4)
       on conflict (key) do nothing returning key
     ), s as (
       insert into client_sequences (client_id, last_seq) select $2, $5 where exists (select 1 from k)
       on conflict (client_id) do update set last_seq = excluded.last_seq
       where client_sequences.last_seq < excluded.last_seq
       returning last_seq
     )
     select (select count(*) from k)::int as claimed, (select count(*) from s)::int as seq_ok`,
    [input.key, input.clientId, input.routeId, input.hash, input.clientSeq],
  );
  if (claim.rows[0]!.claimed === 0) return { ...(await replayStored(tx, input)), replayed: true };
  if (claim.rows[0]!.seq_ok === 0) {
    throw new ApiProblem('sequence_replayed', `Sequence number ${input.clientSeq} was already used by this client`);
  }
  const response = await run();
  await tx.query('update idempotency_keys set status = $2, response = $3 where key = $1', [
    input.key,
    response.status,
    JSON.stringify(response.body),
  ]);
  return { ...response, replayed: false };
}

/** The stored reply for a key that was already claimed; refuses a different request under the same key. */
export async function replayStored(db: Tx, input: { key: string; clientId: string; hash: string }): Promise<StoredResponse> {
  const prior = await db.query<{ request_hash: string; client_id: string; status: number | null; response: unknown }>(
    'select request_hash, client_id, status, response from idempotency_keys where key = $1',
    [input.key],
  );
  const row = prior.rows[0];
  if (!row || row.request_hash !== input.hash || row.client_id !== input.clientId) {
    throw new ApiProblem('idempotency_key_reused', 'This Idempotency-Key was already used for a different request');
  }
  if (row.status === null) throw new ApiProblem('conflict', 'The first request with this key is still being processed');
  return { status: row.status, body: row.response };
}

/** Run a route's mutation once per Idempotency-Key (and client sequence number), in one transaction. */
export function idempotent<P, B extends { clientId: string; clientSeq: number }>(
  routeId: string,
  ctx: RequestContext<P, unknown, B>,
  run: (tx: Tx) => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = ctx.idempotencyKey;
  // The server refuses a request of an idempotent route without a valid key before any handler
  // runs (server.ts): this only keeps a route declared without `idempotent` from running unguarded.
  // Stryker disable next-line StringLiteral,ArrayDeclaration,ObjectLiteral: not reachable over HTTP (see above); the words cannot change what a client sees.
  if (!key) throw new ApiProblem('invalid_request', 'Idempotency-Key header is required', [{ path: 'Idempotency-Key', message: 'required' }]);
  return ctx.db.transaction((tx) =>
    runIdempotent(tx, { key, clientId: ctx.body.clientId, clientSeq: ctx.body.clientSeq, routeId, hash: requestHash(routeId, ctx.params, ctx.body) }, () => run(tx)),
  );
}
