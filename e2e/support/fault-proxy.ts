/**
 * A fault-injecting HTTP proxy between the workstation's HTTP client and the platform server, for
 * e2e tests and benchmarks: the outbox's delivery must survive lost requests, responses lost after
 * the platform committed, connection resets and delays.
 *
 * Faults are chosen per request by a seeded mulberry32 PRNG. A request subject to faults takes exactly
 * four draws when it arrives (outcome, delay, reset point, cut point), so one seed and one request
 * order reproduce the same faults however the asynchronous work interleaves. The outcome draw u in
 * [0, 1) picks: [0, dropRequest) drop the request, the next dropResponse wide range drop the response,
 * the next reset wide range reset the connection, anything above forward faithfully. Requests the
 * `faulty` filter excludes (by default /v1/auth/*) take no draw and pass untouched, without delay.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../../shared/base/prng';

export interface FaultSettings {
  /** Probability that the request is read and then the connection dropped, nothing forwarded. */
  dropRequest: number;
  /** Probability that the request is forwarded, the response awaited, then the connection dropped. */
  dropResponse: number;
  /** Probability that the connection is reset before forwarding or in the middle of the response. */
  reset: number;
  /** Uniform random delay [min, max] in ms before a faulty-eligible request is acted on. */
  delayMs: [number, number];
}

export interface FaultStats {
  requests: number;
  forwarded: number;
  droppedRequests: number;
  droppedResponses: number;
  resets: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A copy; requests = forwarded + droppedRequests + droppedResponses + resets. */
  stats(): FaultStats;
  /** Changes the faults at run time (e.g. all 0 to let a test finish). */
  set(settings: Partial<FaultSettings>): void;
  /** Closes the server and destroys every open socket, client and upstream. */
  close(): Promise<void>;
}

export type Observed = void | 'drop';

export type FaultFilter = (req: { method: string; path: string }) => boolean;

export type FaultProxyOptions = {
  /** The platform's base URL (plain http). */
  target: string;
  /** PRNG seed (default 1). */
  seed?: number;
  /** 0 or unset: any free port. */
  port?: number;
  /** Which requests are subject to faults; `path` has no query. Default: all but /v1/auth/*. */
  faulty?: FaultFilter;
  /**
   * Called (and awaited) for each faithfully forwarded request when it is about to go upstream
   * ('received') and when the platform's whole answer is in, not yet passed on ('answered'): a
   * test crashes the workstation at those moments (request lost / committed but unanswered).
   * Answering 'drop' drops the connection there, as the crash would.
   */
  observe?: (e: { method: string; path: string; phase: 'received' | 'answered' }) => Observed | Promise<Observed>;
} & Partial<FaultSettings>;

type Plan =
  | { kind: 'forward'; delayMs: number }
  | { kind: 'dropRequest'; delayMs: number }
  | { kind: 'dropResponse'; delayMs: number }
  | { kind: 'reset'; delayMs: number; afterResponse: boolean; cut: number };

/** Per-hop headers (RFC 9110 §7.6.1) describe one connection and must not cross the proxy. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** Sign-in is exempt by default so tests fault the traffic under study, not the session set-up. */
const DEFAULT_FAULTY: FaultFilter = ({ path }) => !path.startsWith('/v1/auth/');


function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  // Connection may name further per-hop headers.
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || name.startsWith('proxy-') || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function checked(settings: FaultSettings): FaultSettings {
  for (const key of ['dropRequest', 'dropResponse', 'reset'] as const) {
    const p = settings[key];
    if (!(p >= 0 && p <= 1)) throw new RangeError(`fault proxy: ${key} must be in [0, 1], got ${p}`);
  }
  if (settings.dropRequest + settings.dropResponse + settings.reset > 1 + 1e-9) {
    throw new RangeError('fault proxy: dropRequest + dropResponse + reset must be at most 1');
  }
  const [min, max] = settings.delayMs;
  if (!(min >= 0 && max >= min)) throw new RangeError(`fault proxy: delayMs must be [min, max] with 0 <= min <= max, got [${min}, ${max}]`);
  return { ...settings, delayMs: [min, max] };
}

/** Resolves once the request body has been read to the end, or the client has gone. */
function drained(req: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
    req.resume();
  });
}

