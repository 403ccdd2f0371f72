/**
 * The call distribution: takes the SIP engine's reports (switch-events.ts), keeps the queue in
 * PostgreSQL and decides who gets which call (routing.ts), then tells the engine.
 *
 * Every change runs in one transaction holding one advisory lock, so any number of platform
 * instances may hear the same reports and serve the same engine: the first applies a report, the
 * others find it no longer fits (a repeated `entered`, an earlier attempt) and change nothing.
 * Commands go out after the commit, from the instance that decided. A sweep (every second) ends
 * waits past their line's maximum, takes back offers the engine never reported on, and signs out
 * seats whose workstation stopped beating (the agent shows offline; no call is offered to them).
 */
import type { Database, Queryable } from '../db/database';
import type { PlatformLog } from '../log';
import { transition, type QueueEntryEvent, type QueueEntryState } from '../../../shared/queue/queue-entry';
import { chooseAgent, HEARTBEAT_TIMEOUT_MS, type RoutableAgent } from '../../../shared/queue/routing';
import type { SwitchCommand, SwitchEvent } from '../../../shared/queue/switch-events';
import type { AgentState } from '../../../shared/agent/state';
import { CALL_COLUMNS, entryOf, publishCall, readAgentState, recordEvent, saveEntry, setAgentState, type CallRow, type SeatRow } from './queue-store';
import { EventHub } from './event-hub';

/** One lock for every queue decision, across instances (an arbitrary constant of this app). */
const QUEUE_LOCK = 12345_0015;
/** An offer the engine has not reported on this long after it should have rung out is taken back. */
const OFFER_GRACE_MS = 10_000;
const DEFAULT_LINE = { maxWaitS: 180, ringS: 15, overflowTo: null as string | null };

export interface SwitchLink {
  /** Whether commands can reach the engine now. */
  readonly connected: boolean;
  send(command: SwitchCommand): boolean;
}

export interface DistributorOptions {
  heartbeatTimeoutMs?: number;
  sweepMs?: number;
  now?: () => number;
}

interface LineRow {
  line: string;
  org_code: string;
  max_wait_s: number;
  ring_s: number;
  overflow_to: string | null;
}

interface RoutableSeatRow extends SeatRow {
  state: AgentState;
  since: Date | string;
}

export class Distributor {
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeatTimeoutMs: number;
  private readonly now: () => number;
  /** Routing decision latency (report arrived from the engine → command handed back to it), ms, the latest ones. */
  readonly decisionMs: number[] = [];
  private sweeping = false;

