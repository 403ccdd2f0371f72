import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy, type FaultStats } from '../../e2e/support/fault-proxy';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Target {
  url: string;
  host: string;
  received: Received[];
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A tiny platform stand-in: records each request, answers 201 (or ?status=N) with a JSON body. */
async function startTarget(): Promise<Target> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '/';
      received.push({ method: req.method ?? '', url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const status = Number(new URL(url, 'http://x').searchParams.get('status') ?? 201);
      const body = JSON.stringify({ ok: true, url });
      res.writeHead(status, { 'content-type': 'application/json', 'x-target': 'yes' });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const target: Target = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
  cleanups.push(target.close);
  return target;
}

async function proxyFor(options: Parameters<typeof startFaultProxy>[0]): Promise<FaultProxy> {
  const proxy = await startFaultProxy(options);
  cleanups.push(() => proxy.close());
  return proxy;
}

type Outcome = 'ok' | 'fetch-failed' | 'body-failed';

/** One request through the proxy: where it failed, if it did. */
async function attempt(url: string, init: RequestInit = { method: 'POST', body: 'x' }): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(3000) });
  } catch {
    return 'fetch-failed';
  }
  try {
    await response.text();
  } catch {
    return 'body-failed';
  }
  return 'ok';
}

function outcomeOf(before: FaultStats, after: FaultStats): string {
  const kinds = ['forwarded', 'droppedRequests', 'droppedResponses', 'resets'] as const;
  const changed = kinds.filter((kind) => after[kind] !== before[kind]);
  expect(changed).toHaveLength(1);
  return changed[0] ?? '';
}

