/** A ticket's context through main (the platform decides what this seat may see). */
import type { TicketContext } from '../../../shared/transfers/routes';
import { bridge, BridgeError, call } from '../ipc/bridge';

export type TicketAnswer = { ok: true; context: TicketContext } | { ok: false; reason: 'notFound' | 'unreachable' };

export async function callTicket(ticketId: string): Promise<TicketAnswer> {
  try {
    return { ok: true, context: await call(bridge().transfers.context({ ticketId })) };
  } catch (error) {
    // not_found: no such order for this seat — the same answer whatever the reason.
    return { ok: false, reason: error instanceof BridgeError && error.code === 'not_found' ? 'notFound' : 'unreachable' };
  }
}
