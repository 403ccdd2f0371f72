/**
 * The ingest load generator, run in its own process (as real clients are separate machines) so
 * that it does not share the server's event loop: `concurrency` seats, each with its own client
 * id and in-order sequence numbers, one request in flight each, as the workstation's outbox sends.
 */
import crypto from 'node:crypto';
import { Agent, request } from 'undici';
import { createBody, sampleOrder } from '../../platform/test/harness';

export interface IngestJob {
  base: string;
  token: string;
  total: number;
  concurrency: number;
  /** Orders per request: 1 = single creates; more = outbox pushes (/v1/orders/push). */
  batch: number;
}

export interface IngestResult {
  perS: number;
  latencies: number[];
}

export async function runIngest({ base, token, total, concurrency, batch }: IngestJob): Promise<IngestResult> {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    const clientId = `bench-seat-${String(w).padStart(3, '0')}-${crypto.randomBytes(4).toString('hex')}`;
    let seq = 0;
    while (next < total) {
      const n = Math.min(batch, total - next);
      next += n;
      const mutations = Array.from({ length: n }, () => {
        const { clientSeq: _unused, clientId: _c, ...rest } = createBody(sampleOrder({ caller: { phone: `139${String(crypto.randomInt(1e7, 1e8))}` } }));
        return { ...rest, clientSeq: ++seq, idempotencyKey: crypto.randomUUID() };
      });
      const single = batch === 1;
      const m0 = mutations[0]!;
      const body = single
        ? JSON.stringify({ clientId, clientSeq: m0.clientSeq, clientOrderId: m0.clientOrderId, submit: m0.submit, order: m0.order })
        : JSON.stringify({ clientId, mutations });
      const t0 = performance.now();
      const r = await request(`${base}${single ? '/v1/orders' : '/v1/orders/push'}`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(single ? { 'idempotency-key': m0.idempotencyKey } : {}) },
        body,
      });
      const text = await r.body.text();
      if (r.statusCode !== (single ? 201 : 200)) throw new Error(`ingest got ${r.statusCode}: ${text.slice(0, 200)}`);
      if (!single && !(JSON.parse(text) as { results: { status: number }[] }).results.every((x) => x.status === 201)) throw new Error('a pushed order failed');
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { perS: total / seconds, latencies };
}

if (process.send) {
  process.once('message', (job: IngestJob) => {
    runIngest(job).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send!({ ok: false, error: String(error) }, () => process.exit(1)),
    );
  });
}
