/**
 * Fan-out of live events. Publishers call pg_notify inside their transaction (delivered only if
 * it commits); every instance LISTENs once and forwards each event to its own WebSockets that may
 * see it — so nothing depends on which instance a client or a publisher reached.
 */
import crypto from 'node:crypto';
import { liveEventSchema, type LiveEvent } from '../../../shared/queue/routes';
import type { Database, Queryable } from '../db/database';
import type { PlatformLog } from '../log';
import type { AccessClaims } from '../session/tokens';

export const EVENTS_CHANNEL = 'hotline_events';

export interface EventSocket {
  send(text: string): void;
  readonly readyState: number;
}

export function mayReceive(claims: AccessClaims, event: LiveEvent): boolean {
  if (event.type === 'hello' || event.type === 'reference') return true;
  if (claims.role !== 'admin' && event.orgCode !== claims.org) return false;
  if (event.type !== 'queue') return claims.role === 'lead' || claims.role === 'admin';
  return true;
}

export class EventHub {
  readonly instance = crypto.randomUUID().slice(0, 8);
  private readonly sockets = new Map<EventSocket, AccessClaims>();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly log: PlatformLog,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(EVENTS_CHANNEL, (payload) => this.deliver(payload));
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  add(socket: EventSocket, claims: AccessClaims): void {
    this.sockets.set(socket, claims);
    socket.send(JSON.stringify({ type: 'hello', instance: this.instance, at: new Date().toISOString() }));
  }

  remove(socket: EventSocket): void {
    this.sockets.delete(socket);
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Publish within `tx`: listeners hear it when (and only if) the transaction commits. */
  static async publish(tx: Queryable, event: LiveEvent): Promise<void> {
    await tx.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(liveEventSchema.parse(event))]);
  }

  private deliver(payload: string): void {
    let event: LiveEvent;
    try {
      event = liveEventSchema.parse(JSON.parse(payload));
    } catch {
      this.log('warn', 'ignored a malformed live event');
      return;
    }
    for (const [socket, claims] of this.sockets) {
      if (socket.readyState === 1 && mayReceive(claims, event)) socket.send(payload);
    }
  }
}
