/**
 * The platform's end of Kamailio's evapi module: a TCP connection to Kamailio (evapi listens,
 * the platform connects, so any number of platform instances can serve one Kamailio), netstring
 * frames of JSON each way. Kamailio suspends a queued call's transaction and reports it; the
 * commands name the transaction by its handle ("index:label") so that Kamailio can continue it.
 *
 * Why evapi and not http_async_client: Debian's Kamailio 5.6 ships evapi (kamailio-extra-modules)
 * but not http_async_client; evapi keeps one connection open both ways, so the engine's reports
 * (answered, hung up, call ended) and the platform's commands travel the same path without a
 * request per event; and a report reaches every connected instance, which the distributor's
 * once-only handling makes safe.
 *
 * Reports are validated (switch-events.ts) before anything acts on them; a malformed one is
 * logged without its content (it may carry a caller's Call-ID) and dropped. The connection is
 * re-established with backoff when it drops.
 */
import net from 'node:net';
import { switchEventSchema, type SwitchCommand, type SwitchEvent } from '../../../shared/queue/switch-events';
import type { PlatformLog } from '../log';
import type { SwitchLink } from './distributor';

/** Largest frame accepted from Kamailio (its reports are a few hundred bytes). */
const MAX_FRAME = 64 * 1024;

export class NetstringDecoder {
  private buf: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns the complete frames. Throws on a malformed stream (the caller reconnects). */
  push(chunk: Buffer): string[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10) throw new Error('netstring length too long');
        return out;
      }
      const lenText = this.buf.subarray(0, colon).toString('latin1');
      if (!/^\d{1,6}$/.test(lenText)) throw new Error('bad netstring length');
      const len = Number(lenText);
      if (len > MAX_FRAME) throw new Error('netstring frame too large');
      if (this.buf.length < colon + 1 + len + 1) return out;
      if (this.buf[colon + 1 + len] !== 0x2c) throw new Error('netstring frame not terminated');
      out.push(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8'));
      this.buf = this.buf.subarray(colon + 2 + len);
    }
  }
}

export function netstring(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`, 'latin1'), body, Buffer.from(',', 'latin1')]);
}

/** Kamailio takes the transaction's index and label as numbers. */
export function kamailioCommand(c: SwitchCommand): string {
  const [tindex, tlabel] = c.handle.split(':').map(Number);
  return JSON.stringify({ ...c, tindex, tlabel });
}

/** Kamailio stamps reports with $TV(Sn) ("seconds.micros", a string): the contract's `at` is epoch ms. */
export function withTime(report: unknown): unknown {
  if (typeof report !== 'object' || report === null || !('ts' in report)) return report;
  const { ts, ...rest } = report as { ts: unknown };
  return typeof ts === 'string' && /^\d{1,12}\.\d{1,6}$/.test(ts) ? { ...rest, at: Math.round(Number(ts) * 1000) } : rest;
}

export interface KamailioLinkOptions {
  host: string;
  port: number;
  log: PlatformLog;
  /** `arrivedAt`: performance.now() when the report came off the wire (reports are applied one at a time). */
  onEvent: (e: SwitchEvent, arrivedAt: number) => void | Promise<void>;
  onConnected?: () => void;
}

export class KamailioLink implements SwitchLink {
  private socket: net.Socket | undefined;
  private up = false;
  private stopped = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Reports are applied one after another, in the order Kamailio sent them. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: KamailioLinkOptions) {}

  get connected(): boolean {
    return this.up;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const s = this.socket;
    this.socket = undefined;
    this.up = false;
    if (s && !s.destroyed) await new Promise<void>((resolve) => s.end(() => resolve()));
    s?.destroy();
  }

  send(command: SwitchCommand): boolean {
    if (!this.up || !this.socket) return false;
    this.socket.write(netstring(kamailioCommand(command)));
    return true;
  }

  private connect(): void {
    const { host, port, log } = this.options;
    const decoder = new NetstringDecoder();
    const socket = net.connect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5000);
    socket.on('connect', () => {
      this.up = true;
      this.retryMs = 250;
      log('info', 'connected to the SIP engine (evapi)', { host, port });
      this.options.onConnected?.();
    });
    socket.on('data', (chunk: Buffer) => {
      let frames: string[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        log('warn', 'malformed stream from the SIP engine; reconnecting', { error: (error as Error).message });
        socket.destroy();
        return;
      }
      for (const frame of frames) this.deliver(frame);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const wasUp = this.up;
      this.up = false;
      if (this.socket === socket) this.socket = undefined;
      if (this.stopped) return;
      if (wasUp) log('warn', 'lost the SIP engine (evapi); reconnecting');
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryTimer.unref();
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  private deliver(frame: string): void {
    const arrivedAt = performance.now();
    let parsed: unknown;
    try {
      parsed = JSON.parse(frame);
    } catch {
      this.options.log('warn', 'dropped a report from the SIP engine that is not JSON');
      return;
    }
    const r = switchEventSchema.safeParse(withTime(parsed));
    if (!r.success) {
      this.options.log('warn', 'dropped an invalid report from the SIP engine', { issues: r.error.issues.slice(0, 3).map((i) => i.path.join('.') + ': ' + i.message) });
      return;
    }
    const event = r.data;
    this.chain = this.chain
      .then(() => this.options.onEvent(event, arrivedAt))
      .catch((error: unknown) =>
        this.options.log('error', 'queue report not applied', { event: event.event, error: error instanceof Error ? error.message : String(error) }),
      );
  }
}
