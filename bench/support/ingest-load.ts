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
}

export interface IngestResult {
  perS: number;
  latencies: number[];
}

export async function runIngest({ base, token, total, concurrency }: IngestJob): Promise<IngestResult> {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    const clientId = `bench-seat-${String(w).padStart(3, '0')}-${crypto.randomBytes(4).toString('hex')}`;
    let seq = 0;
    while (next < total) {
      next++;
      const body = JSON.stringify({ ...createBody(sampleOrder({ caller: { phone: `139${String(crypto.randomInt(1e7, 1e8))}` } })), clientId, clientSeq: ++seq });
      const t0 = performance.now();
      const r = await request(`${base}/v1/orders`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
        body,
      });
      await r.body.dump();
      if (r.statusCode !== 201) throw new Error(`ingest got ${r.statusCode}`);
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
