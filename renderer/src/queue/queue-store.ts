/**
 * The shift lead's live queue: a snapshot from the platform (calls of the shift, agents, seats,
 * lines, thresholds), then every live event main relays. Each time the feed comes (back) up the
 * snapshot is taken again, so nothing missed while it was down is lost; an event older than what
 * the store holds never replaces it. Plain data; figures are computed from it (lead-figures.ts).
 */
import { create } from 'zustand';
import type { AgentStateEvent, LiveEvent, QueueCallView } from '../../../shared/queue/routes';
import type { FeedState, QueueSnapshot } from '../../../shared/queue/ipc';
import { DEFAULT_THRESHOLDS, type QueueThresholds } from '../../../shared/queue/thresholds';
import type { NotReadyReason } from '../../../shared/agent/state';
import { bridge, call } from '../ipc/bridge';

type Seat = QueueSnapshot['seats'][number];

export interface QueueState {
  readonly open: boolean;
  readonly calls: Readonly<Record<string, QueueCallView>>;
  readonly agents: Readonly<Record<string, AgentStateEvent>>;
  readonly seats: Readonly<Record<string, Seat>>;
  readonly lines: QueueSnapshot['lines'];
  readonly thresholds: QueueThresholds;
  /** Where the shift's figures start (epoch ms). */
  readonly from: number;
  readonly feed: FeedState['state'];
  readonly loadedAt?: number;
  readonly error?: string;
}

const empty = (): QueueState => ({ open: false, calls: {}, agents: {}, seats: {}, lines: [], thresholds: DEFAULT_THRESHOLDS, from: 0, feed: 'off' });

export const useQueueStore = create<QueueState>()(empty);

const byKey = <T>(items: readonly T[], key: (t: T) => string): Record<string, T> => Object.fromEntries(items.map((i) => [key(i), i]));

/** Take the snapshot (again) and replace what the store holds. */
export async function loadSnapshot(): Promise<void> {
  try {
    const s = await call(bridge().queue.snapshot({}));
    useQueueStore.setState({
      calls: byKey(s.calls, (c) => c.callId),
      agents: byKey(s.agents, (a) => a.userId),
      seats: byKey(s.seats, (x) => x.userId),
      lines: s.lines,
      thresholds: s.thresholds,
      from: s.from,
      loadedAt: s.at,
      error: undefined,
    });
  } catch (error) {
    useQueueStore.setState({ error: error instanceof Error ? error.message : String(error) });
  }
}

/** Apply one live event (pure; exported for tests). */
export function applyLive(s: QueueState, e: LiveEvent): Partial<QueueState> | undefined {
  switch (e.type) {
    case 'queueCall': {
      const held = s.calls[e.call.callId];
      // A change never goes back in time (events of one call arrive in order, but a snapshot may be newer).
      if (held && (held.since > e.call.since || (held.since === e.call.since && rank(held) > rank(e.call)))) return undefined;
      return { calls: { ...s.calls, [e.call.callId]: e.call } };
    }
    case 'agentState': {
      const held = s.agents[e.userId];
      if (held && Date.parse(held.since) > Date.parse(e.since)) return undefined;
      return { agents: { ...s.agents, [e.userId]: e } };
    }
    case 'agentSeat': {
      const seats = { ...s.seats };
      if (e.seat) seats[e.userId] = e.seat;
      else delete seats[e.userId];
      return { seats };
    }
    case 'thresholds':
      return { thresholds: e.thresholds };
    default:
      return undefined;
  }
}

/** Within one moment: later states of a call outrank earlier ones; ended talk and wrap-up count too. */
function rank(c: QueueCallView): number {
  const order = { waiting: 0, offered: 1, answered: 2, abandoned: 2, overflowed: 2 } as const;
  return order[c.state] * 4 + (c.talkEndedAt ? 1 : 0) + (c.wrapEndedAt ? 2 : 0);
}

let offs: (() => void)[] = [];

/** The lead opened the view: follow the live feed (main connects) and load the snapshot. */
export function openLeadView(): void {
  if (useQueueStore.getState().open) return;
  useQueueStore.setState({ open: true });
  const api = bridge();
  offs = [
    api.queue.onLive((e) => {
      const patch = applyLive(useQueueStore.getState(), e);
      if (patch) useQueueStore.setState(patch);
    }),
    api.queue.onFeed((f) => {
      const was = useQueueStore.getState().feed;
      useQueueStore.setState({ feed: f.state });
      // Up again (or for the first time): resynchronise from a fresh snapshot.
      if (f.state === 'live' && was !== 'live') void loadSnapshot();
    }),
  ];
  void call(api.queue.follow({ on: true }));
  void loadSnapshot();
}

export function closeLeadView(): void {
  if (!useQueueStore.getState().open) return;
  for (const off of offs) off();
  offs = [];
  void call(bridge().queue.follow({ on: false })).catch(() => undefined);
  useQueueStore.setState({ open: false, feed: 'off' });
}

export async function setAgentNotReady(userId: string, reason: Exclude<NotReadyReason, 'noAnswer'>): Promise<void> {
  await call(bridge().queue.setAgentNotReady({ userId, reason }));
}

export async function saveThresholds(t: QueueThresholds): Promise<void> {
  await call(bridge().queue.setThresholds(t));
  useQueueStore.setState({ thresholds: t });
}

export function resetQueueStore(): void {
  closeLeadView();
  useQueueStore.setState(empty());
}
