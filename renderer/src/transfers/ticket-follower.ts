/**
 * The receiving seat: a call that rings with a ticket (X-Ticket-Id) gets its context from the
 * platform at once, while it rings — the order, the 12345 agent's summary, transfers, handling and
 * the caller's history. The ticket is only a claim: a malformed one is never looked up, and the
 * platform answers "not found" for anything this seat may not see (shown as "context unavailable",
 * nothing else). An order that is not on the platform yet (the transferring seat's outbox is
 * behind) is asked for again a few times while the call lasts.
 */
import { callTicket } from './ticket-fetch';
import { setTicket, useTransfersStore, pruneTransfers } from './transfer-store';
import { useCallStore, type CallView } from '../phone/call-store';
import { isLive } from '../../../shared/phone/call-machine';

/** Asked again after a "not found", ms after the first answer (the order may still be on its way). */
export const TICKET_RETRY_MS = [1_000, 3_000, 8_000] as const;

let stop: (() => void) | undefined;

export function followTickets(retry: readonly number[] = TICKET_RETRY_MS): () => void {
  stop?.();
  const started = new Set<string>();
  const timers = new Set<number>();
  const live = (id: string) => {
    const c = useCallStore.getState().calls.find((x) => x.id === id);
    return !!c && isLive(c.state);
  };
  const fetch = (call: CallView, ticketId: string, attempt: number) => {
    void callTicket(ticketId).then((r) => {
      const current = useTransfersStore.getState().tickets[call.id];
      // A later answer never replaces a context already shown.
      if (current?.state === 'ready') return;
      if (r.ok) return setTicket(call.id, { state: 'ready', ticketId, context: r.context, at: Date.now() });
      setTicket(call.id, { state: 'unavailable', ticketId, reason: r.reason });
      const delay = retry[attempt];
      if (delay === undefined || !live(call.id)) return;
      const timer = window.setTimeout(() => {
        timers.delete(timer);
        if (live(call.id)) fetch(call, ticketId, attempt + 1);
      }, delay);
      timers.add(timer);
    });
  };
  const apply = (calls: readonly CallView[]) => {
    for (const c of calls) {
      if (!c.ticket || started.has(c.id)) continue;
      started.add(c.id);
      // The caller took over a consultation that brought the same ticket: its context carries over.
      const prior = Object.entries(useTransfersStore.getState().tickets).find(([id, v]) => id !== c.id && v.state === 'ready' && c.ticket?.kind === 'ticket' && v.ticketId === c.ticket.ticketId);
      if (prior) {
        setTicket(c.id, prior[1]);
        continue;
      }
      if (c.ticket.kind === 'malformed') {
        setTicket(c.id, { state: 'unavailable', reason: 'malformed' });
        continue;
      }
      setTicket(c.id, { state: 'loading', ticketId: c.ticket.ticketId, since: Date.now() });
      fetch(c, c.ticket.ticketId, 0);
    }
  };
  apply(useCallStore.getState().calls);
  const unsubscribe = useCallStore.subscribe((s, prev) => {
    if (s.calls === prev.calls) return;
    apply(s.calls);
    if (s.calls.length < prev.calls.length) pruneTransfers(new Set(s.calls.map((c) => c.id)));
  });
  stop = () => {
    unsubscribe();
    for (const t of timers) window.clearTimeout(t);
    timers.clear();
    stop = undefined;
  };
  return stop;
}

/** Ask again now (the agent's "retry" on an unavailable context). */
export async function refetchTicket(callId: string): Promise<void> {
  const view = useTransfersStore.getState().tickets[callId];
  if (!view?.ticketId) return;
  const ticketId = view.ticketId;
  const r = await callTicket(ticketId);
  if (r.ok) setTicket(callId, { state: 'ready', ticketId, context: r.context, at: Date.now() });
  else setTicket(callId, { state: 'unavailable', ticketId, reason: r.reason });
}