describe('fault proxy', () => {
  it('forwards method, path, query, body, status and headers faithfully when all probabilities are 0', async () => {
    const target = await startTarget();
    const proxy = await proxyFor({ target: target.url });
    const response = await fetch(`${proxy.url}/v1/orders/7?x=1&status=418`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-custom': 'abc', 'proxy-authorization': 'Basic c2VjcmV0' },
      body: 'hello body',
      signal: AbortSignal.timeout(3000),
    });
    expect(response.status).toBe(418);
    expect(response.headers.get('x-target')).toBe('yes');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true, url: '/v1/orders/7?x=1&status=418' });

    expect(target.received).toHaveLength(1);
    const [got] = target.received;
    expect(got).toMatchObject({ method: 'PUT', url: '/v1/orders/7?x=1&status=418', body: 'hello body' });
    expect(got?.headers['x-custom']).toBe('abc');
    expect(got?.headers['content-type']).toBe('text/plain');
    expect(got?.headers.host).toBe(target.host);
    expect(got?.headers['proxy-authorization']).toBeUndefined();

    // A second request on the kept-alive connections still goes through.
    expect(await attempt(`${proxy.url}/v1/orders`, { method: 'GET' })).toBe('ok');
    expect(proxy.stats()).toEqual({ requests: 2, forwarded: 2, droppedRequests: 0, droppedResponses: 0, resets: 0 });
  });

  it('dropRequest: the client fails and the target receives nothing', async () => {
    const target = await startTarget();
    const proxy = await proxyFor({ target: target.url, dropRequest: 1 });
    expect(await attempt(`${proxy.url}/v1/orders`)).toBe('fetch-failed');
    expect(target.received).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ requests: 1, droppedRequests: 1, forwarded: 0 });
  });

  it('dropResponse: the client fails but the target has received (committed) the request', async () => {
    const target = await startTarget();
    const proxy = await proxyFor({ target: target.url, dropResponse: 1, delayMs: [1, 3] });
    expect(await attempt(`${proxy.url}/v1/orders`, { method: 'POST', body: 'order-1' })).toBe('fetch-failed');
    expect(target.received.map((r) => r.body)).toEqual(['order-1']);
    expect(proxy.stats()).toMatchObject({ requests: 1, droppedResponses: 1 });
  });

  it('observe: sees a forwarded request arrive and answered; "drop" loses it there (before or after the target had it)', async () => {
    const target = await startTarget();
    const seen: string[] = [];
    let dropAt: 'received' | 'answered' | undefined;
    const proxy = await proxyFor({
      target: target.url,
      observe: ({ method, path, phase }) => {
        seen.push(`${method} ${path} ${phase}`);
        return phase === dropAt ? 'drop' : undefined;
      },
    });
    expect(await attempt(`${proxy.url}/v1/orders?x=1`, { method: 'POST', body: 'one' })).toBe('ok');
    expect(seen).toEqual(['POST /v1/orders received', 'POST /v1/orders answered']);
    dropAt = 'received';
    expect(await attempt(`${proxy.url}/v1/orders`, { method: 'POST', body: 'two' })).toBe('fetch-failed');
    dropAt = 'answered';
    expect(await attempt(`${proxy.url}/v1/orders`, { method: 'POST', body: 'three' })).toBe('fetch-failed');
    expect(target.received.map((r) => r.body)).toEqual(['one', 'three']);
  });

  it('reset: the client fails, before forwarding or in the middle of the response body', async () => {
    const target = await startTarget();
    const proxy = await proxyFor({ target: target.url, reset: 1 });
    const outcomes: Outcome[] = [];
    for (let i = 0; i < 8; i++) outcomes.push(await attempt(`${proxy.url}/v1/orders`));
    expect(outcomes).not.toContain('ok');
    // Late resets reach the target and leave the client with headers and a short body.
    const late = outcomes.filter((o) => o === 'body-failed').length;
    expect(late).toBe(target.received.length);
    expect(late).toBeGreaterThan(0);
    expect(late).toBeLessThan(8);
    expect(proxy.stats()).toMatchObject({ requests: 8, resets: 8 });
  });

  it('reproduces the same faults for the same seed and request order, and other faults for another seed', async () => {
    const target = await startTarget();
    async function run(seed: number): Promise<string[]> {
      const proxy = await proxyFor({ target: target.url, seed, dropRequest: 0.2, dropResponse: 0.2, reset: 0.2 });
      const sequence: string[] = [];
      for (let i = 0; i < 50; i++) {
        const before = proxy.stats();
        const outcome = await attempt(`${proxy.url}/v1/orders`, { method: 'POST', body: `n=${i}` });
        const kind = outcomeOf(before, proxy.stats());
        expect(outcome === 'ok').toBe(kind === 'forwarded');
        sequence.push(kind);
      }
      await proxy.close();
      return sequence;
    }
    const first = await run(7);
    expect(new Set(first)).toEqual(new Set(['forwarded', 'droppedRequests', 'droppedResponses', 'resets']));
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
  });

  it('answers 502 when the target is down', async () => {
    const probe = http.createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    probe.close();
    await once(probe, 'close');
    const proxy = await proxyFor({ target: `http://127.0.0.1:${port}` });
    const response = await fetch(`${proxy.url}/v1/orders`, { method: 'POST', body: 'x', signal: AbortSignal.timeout(3000) });
    expect(response.status).toBe(502);
    await response.text();
  });

  it('forwards requests the faulty filter excludes faithfully, even with dropRequest 1', async () => {
    const target = await startTarget();
    const byDefault = await proxyFor({ target: target.url, dropRequest: 1 });
    expect(await attempt(`${byDefault.url}/v1/auth/login`)).toBe('ok');
    expect(await attempt(`${byDefault.url}/v1/orders`)).toBe('fetch-failed');
    expect(byDefault.stats()).toMatchObject({ requests: 2, forwarded: 1, droppedRequests: 1 });

    const postsOnly = await proxyFor({ target: target.url, dropRequest: 1, faulty: ({ method }) => method === 'POST' });
    expect(await attempt(`${postsOnly.url}/v1/orders`, { method: 'GET' })).toBe('ok');
    expect(await attempt(`${postsOnly.url}/v1/orders`)).toBe('fetch-failed');
    expect(target.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /v1/auth/login', 'GET /v1/orders']);

    // Faults can be switched off at run time.
    postsOnly.set({ dropRequest: 0 });
    expect(await attempt(`${postsOnly.url}/v1/orders`)).toBe('ok');
  });

  it('close() resolves promptly with a kept-alive client connection and a request waiting in a delay', async () => {
    const target = await startTarget();
    let arrived: () => void = () => {};
    const delayedArrived = new Promise<void>((resolve) => (arrived = resolve));
    const proxy = await proxyFor({
      target: target.url,
      faulty: ({ path }) => {
        if (path === '/slow') arrived();
        return path === '/slow';
      },
      delayMs: [60_000, 60_000],
    });

    const agent = new http.Agent({ keepAlive: true });
    cleanups.push(async () => agent.destroy());
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${proxy.url}/fast`, { agent }, resolve).on('error', reject);
    });
    response.resume();
    await once(response, 'end');
    expect(response.statusCode).toBe(201);
    const idle = Object.values(agent.freeSockets)[0]?.[0] as Socket | undefined;
    if (!idle) throw new Error('expected an idle kept-alive socket');
    const idleClosed = once(idle, 'close');

    const slow = attempt(`${proxy.url}/slow`);
    await delayedArrived;

    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await idleClosed;
    expect(await slow).toBe('fetch-failed');
    expect(target.received.map((r) => r.url)).toEqual(['/fast']);
  });
});
