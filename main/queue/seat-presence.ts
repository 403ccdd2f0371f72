/**
 * This seat in the call distribution: while an agent (or sub-center seat) is signed in to the
 * platform with a SIP extension configured, main signs the seat in to the queue at that extension
 * and beats its heart (the platform stops offering calls to a seat not heard from for 30 s), and
 * reports every change of the agent's state with the moment it happened.
 *
 * The platform may set the agent's state itself — Not ready after an offered call rang out, or a
 * lead's choice; the heartbeat's answer carries it, and a state set by someone else after the
 * seat's own last change is handed to the renderer (`onStateSet`), which adopts it and says why.
 * A report that could not be sent is sent again on the next beat (only the latest state matters).
 */
import crypto from 'node:crypto';
import { platformApi } from '../../shared/http';
import type { AgentStatus } from '../../shared/agent/state';
import type { PlatformStatus } from '../../shared/session/ipc';
import type { StateSet } from '../../shared/queue/ipc';
import type { Logger } from '../logging/logger';
import type { PlatformClient } from '../session/platform-client';

export interface SeatPresenceOptions {
  platform: Pick<PlatformClient, 'call' | 'status' | 'onStatus'>;
  /** The SIP extension this workstation registers (empty: not a seat of the distribution). */
  extension(): string;
  agentStatus(): AgentStatus;
  onAgentStatus(listener: (s: AgentStatus) => void): () => void;
  onStateSet(s: StateSet): void;
  logger: Logger;
  /** Default: every 10 s, or what the platform asks for. */
  heartbeatMs?: number;
}

const SEAT_ROLES = new Set(['agent', 'subcenter']);

export class SeatPresence {
  /** One per run of the workstation: the platform tells a restart from a heartbeat. */
  private readonly sessionId = crypto.randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private heartbeatMs: number;
  private unreported: AgentStatus | undefined;
  private joined = false;
  private readonly offs: (() => void)[] = [];
  private beating: Promise<void> | undefined;

  constructor(private readonly o: SeatPresenceOptions) {
    this.heartbeatMs = o.heartbeatMs ?? 10_000;
  }

  start(): void {
    this.offs.push(this.o.platform.onStatus((s) => this.onPlatform(s)));
    this.offs.push(
      this.o.onAgentStatus((s) => {
        this.unreported = s;
        void this.report();
      }),
    );
    this.onPlatform(this.o.platform.status());
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** For tests: the next beat now. */
  beat(): Promise<void> {
    this.beating ??= this.doBeat().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private isSeat(s: PlatformStatus): boolean {
    return s.state === 'online' && SEAT_ROLES.has(s.user?.role ?? '') && this.o.extension() !== '';
  }

  private onPlatform(s: PlatformStatus): void {
    if (s.state === 'online') {
      if (!this.timer && !this.beating) {
        // Signed in (again): the current state is reported with the first beat. A seat without an
        // extension yet keeps checking (the agent may enter it in the settings).
        this.unreported = this.o.agentStatus();
        void this.beat();
      }
    } else if (s.state === 'signedOut') {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.joined = false;
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
    this.timer.unref?.();
  }

  private async doBeat(): Promise<void> {
    if (!this.isSeat(this.o.platform.status())) {
      this.joined = false;
      if (this.o.platform.status().state !== 'signedOut') this.schedule();
      return;
    }
    try {
      const r = await this.o.platform.call(platformApi.queue.joinQueue, { body: { sessionId: this.sessionId, sipUser: this.o.extension() } });
      if (!this.joined) this.o.logger.info('seat joined the call distribution');
      this.joined = true;
      this.heartbeatMs = this.o.heartbeatMs ?? r.heartbeatS * 1000;
      await this.report();
      const theirs = r.agent;
      const mine = this.o.agentStatus();
      // Set on the platform by someone else, after the seat's own last change: the agent adopts it.
      if (theirs?.setBy && theirs.state === 'notReady' && !this.unreported && Date.parse(theirs.since) > mine.since && !(mine.state === 'notReady' && mine.reason === theirs.reason)) {
        this.o.onStateSet({ state: theirs.state, since: theirs.since, setBy: theirs.setBy, ...(theirs.reason ? { reason: theirs.reason } : {}) });
      }
    } catch (error) {
      this.o.logger.warn('queue heartbeat failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.schedule();
    }
  }

  private async report(): Promise<void> {
    const s = this.unreported;
    if (!s || !this.joined || !this.isSeat(this.o.platform.status())) return;
    try {
      await this.o.platform.call(platformApi.queue.reportAgentState, {
        body: { state: s.state, ...(s.state === 'notReady' && s.reason ? { reason: s.reason } : {}), since: new Date(s.since).toISOString() },
      });
      if (this.unreported === s) this.unreported = undefined;
    } catch (error) {
      this.o.logger.warn('agent state not reported; again with the next heartbeat', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}
