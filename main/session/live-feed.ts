/**
 * A live feed: one WebSocket from main to the platform's event stream while someone follows it
 * (the access token stays here), each event validated before it is passed on. It reconnects by
 * itself with backoff; every (re)connection is told as `live`, so a follower can resynchronise
 * (the lead's view takes a fresh snapshot, the directory checks its versions): nothing missed
 * while down is lost. Used by the lead's view (queue) and the reference data (directory).
 */
import WebSocket from 'ws';
import { liveEventSchema, EVENTS_STREAM_PATH, type LiveEvent } from '../../shared/queue/routes';
import type { FeedState } from '../../shared/queue/ipc';
import type { Logger } from '../logging/logger';
import type { PlatformClient } from './platform-client';

export interface LiveFeedOptions {
  platform: Pick<PlatformClient, 'accessToken'>;
  onEvent(e: LiveEvent): void;
  onState(s: FeedState): void;
  logger: Logger;
  /** Backoff bounds, ms (tests shorten them). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

export class LiveFeed {
  private socket: WebSocket | undefined;
  private on = false;
  private retryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private state: FeedState['state'] = 'off';

  constructor(private readonly o: LiveFeedOptions) {
    this.retryMs = o.retryMinMs ?? 500;
  }

  follow(on: boolean): void {
    if (on === this.on) {
      // Asked again (the view re-opened): say where it stands so the view can resynchronise.
      if (on) this.o.onState({ state: this.state, at: Date.now() });
      return;
    }
    this.on = on;
    if (on) {
      void this.connect();
    } else {
      clearTimeout(this.timer);
      this.socket?.close();
      this.socket = undefined;
      this.setState('off');
    }
  }

  dispose(): void {
    this.follow(false);
  }

  private setState(state: FeedState['state']): void {
    this.state = state;
    this.o.onState({ state, at: Date.now() });
  }

  private async connect(): Promise<void> {
    if (!this.on) return;
    this.setState('connecting');
    let target: { baseUrl: string; token: string };
    try {
      target = await this.o.platform.accessToken();
    } catch {
      this.retry();
      return;
    }
    if (!this.on) return;
    const ws = new WebSocket(target.baseUrl.replace(/^http/, 'ws') + EVENTS_STREAM_PATH, { headers: { authorization: `Bearer ${target.token}` }, maxPayload: 256 * 1024 });
    this.socket = ws;
    ws.on('open', () => {
      this.retryMs = this.o.retryMinMs ?? 500;
      this.setState('live');
    });
    ws.on('message', (data) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(data));
      } catch {
        this.o.logger.warn('live feed: dropped a message that is not JSON');
        return;
      }
      const r = liveEventSchema.safeParse(parsed);
      if (!r.success) {
        this.o.logger.warn('live feed: dropped an event that breaks the contract');
        return;
      }
      this.o.onEvent(r.data);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.socket !== ws) return;
      this.socket = undefined;
      if (this.on) this.retry();
    });
  }

  private retry(): void {
    if (!this.on) return;
    this.setState('down');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref?.();
    this.retryMs = Math.min(this.retryMs * 2, this.o.retryMaxMs ?? 5000);
  }
}
