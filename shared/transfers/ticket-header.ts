/**
 * The `X-Ticket-Id` header: which order a transferred call belongs to (the order's client id).
 * It is set by seats of this system on the INVITE a target receives (and carried in the Refer-To of
 * a blind transfer); anything else may forge it, so it is read as a claim: only its form is checked
 * here, and the platform decides whether the receiving seat may see that order at all.
 */
import { ticketIdSchema } from './routes';

export const TICKET_HEADER = 'X-Ticket-Id';

/**
 * What an incoming call says about its ticket: none, a well-formed id, or a value that is not one
 * (malformed: shown as "context unavailable", never looked up).
 */
export type TicketClaim = { kind: 'none' } | { kind: 'ticket'; ticketId: string } | { kind: 'malformed' };

/** Read the header's values (a header repeated with different values is malformed too). */
export function readTicketHeader(values: readonly string[]): TicketClaim {
  if (values.length === 0) return { kind: 'none' };
  const distinct = [...new Set(values.map((v) => v.trim().toLowerCase()))];
  if (distinct.length !== 1 || distinct[0]!.length > 64) return { kind: 'malformed' };
  const parsed = ticketIdSchema.safeParse(distinct[0]);
  return parsed.success ? { kind: 'ticket', ticketId: parsed.data } : { kind: 'malformed' };
}

/** The header line for an outgoing INVITE (the id checked first: nothing else goes into SIP). */
export function ticketHeaderLine(ticketId: string): string {
  return `${TICKET_HEADER}: ${ticketIdSchema.parse(ticketId)}`;
}

/**
 * A Refer-To target carrying the ticket as a URI header (RFC 3261 §19.1.5): a transferee that
 * honours URI headers puts it on the INVITE it sends to the target.
 */
export function referTargetWithTicket(uri: string, ticketId: string): string {
  const id = ticketIdSchema.parse(ticketId);
  return `${uri}${uri.includes('?') ? '&' : '?'}${TICKET_HEADER}=${id}`;
}