async function readAll(stream: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`fault proxy: the target must be http://, got ${options.target}`);
  const basePath = target.pathname.replace(/\/$/, '');
  let settings = checked({
    dropRequest: options.dropRequest ?? 0,
    dropResponse: options.dropResponse ?? 0,
    reset: options.reset ?? 0,
    delayMs: options.delayMs ?? [0, 0],
  });
  const random = mulberry32(options.seed ?? 1);
  const faulty = options.faulty ?? DEFAULT_FAULTY;
  const stats: FaultStats = { requests: 0, forwarded: 0, droppedRequests: 0, droppedResponses: 0, resets: 0 };
  const agent = new http.Agent({ keepAlive: true });
  const clientSockets = new Set<Socket>();
  const upstreamRequests = new Set<http.ClientRequest>();
  // Aborts pending delays on close(), so no timer outlives the proxy or forwards afterwards.
  const closing = new AbortController();

  function plan(method: string, path: string): Plan {
    if (!faulty({ method, path })) return { kind: 'forward', delayMs: 0 };
    // Always four draws, whatever the outcome, so the sequence depends only on the request order.
    const u = random();
    const d = random();
    const point = random();
    const cut = random();
    const { dropRequest, dropResponse, reset } = settings;
    const [min, max] = settings.delayMs;
    const delayMs = min + d * (max - min);
    if (u < dropRequest) return { kind: 'dropRequest', delayMs };
    if (u < dropRequest + dropResponse) return { kind: 'dropResponse', delayMs };
    if (u < dropRequest + dropResponse + reset) return { kind: 'reset', delayMs, afterResponse: point >= 0.5, cut };
    return { kind: 'forward', delayMs };
  }

  async function pause(ms: number): Promise<void> {
    if (ms > 0) await sleep(ms, undefined, { signal: closing.signal });
    if (closing.signal.aborted) throw new Error('fault proxy closed');
  }

  function openUpstream(req: http.IncomingMessage, res: http.ServerResponse): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      if (closing.signal.aborted) return reject(new Error('fault proxy closed'));
      const headers = endToEndHeaders(req.headers);
      headers.host = target.host;
      const upstream = http.request({
        hostname: target.hostname,
        port: target.port || 80,
        method: req.method,
        path: basePath + (req.url ?? '/'),
        headers,
        agent,
      });
      upstreamRequests.add(upstream);
      upstream.on('close', () => upstreamRequests.delete(upstream));
      let response: http.IncomingMessage | undefined;
      upstream.on('response', (incoming) => {
        response = incoming;
        resolve(incoming);
      });
      // Stays attached after the response, so a late socket error cannot go unhandled.
      upstream.on('error', reject);
      // A client that goes away mid-exchange must not leave the upstream exchange hanging.
      res.on('close', () => {
        if (!response?.complete) upstream.destroy();
      });
      req.pipe(upstream);
    });
  }

  function badGateway(req: http.IncomingMessage, res: http.ServerResponse, error: unknown): void {
    if (res.headersSent || req.socket.destroyed) {
      req.socket.destroy();
      return;
    }
    const body = `fault proxy: upstream failed: ${error instanceof Error ? error.message : String(error)}\n`;
    res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    stats.requests++;
    const step = plan(req.method ?? 'GET', (req.url ?? '/').split('?')[0] ?? '/');
    switch (step.kind) {
      case 'forward':
        stats.forwarded++;
        break;
      case 'dropRequest':
        stats.droppedRequests++;
        // The whole request went out, as far as the client can tell; then the line goes dead.
        await drained(req);
        await pause(step.delayMs);
        req.socket.destroy();
        return;
      case 'dropResponse':
        stats.droppedResponses++;
        break;
      case 'reset':
        stats.resets++;
        if (!step.afterResponse) {
          await pause(step.delayMs);
          req.socket.resetAndDestroy();
          return;
        }
        break;
    }

    await pause(step.delayMs);
    // A client that gave up during the delay has nothing left to forward.
    if (req.socket.destroyed) return;

    const observed = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/' };
    if (step.kind === 'forward' && options.observe) {
      if ((await options.observe({ ...observed, phase: 'received' })) === 'drop' || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      let upRes: http.IncomingMessage;
      let body: Buffer;
      try {
        upRes = await openUpstream(req, res);
        body = await readAll(upRes);
      } catch (error) {
        badGateway(req, res, error);
        return;
      }
      if ((await options.observe({ ...observed, phase: 'answered' })) === 'drop' || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      const headers = endToEndHeaders(upRes.headers);
      headers['content-length'] = body.length;
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
      res.end(body);
      return;
    }

    if (step.kind === 'forward') {
      let upRes: http.IncomingMessage;
      try {
        upRes = await openUpstream(req, res);
      } catch (error) {
        badGateway(req, res, error);
        return;
      }
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, endToEndHeaders(upRes.headers));
      upRes.on('error', () => req.socket.destroy());
      upRes.pipe(res);
      return;
    }

    // dropResponse and a late reset await the whole upstream response: the platform has committed.
    let upRes: http.IncomingMessage;
    let body: Buffer;
    try {
      upRes = await openUpstream(req, res);
      body = await readAll(upRes);
    } catch {
      req.socket.destroy();
      return;
    }
    if (step.kind === 'dropResponse') {
      req.socket.destroy();
      return;
    }
    // A body under 2 bytes cannot be cut short, so that connection is reset before the status line.
    if (body.length < 2) {
      req.socket.resetAndDestroy();
      return;
    }
    const headers = endToEndHeaders(upRes.headers);
    headers['content-length'] = body.length;
    res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, headers);
    // 1 .. length-1 bytes: the client has the headers and knows the body came short.
    const cut = 1 + Math.floor(step.cut * (body.length - 1));
    res.write(body.subarray(0, cut), () => req.socket.destroy());
  }

  const server = http.createServer();
  server.on('connection', (socket: Socket) => {
    clientSockets.add(socket);
    socket.on('close', () => clientSockets.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('upgrade', (_req: http.IncomingMessage, socket: Socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server's errors (e.g. EMFILE on accept) must not take down the test process.
  server.on('error', () => {});
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stats: () => ({ ...stats }),
    set(partial) {
      settings = checked({ ...settings, ...partial });
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        for (const request of upstreamRequests) request.destroy();
        agent.destroy();
        for (const socket of clientSockets) socket.destroy();
      });
      return closed;
    },
  };
}
