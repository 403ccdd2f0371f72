/**
 * Whose local rows: the agent account signed in on this seat. Drafts, local orders, outbox entries
 * and cached caller history carry their owner in the clear (an agent's account is not a citizen's
 * data), so on a seat shared between shifts each agent sees and sends only their own. Rows
 * written before owners were recorded have none and belong to every agent of the seat.
 */
export interface Owned {
  readonly owner?: string;
}

/** The owner a row gets: undefined when no account is known (such rows are shared). */
export function ownerField(owner: string | undefined): { owner?: string } {
  return owner ? { owner } : {};
}

/** True when `row` is the given agent's, or shared. */
export function isMine(row: Owned, owner: string | undefined): boolean {
  return row.owner === undefined || row.owner === owner;
}
