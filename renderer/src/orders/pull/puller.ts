/**
 * When the seat pulls the platform's order changes: once the orders domain has started, whenever
 * the session comes back online, every minute while online, and on "sync now". One pull at a time
 * (a request during a pull gets one more pull after it); failures wait for the next occasion.
 */
import { BridgeError, bridge, call } from '../../ipc/bridge';
import type { LocalCipher } from '../../local-data/sealed';
import type { OrdersDatabase } from '../local/local-db';
import { ordersLog } from '../runtime';
import { pullOrderChanges, type ChangesSource, type PulledNotice } from './order-pull';

export const PULL_INTERVAL_MS = 60_000;

export const bridgeChanges: ChangesSource = (after) => call(bridge().orders.changes({ after }));

export interface PullerDeps {
  db: OrdersDatabase;
  cipher: LocalCipher;
  source?: ChangesSource;
  online(): boolean;
  /** Local orders changed (their status): re-read what is shown. */
  applied(): void;
  notices(list: readonly PulledNotice[]): void;
  intervalMs?: number;
}

export class OrderPuller {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(private readonly deps: PullerDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.pull(), this.deps.intervalMs ?? PULL_INTERVAL_MS);
    void this.pull();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Pull now (when online); resolves when this and any requested follow-up pull are over. Never rejects. */
  pull(): Promise<void> {
    if (this.stopped || !this.deps.online()) return this.running ?? Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const r = await pullOrderChanges(this.deps.db, this.deps.cipher, this.deps.source ?? bridgeChanges);
        if (this.stopped) return;
        if (r.applied > 0) this.deps.applied();
        if (r.notices.length > 0) this.deps.notices(r.notices);
      } catch (error) {
        ordersLog.warn('order changes not pulled', { code: error instanceof BridgeError ? error.code : 'error' });
        return;
      }
    } while (this.again && !this.stopped);
  }
}