  constructor(
    private readonly db: Database,
    private readonly link: SwitchLink,
    private readonly log: PlatformLog,
    private readonly options: DistributorOptions = {},
  ) {
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.options.sweepMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A report from the engine; `arrivedAt` (performance.now()) when it came off the wire. */
  async onSwitchEvent(e: SwitchEvent, arrivedAt = performance.now()): Promise<void> {
    const heard = arrivedAt;
    const at = e.at ?? this.now();
    const commands = await this.locked(async (tx) => {
      if (e.event === 'entered') {
        await this.enter(tx, e.callId, e.line, e.handle, at);
      } else {
        await this.apply(tx, e, at);
      }
      return this.dispatch(tx);
    });
    this.send(commands, heard);
  }

  /** Offer waiting calls to free agents (after an agent became Ready, a seat joined …). */
  async distribute(): Promise<void> {
    const started = performance.now();
    this.send(await this.locked((tx) => this.dispatch(tx)), started);
  }

  /** Ends waits past their maximum, takes back lost offers, signs out silent seats; then distributes. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const started = performance.now();
      const commands = await this.locked(async (tx) => [...(await this.expire(tx)), ...(await this.dispatch(tx))]);
      this.send(commands, started);
    } catch (error) {
      this.log('warn', 'queue sweep failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.sweeping = false;
    }
  }

  private async locked<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [QUEUE_LOCK]);
      return fn(tx);
    });
  }

  private send(commands: SwitchCommand[], since: number): void {
    for (const c of commands) {
      if (!this.link.send(c)) this.log('warn', 'queue command not delivered', { action: c.action });
    }
    if (commands.length > 0) {
      this.decisionMs.push(performance.now() - since);
      if (this.decisionMs.length > 10_000) this.decisionMs.splice(0, this.decisionMs.length - 10_000);
    }
  }

  private async enter(tx: Queryable, callId: string, line: string, handle: string, at: number): Promise<void> {
    const r = await tx.query<CallRow>(
      `insert into queue_calls (call_id, line, org_code, handle, state, enqueued_at, since)
       values ($1, $2, coalesce((select org_code from queue_lines where line = $2), (select code from organisations where kind = 'center' order by code limit 1)), $3, 'waiting', $4, $4)
       on conflict (call_id) do nothing returning ${CALL_COLUMNS}`,
      [callId, line, handle, new Date(at)],
    );
    const row = r.rows[0];
    if (!row) return;
    await recordEvent(tx, callId, 'entered', at, undefined, { line });
    await publishCall(tx, row);
  }

  private async apply(tx: Queryable, e: Exclude<SwitchEvent, { event: 'entered' }>, at: number): Promise<void> {
    const r = await tx.query<CallRow>(`select ${CALL_COLUMNS} from queue_calls where call_id = $1`, [e.callId]);
    const row = r.rows[0];
    if (!row) return;
    if (e.event === 'ended') {
      if (row.state !== 'answered' || row.talk_ended_at) return;
      // An agent who already moved on (Ready straight after the call) had no wrap-up.
      const s = await tx.query<{ state: AgentState }>('select state from agent_states where user_id = $1', [row.agent_id]);
      const movedOn = s.rows[0] !== undefined && s.rows[0].state !== 'onCall' && s.rows[0].state !== 'afterCallWork';
      const r2 = await tx.query<CallRow>(
        `update queue_calls set talk_ended_at = $2::timestamptz, wrap_ended_at = case when $3::boolean then $2::timestamptz else null end where call_id = $1 returning ${CALL_COLUMNS}`,
        [row.call_id, new Date(at), movedOn],
      );
      await recordEvent(tx, row.call_id, 'ended', at, row.agent_id ?? undefined);
      await publishCall(tx, r2.rows[0]!);
      return;
    }
    if (e.event === 'answered' || e.event === 'notAnswered' || e.event === 'offerFailed') {
      // Only the offer in progress, and only from the agent it rang.
      if (row.state !== 'offered' || row.offers !== e.attempt) return;
      const seat = await tx.query<{ sip_user: string }>('select sip_user from agent_sessions where user_id = $1', [row.agent_id]);
      if (seat.rows[0] && seat.rows[0].sip_user !== e.agent) return;
    }
    const event: QueueEntryEvent =
      e.event === 'answered'
        ? { type: 'answer' }
        : e.event === 'notAnswered'
          ? { type: 'noAnswer' }
          : e.event === 'offerFailed'
            ? { type: 'offerFailed' }
            : { type: 'callerHangup' };
    const before = entryOf(row);
    const next = transition(before, event, at);
    if (!next) return;
    const detail = 'code' in e && e.code !== undefined ? { code: e.code } : undefined;
    await saveEntry(tx, row, next, { type: e.event === 'gone' ? 'callerHangup' : e.event, agentId: row.agent_id ?? undefined, detail });
    if (before.kind !== 'offered' || !row.agent_id) return;
    await this.releaseSeat(tx, row.agent_id);
    if (e.event === 'answered') {
      // The agent is on the call from the moment SIP says so, whatever their workstation reports later.
      await tx.query(
        `update agent_states set state = 'onCall', reason = null, since = $2, set_by = 'system', updated_at = now() where user_id = $1 and state = 'ready'`,
        [row.agent_id, new Date(at)],
      );
      await this.publishAgent(tx, row.agent_id);
    } else if (e.event === 'notAnswered' || e.event === 'offerFailed') {
      await this.setNotReadyForNoAnswer(tx, row.agent_id, at);
    }
  }

  private async setNotReadyForNoAnswer(tx: Queryable, userId: string, at: number): Promise<void> {
    const s = await tx.query<{ state: AgentState }>('select state from agent_states where user_id = $1', [userId]);
    if (s.rows[0]?.state !== 'ready') return;
    await setAgentState(tx, userId, 'notReady', new Date(at), 'noAnswer', 'system');
  }

  private async publishAgent(tx: Queryable, userId: string): Promise<void> {
    const state = await readAgentState(tx, userId);
    if (state) await EventHub.publish(tx, state);
  }

  private async releaseSeat(tx: Queryable, userId: string): Promise<void> {
    await tx.query('update agent_sessions set offered_call_id = null where user_id = $1', [userId]);
  }

  private async lines(tx: Queryable): Promise<Map<string, LineRow>> {
    const r = await tx.query<LineRow>('select line, org_code, max_wait_s, ring_s, overflow_to from queue_lines');
    return new Map(r.rows.map((l) => [l.line, l]));
  }

  /** Pair waiting calls (oldest first) with free agents (idle the longest) of their organisation and line. */
  private async dispatch(tx: Queryable): Promise<SwitchCommand[]> {
    if (!this.link.connected) return [];
    const waiting = await tx.query<CallRow>(`select ${CALL_COLUMNS} from queue_calls where state = 'waiting' order by enqueued_at, call_id`);
    if (waiting.rows.length === 0) return [];
    const now = this.now();
    const seats = await tx.query<RoutableSeatRow>(
      `select s.user_id, s.sip_user, s.lines, s.heartbeat_at, s.offered_call_id, u.org_code, a.state, a.since
       from agent_sessions s join users u on u.id = s.user_id join agent_states a on a.user_id = s.user_id
       where a.state = 'ready' and s.offered_call_id is null and not u.disabled`,
    );
    if (seats.rows.length === 0) return [];
    const free: (RoutableAgent & { sipUser: string; org: string })[] = seats.rows.map((s) => ({
      agentId: s.user_id,
      sipUser: s.sip_user,
      org: s.org_code,
      state: s.state,
      since: new Date(s.since).getTime(),
      heartbeatAt: new Date(s.heartbeat_at).getTime(),
      ...(s.lines ? { lines: s.lines } : {}),
    }));
    const lines = await this.lines(tx);
    const commands: SwitchCommand[] = [];
    for (const row of waiting.rows) {
      const candidates = free.filter((a) => a.org === row.org_code);
      const agent = chooseAgent(candidates, row.line, now, this.heartbeatTimeoutMs);
      if (!agent) continue;
      free.splice(free.indexOf(agent as (typeof free)[number]), 1);
      const next = transition(entryOf(row), { type: 'offer', agentId: agent.agentId }, now) as Extract<QueueEntryState, { kind: 'offered' }>;
      await saveEntry(tx, row, next, { type: 'offered', agentId: agent.agentId });
      await tx.query('update agent_sessions set offered_call_id = $2 where user_id = $1', [agent.agentId, row.call_id]);
      const ringS = lines.get(row.line)?.ring_s ?? DEFAULT_LINE.ringS;
      commands.push({ action: 'offer', callId: row.call_id, handle: row.handle, agent: (agent as (typeof free)[number]).sipUser, attempt: next.offers, ringS });
      if (free.length === 0) break;
    }
    return commands;
  }

  private async expire(tx: Queryable): Promise<SwitchCommand[]> {
    const now = this.now();
    const commands: SwitchCommand[] = [];
    // Seats whose workstation went quiet: out of the distribution, shown offline.
    const silent = await tx.query<{ user_id: string; org_code: string }>(
      `delete from agent_sessions s using users u where u.id = s.user_id and s.heartbeat_at < $1 and s.offered_call_id is null returning s.user_id, u.org_code`,
      [new Date(now - this.heartbeatTimeoutMs)],
    );
    for (const s of silent.rows) {
      await setAgentState(tx, s.user_id, 'offline', new Date(now), undefined, 'system');
      await EventHub.publish(tx, { type: 'agentSeat', orgCode: s.org_code, userId: s.user_id, seat: null });
    }
    const inQueue = await tx.query<CallRow>(`select ${CALL_COLUMNS} from queue_calls where state in ('waiting', 'offered') order by enqueued_at`);
    if (inQueue.rows.length === 0) return commands;
    const lines = await this.lines(tx);
    for (const row of inQueue.rows) {
      const line = lines.get(row.line);
      const maxWaitMs = (line?.max_wait_s ?? DEFAULT_LINE.maxWaitS) * 1000;
      const ringMs = (line?.ring_s ?? DEFAULT_LINE.ringS) * 1000;
      const entry = entryOf(row);
      if (entry.kind === 'offered' && now - entry.since > ringMs + OFFER_GRACE_MS) {
        // The engine never said how the offer ended (it restarted, a report was lost): take it back.
        const next = transition(entry, { type: 'offerFailed' }, now)!;
        await saveEntry(tx, row, next, { type: 'offerLost', agentId: entry.agentId });
        await this.releaseSeat(tx, entry.agentId);
        continue;
      }
      if (entry.kind !== 'waiting' || now - entry.enqueuedAt < maxWaitMs || !this.link.connected) continue;
      const overflowTo = line?.overflow_to ?? undefined;
      const next = transition(entry, { type: 'maxWait', ...(overflowTo ? { overflowTo } : {}) }, now)!;
      await saveEntry(tx, row, next, { type: 'maxWait', ...(overflowTo ? { detail: { target: overflowTo } } : {}) });
      commands.push(overflowTo ? { action: 'overflow', callId: row.call_id, handle: row.handle, target: overflowTo } : { action: 'giveUp', callId: row.call_id, handle: row.handle });
    }
    return commands;
  }
}
