/**
 * Transfers and handling records on orders, found by ticket (the order's client id). Everything is
 * read through the orders' visibility: a sub-center reaches an order only once it was transferred
 * to it, so a forged or foreign ticket is "no such order" — never a hint that it exists.
 */
import type { HandlingInput, HandlingRecord, TicketContext, TransferInput, TransferRecord } from '../../../shared/transfers/routes';
import { ApiProblem } from '../errors';
import type { Tx } from '../context';
import type { AccessClaims } from '../session/tokens';
import { maskPhonesInText, type PersonalDataCipher } from '../security/personal-data';
import { callerHistory, recordChange, toApiOrder, visibility, type OrderRow } from '../orders/repository';
import { directoryEntry } from '../directory/entries';

const ORDER_SELECT = `select o.*, u.account as created_by_account, to_char(o.deadline, 'YYYY-MM-DD') as deadline
  from orders o join users u on u.id = o.created_by`;

/** The order a ticket names, if `user` may see it (404 otherwise, whatever the reason). */
export async function orderByTicket(tx: Tx, ticketId: string, user: AccessClaims, forUpdate = false): Promise<OrderRow & { caller_phone_bidx: string }> {
  const v = visibility(user, 2);
  const r = await tx.query<OrderRow & { caller_phone_bidx: string }>(`${ORDER_SELECT} where o.client_order_id = $1 and ${v.sql}${forUpdate ? ' for update of o' : ''}`, [ticketId, ...v.params]);
  const row = r.rows[0];
  if (!row) throw new ApiProblem('not_found', 'No such work order');
  return row;
}

interface TransferRow {
  id: string;
  order_id: string;
  kind: TransferRecord['kind'];
  target_number: string;
  target_name: string | null;
  target_org: string | null;
  outcome: TransferRecord['outcome'];
  reason: TransferRecord['reason'] | null;
  started_at: Date | string;
  ended_at: Date | string | null;
  by_account: string;
  by_name: string;
  by_org: string;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

function transferOf(r: TransferRow): TransferRecord {
  return {
    id: r.id,
    kind: r.kind,
    targetNumber: r.target_number,
    ...(r.target_name ? { targetName: r.target_name } : {}),
    ...(r.target_org ? { targetOrg: r.target_org } : {}),
    outcome: r.outcome,
    ...(r.reason ? { reason: r.reason } : {}),
    startedAt: iso(r.started_at),
    ...(r.ended_at ? { endedAt: iso(r.ended_at) } : {}),
    by: r.by_account,
    byName: r.by_name,
    byOrg: r.by_org,
  };
}

const TRANSFER_SELECT = `select t.*, u.account as by_account, u.display_name as by_name from order_transfers t join users u on u.id = t.by_user`;

async function transferById(tx: Tx, id: string): Promise<TransferRow | undefined> {
  const r = await tx.query<TransferRow>(`${TRANSFER_SELECT} where t.id = $1`, [id]);
  return r.rows[0];
}

/**
 * Record a transfer (first pending, then its outcome). The same id again updates it while it is
 * pending; a final outcome is kept (a late or repeated pending never undoes it). The target's
 * organisation comes from the directory: once recorded, that organisation may see the order.
 */
export async function recordTransfer(tx: Tx, args: { user: AccessClaims; ticketId: string; transferId: string; input: TransferInput }): Promise<TransferRecord> {
  const order = await orderByTicket(tx, args.ticketId, args.user, true);
  const existing = await transferById(tx, args.transferId);
  if (existing && existing.order_id !== order.id) throw new ApiProblem('conflict', 'This transfer belongs to another order');
  const t = args.input;
  if (existing) {
    if (existing.kind !== t.kind || existing.target_number !== t.targetNumber) throw new ApiProblem('conflict', 'A transfer keeps its kind and target');
    if (existing.outcome !== 'pending' || t.outcome === 'pending') return transferOf(existing);
    await tx.query('update order_transfers set outcome = $2, reason = $3, ended_at = $4 where id = $1', [args.transferId, t.outcome, t.reason ?? null, t.endedAt ?? null]);
  } else {
    const entry = await directoryEntry(tx, t.targetNumber);
    const org = entry?.unitCode ? (await tx.query<{ code: string }>('select code from organisations where code = $1', [entry.unitCode])).rows[0]?.code : undefined;
    await tx.query(
      `insert into order_transfers (id, order_id, kind, target_number, target_name, target_org, outcome, reason, started_at, ended_at, by_user, by_org)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [args.transferId, order.id, t.kind, t.targetNumber, entry?.name ?? null, org ?? null, t.outcome, t.reason ?? null, t.startedAt, t.endedAt ?? null, args.user.sub, args.user.org],
    );
  }
  const saved = (await transferById(tx, args.transferId))!;
  // The feed tells the order's centre and the target (its transfer_target names the target's organisation).
  await recordChange(tx, { ...order, transfer_target: saved.target_org ?? order.transfer_target }, 'transfer', new Date(), null);
  return transferOf(saved);
}

export async function addHandling(
  tx: Tx,
  args: { user: AccessClaims; ticketId: string; handlingId: string; input: HandlingInput; cipher: PersonalDataCipher },
): Promise<HandlingRecord> {
  const order = await orderByTicket(tx, args.ticketId, args.user, true);
  const prior = await tx.query<{ order_id: string }>('select order_id from order_handling where id = $1', [args.handlingId]);
  if (prior.rows[0] && prior.rows[0].order_id !== order.id) throw new ApiProblem('conflict', 'This handling record belongs to another order');
  if (!prior.rows[0]) {
    await tx.query('insert into order_handling (id, order_id, text_enc, at, by_user, by_org) values ($1, $2, $3, $4, $5, $6)', [
      args.handlingId,
      order.id,
      args.cipher.encrypt(args.input.text),
      args.input.at,
      args.user.sub,
      args.user.org,
    ]);
    const detail = { note: args.input.text.slice(0, 500), org: args.user.org };
    await recordChange(tx, { ...order, transfer_target: args.user.role === 'subcenter' ? args.user.org : order.transfer_target }, 'handling', new Date(), args.cipher.encryptJson(detail));
  }
  return (await handlingOf(tx, order.id, args.cipher, args.handlingId))[0]!;
}

async function handlingOf(tx: Tx, orderId: string, cipher: PersonalDataCipher, id?: string): Promise<HandlingRecord[]> {
  const r = await tx.query<{ id: string; text_enc: string; at: Date | string; by_account: string; by_name: string; by_org: string }>(
    `select h.id, h.text_enc, h.at, h.by_org, u.account as by_account, u.display_name as by_name from order_handling h join users u on u.id = h.by_user
     where h.order_id = $1 ${id ? 'and h.id = $2' : ''} order by h.at, h.recorded_at`,
    id ? [orderId, id] : [orderId],
  );
  // Numbers in free text are masked as in an order's content.
  return r.rows.map((h) => ({ id: h.id, text: maskPhonesInText(cipher.decrypt(h.text_enc)), at: iso(h.at), by: h.by_account, byName: h.by_name, byOrg: h.by_org }));
}

/** What the receiving seat's pop shows for a ticket. */
export async function ticketContext(tx: Tx, args: { user: AccessClaims; ticketId: string; cipher: PersonalDataCipher }): Promise<TicketContext> {
  const row = await orderByTicket(tx, args.ticketId, args.user);
  const transfers = await tx.query<TransferRow>(`${TRANSFER_SELECT} where t.order_id = $1 order by t.started_at, t.recorded_at`, [row.id]);
  return {
    order: toApiOrder(row, args.cipher),
    transfers: transfers.rows.map(transferOf),
    handling: await handlingOf(tx, row.id, args.cipher),
    history: await callerHistory(tx, args.user, row.caller_phone_bidx, 10),
  };
}
