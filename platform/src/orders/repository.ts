/** Work orders: storage (personal data encrypted), numbering, visibility, life cycle, change feed. */
import crypto from 'node:crypto';
import { OPEN_STATUSES, nextStatus, type FollowUpInput, type OrderAction, type OrderInput, type OrderStatus } from '../../../shared/orders/work-order';
import type { CallerFlags, ChangeDetail, Order, OrderChange, OrderSummary, SimilarOrder } from '../../../shared/orders/routes';
import { shanghaiDate } from '../../../shared/base/shanghai-time';
import { ApiProblem } from '../errors';
import type { Tx } from '../context';
import type { Queryable } from '../db/database';
import type { AccessClaims } from '../session/tokens';
import { maskName, maskPhoneNumber, maskPhonesInText, type PersonalDataCipher } from '../security/personal-data';

export interface OrderRow {
  id: string;
  order_no: string;
  client_order_id: string;
  org_code: string;
  created_by_account: string;
  status: OrderStatus;
  version: number;
  channel: Order['channel'];
  request_type: Order['requestType'];
  category_code: string | null;
  urgency: Order['urgency'];
  confidential: boolean;
  title: string;
  content_enc: string;
  summary_enc: string | null;
  caller_enc: string;
  address_enc: string | null;
  disposition: Order['disposition'];
  knowledge_article_id: string | null;
  handling_unit: string | null;
  co_units: string[];
  transfer_target: string | null;
  emergency_line: Order['emergencyLine'] | null;
  not_accepted_reason: Order['notAcceptedReason'] | null;
  call_info: Order['call'] | null;
  deadline: string | null;
  deadline_uncertain: boolean;
  return_count: number;
  extension_days: number;
  callback: Order['callback'] | null;
  follow_up_count: number;
  created_at: Date | string;
  updated_at: Date | string;
}

const SELECT = `select o.*, u.account as created_by_account, to_char(o.deadline, 'YYYY-MM-DD') as deadline
  from orders o join users u on u.id = o.created_by`;

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

/** SQL condition (on alias o) limiting rows to what `user` may see. */
export function visibility(user: AccessClaims, firstParam: number): { sql: string; params: unknown[] } {
  if (user.role === 'admin') return { sql: 'true', params: [] };
  // A sub-center sees what was transferred to it: as the order's target, or by a transfer record.
  if (user.role === 'subcenter') {
    return { sql: `(o.transfer_target = $${firstParam} or exists (select 1 from order_transfers t where t.order_id = o.id and t.target_org = $${firstParam}))`, params: [user.org] };
  }
  return { sql: `o.org_code = $${firstParam}`, params: [user.org] };
}

export function toApiOrder(row: OrderRow, cipher: PersonalDataCipher, plain?: Pick<OrderInput, 'caller' | 'content' | 'address' | 'summary'>): Order {
  const caller = plain?.caller ?? cipher.decryptJson<OrderInput['caller']>(row.caller_enc);
  const opt = <T>(v: T | null | undefined) => (v === null || v === undefined ? undefined : v);
  const summary = plain ? plain.summary : row.summary_enc ? cipher.decrypt(row.summary_enc) : undefined;
  const order: Order = {
    id: row.id,
    orderNo: row.order_no,
    clientOrderId: row.client_order_id,
    status: row.status,
    version: row.version,
    orgCode: row.org_code,
    createdBy: row.created_by_account,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    channel: row.channel,
    requestType: row.request_type,
    categoryCode: opt(row.category_code),
    urgency: row.urgency,
    confidential: row.confidential,
    title: maskPhonesInText(row.title),
    content: maskPhonesInText(plain?.content ?? cipher.decrypt(row.content_enc)),
    summary: summary === undefined ? undefined : maskPhonesInText(summary),
    caller: {
      name: caller.name ? maskName(caller.name) : undefined,
      phone: maskPhoneNumber(caller.phone),
      contact: caller.contact ? maskPhoneNumber(caller.contact) : undefined,
      gender: caller.gender,
      callerType: caller.callerType,
      company: caller.company,
    },
    address: plain ? plain.address : row.address_enc ? cipher.decryptJson(row.address_enc) : undefined,
    disposition: row.disposition,
    knowledgeArticleId: opt(row.knowledge_article_id),
    handlingUnit: opt(row.handling_unit),
    coUnits: row.co_units ?? [],
    transferTarget: opt(row.transfer_target),
    emergencyLine: opt(row.emergency_line),
    notAcceptedReason: opt(row.not_accepted_reason),
    call: opt(row.call_info),
    deadline: opt(row.deadline),
    deadlineUncertain: row.deadline_uncertain ? true : undefined,
    returnCount: row.return_count,
    extensionDays: row.extension_days,
    callback: opt(row.callback),
    followUpCount: row.follow_up_count ?? 0,
  };
  for (const k of Object.keys(order) as (keyof Order)[]) if (order[k] === undefined) delete order[k];
  for (const k of Object.keys(order.caller) as (keyof Order['caller'])[]) if (order.caller[k] === undefined) delete order.caller[k];
  return order;
}

export async function loadOrder(tx: Tx, id: string, user: AccessClaims, forUpdate = false): Promise<OrderRow> {
  const v = visibility(user, 2);
  const r = await tx.query<OrderRow>(`${SELECT} where o.id = $1 and ${v.sql}${forUpdate ? ' for update of o' : ''}`, [id, ...v.params]);
  const row = r.rows[0];
  if (!row) throw new ApiProblem('not_found', 'No such work order');
  return row;
}

/**
 * Order numbers: city prefix + Shanghai date + a 6-digit number from that day's own sequence
 * (QY20261125000123). Sequences never block concurrent writers; a rolled-back order leaves a gap.
 */
/** Sequences known to exist, per database handle. */
const daySequences = new WeakMap<Queryable, Set<string>>();

export function daySequenceName(prefix: string, day: string): string {
  if (!/^[A-Z]{2,4}$/.test(prefix)) throw new Error(`bad city prefix ${prefix}`);
  return `order_no_${prefix.toLowerCase()}_${day.replace(/-/g, '')}`;
}

/** Make sure today's sequence exists (outside the order's transaction: DDL must not wait there). */
export async function ensureDaySequence(db: Queryable, prefix: string, now = new Date()): Promise<void> {
  const name = daySequenceName(prefix, shanghaiDate(now.getTime()));
  let known = daySequences.get(db);
  if (!known) daySequences.set(db, (known = new Set()));
  if (known.has(name)) return;
  const exists = await db.query<{ r: string | null }>('select to_regclass($1)::text as r', [name]);
  if (!exists.rows[0]?.r) {
    try {
      await db.query(`create sequence if not exists ${name} maxvalue 999999`);
    } catch (error) {
      // Two instances creating it at the same moment: the loser sees a duplicate; fine if it now exists.
      const again = await db.query<{ r: string | null }>('select to_regclass($1)::text as r', [name]);
      if (!again.rows[0]?.r) throw error;
    }
  }
  known.add(name);
}

export async function recordChange(
  tx: Tx,
  row: { id: string; order_no: string; status: string; org_code: string; transfer_target: string | null },
  action: string,
  at: Date,
  detailEnc: string | null = null,
) {
  await tx.query(
    `insert into order_changes (order_id, order_no, action, status, org_code, transfer_target, at, detail_enc)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, row.order_no, action, row.status, row.org_code, row.transfer_target, at.toISOString(), detailEnc],
  );
}

/** The order columns written from an input (personal data encrypted, blind indexes computed). */
export function inputColumns(input: OrderInput, cipher: PersonalDataCipher) {
  return {
    channel: input.channel,
    request_type: input.requestType,
    category_code: input.categoryCode ?? null,
    urgency: input.urgency,
    confidential: input.confidential,
    title: input.title,
    content_enc: cipher.encrypt(input.content),
    summary_enc: input.summary === undefined ? null : cipher.encrypt(input.summary),
    caller_enc: cipher.encryptJson(input.caller),
    caller_phone_bidx: cipher.phoneIndex(input.caller.phone),
    address_enc: input.address ? cipher.encryptJson(input.address) : null,
    address_bidx: cipher.addressIndex(input.address) ?? null,
    disposition: input.disposition,
    knowledge_article_id: input.knowledgeArticleId ?? null,
    handling_unit: input.handlingUnit ?? null,
    co_units: input.coUnits ?? [],
    transfer_target: input.transferTarget ?? null,
    emergency_line: input.emergencyLine ?? null,
    not_accepted_reason: input.notAcceptedReason ?? null,
    call_info: input.call ? JSON.stringify(input.call) : null,
  };
}

export interface DeadlinePlanner {
  /** The due date of a request accepted on `start`. */
  forInput(tx: Tx, start: string, input: Pick<OrderInput, 'requestType' | 'urgency'>): Promise<{ date: string; certain: boolean }>;
  /** `days` working days after `start`. */
  add(tx: Tx, start: string, days: number): Promise<{ date: string; certain: boolean }>;
  maxExtensionDays(tx: Tx): Promise<number>;
}

export interface CreateOrderArgs {
  user: AccessClaims;
  clientId: string;
  clientSeq: number;
  idempotencyKey: string;
  requestHash: string;
  clientOrderId: string;
  input: OrderInput;
  submit: boolean;
  cityPrefix: string;
  cipher: PersonalDataCipher;
  /** The due date when the order is dispatched, if any. */
  deadline?: { date: string; certain: boolean };
}

export type CreateOutcome = { kind: 'created'; order: Order } | { kind: 'notClaimed' };

/**
 * Create a work order in ONE statement (atomic without an explicit transaction, one round trip):
 * claim the Idempotency-Key with the reply already stored, advance the client's sequence, number
 * the order from the day's sequence, write the order, its feed entries and its audit entry. If
 * the key was already claimed nothing is written ('notClaimed': replay or conflict, decided by
 * the caller); if the sequence number was used, the statement aborts itself.
 */
interface PreparedCreate {
  id: string;
  day: string;
  now: Date;
  status: OrderStatus;
  cols: ReturnType<typeof inputColumns> & { deadline: string | null; deadline_uncertain: boolean };
  reply: Order;
}

function prepareCreate(a: CreateOrderArgs, now = new Date()): PreparedCreate {
  const day = shanghaiDate(now.getTime());
  const id = crypto.randomUUID();
  const status: OrderStatus = a.submit ? nextStatus('draft', 'submit', a.input.disposition)! : 'draft';
  const due = status === 'dispatched' ? a.deadline : undefined;
  const cols = { ...inputColumns(a.input, a.cipher), deadline: due?.date ?? null, deadline_uncertain: due ? !due.certain : false };
  // The reply is built from what is written (the order number is filled in by the statement).
  const reply = toApiOrder(
    {
      id,
      order_no: '',
      client_order_id: a.clientOrderId,
      org_code: a.user.org,
      created_by_account: a.user.acct,
      status,
      version: 1,
      created_at: now,
      updated_at: now,
      ...cols,
      call_info: a.input.call ?? null,
      return_count: 0,
      extension_days: 0,
      callback: null,
      follow_up_count: 0,
    } as OrderRow,
    a.cipher,
    a.input,
  );
  return { id, day, now, status, cols, reply };
}

export async function createOrder(db: Queryable, a: CreateOrderArgs): Promise<CreateOutcome> {
  const { id, day, now, status, cols, reply } = prepareCreate(a);
  const names = Object.keys(cols);
  const base = 15;
  try {
    const r = await db.query<{ claimed: number; order_no: string | null }>(
      `with n as (
         select $2 || lpad(nextval($3::regclass)::text, 6, '0') as order_no
         where not exists (select 1 from idempotency_keys where key = $9)
       ), k as (
         insert into idempotency_keys (key, client_id, route_id, request_hash, status, response)
         select $9, $10, 'orders.create', $11, 201, jsonb_set($13::jsonb, '{orderNo}', to_jsonb(n.order_no)) from n
         on conflict (key) do nothing
         returning key
       ), s as (
         insert into client_sequences (client_id, last_seq) select $10, $12 from k
         on conflict (client_id) do update set last_seq = excluded.last_seq where client_sequences.last_seq < excluded.last_seq
         returning last_seq
       ), o as (
         insert into orders (id, order_no, client_order_id, org_code, created_by, status, version, created_at, updated_at, ${names.join(', ')})
         select $1, n.order_no, $4, $5, $6, $7, 1, $8, $8, ${names.map((_, i) => `$${i + base + 1}`).join(', ')} from n, s
         returning id, order_no, status, org_code, transfer_target
       ), ch as (
         insert into order_changes (order_id, order_no, action, status, org_code, transfer_target, at)
         select o.id, o.order_no, x.action, o.status, o.org_code, o.transfer_target, $8 from o, unnest($14::text[]) with ordinality as x(action, pos) order by x.pos
       ), au as (
         insert into audit_log (at, actor_id, actor_account, action, subject_type, subject_id, detail)
         select $8, $6, $15, 'order.create', 'order', o.id::text, '{}'::jsonb from o
       )
       select (select count(*) from k)::int as claimed, (select order_no from n) as order_no,
         case when (select count(*) from k) = 1 and (select count(*) from s) = 0
              then hotline_raise('sequence_replayed', 'Sequence number ' || $12 || ' was already used by this client') end as refused`,
      [
        id,
        `${a.cityPrefix}${day.replace(/-/g, '')}`,
        daySequenceName(a.cityPrefix, day),
        a.clientOrderId,
        a.user.org,
        a.user.sub,
        status,
        now.toISOString(),
        a.idempotencyKey,
        a.clientId,
        a.requestHash,
        a.clientSeq,
        JSON.stringify(reply),
        a.submit ? ['create', 'submit'] : ['create'],
        a.user.acct,
        ...Object.values(cols),
      ],
    );
    const row = r.rows[0]!;
    if (row.claimed === 0) return { kind: 'notClaimed' };
    return { kind: 'created', order: { ...reply, orderNo: row.order_no! } };
  } catch (error) {
    const e = error as { code?: string; constraint?: string; hint?: string; message?: string };
    if (e.code === 'P0001' && e.hint === 'sequence_replayed') throw new ApiProblem('sequence_replayed', e.message ?? 'Sequence number already used');
    if (e.code === '23505' && /client_order_id/.test(e.constraint ?? e.message ?? '')) {
      throw new ApiProblem('conflict', 'A work order with this clientOrderId already exists');
    }
    throw error;
  }
}

export async function updateDraft(
  tx: Tx,
  args: { user: AccessClaims; id: string; baseVersion: number; input: OrderInput; cipher: PersonalDataCipher },
): Promise<void> {
  const row = await loadOrder(tx, args.id, args.user, true);
  if (row.version !== args.baseVersion) throw new ApiProblem('conflict', `The order changed (version ${row.version}, not ${args.baseVersion})`);
  if (row.status !== 'draft') throw new ApiProblem('conflict', 'Only a draft can be edited');
  const cols = inputColumns(args.input, args.cipher);
  const names = Object.keys(cols);
  const now = new Date();
  await tx.query(
    `update orders set ${names.map((n, i) => `${n} = $${i + 3}`).join(', ')}, version = version + 1, updated_at = $2 where id = $1`,
    [args.id, now.toISOString(), ...Object.values(cols)],
  );
  await recordChange(tx, { ...row, transfer_target: cols.transfer_target }, 'update', now);
}

/** Who may apply which action (the platform's side of 按责转办 and 督办). */
const ACTION_ROLES: Readonly<Record<OrderAction, readonly AccessClaims['role'][]>> = {
  submit: ['agent', 'subcenter', 'lead'],
  return: ['lead', 'admin', 'subcenter'],
  redispatch: ['lead', 'admin'],
  extend: ['lead', 'admin'],
  reply: ['lead', 'admin', 'subcenter'],
  close: ['lead', 'admin', 'subcenter', 'agent'],
  callback: ['agent', 'lead', 'admin'],
  supervise: ['lead', 'admin'],
};

export async function actOnOrder(
  tx: Tx,
  args: {
    user: AccessClaims;
    id: string;
    baseVersion: number;
    action: OrderAction;
    reason?: string;
    extensionDays?: number;
    handlingUnit?: string;
    solved?: boolean;
    satisfied?: boolean;
    plan?: DeadlinePlanner;
    /** Encrypts what the change says (reasons and notes may name the caller). */
    cipher?: PersonalDataCipher;
  },
): Promise<void> {
  if (!ACTION_ROLES[args.action].includes(args.user.role)) throw new ApiProblem('forbidden', `Role ${args.user.role} cannot ${args.action} a work order`);
  const row = await loadOrder(tx, args.id, args.user, true);
  if (row.version !== args.baseVersion) throw new ApiProblem('conflict', `The order changed (version ${row.version}, not ${args.baseVersion})`);
  const to = nextStatus(row.status, args.action, row.disposition);
  if (!to) throw new ApiProblem('conflict', `Cannot ${args.action} an order that is ${row.status}`);
  const sets: string[] = ['status = $3'];
  const params: unknown[] = [args.id, new Date().toISOString(), to];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    sets.push(`${sql} = $${params.length}`);
  };
  if (args.action === 'supervise' && !args.reason) throw new ApiProblem('invalid_request', 'A supervision needs a note', [{ path: 'reason', message: 'required' }]);
  if (args.action === 'return') {
    if (!args.reason) throw new ApiProblem('invalid_request', 'A return needs a reason', [{ path: 'reason', message: 'required' }]);
    sets.push('return_count = return_count + 1');
  }
  if (args.action === 'submit' && to === 'dispatched' && args.plan) {
    const due = await args.plan.forInput(tx, shanghaiDate(Date.now()), { requestType: row.request_type, urgency: row.urgency });
    add('deadline', due.date);
    add('deadline_uncertain', !due.certain);
  }
  if (args.action === 'redispatch') {
    if (!args.handlingUnit) throw new ApiProblem('invalid_request', 'Say which unit the order goes to', [{ path: 'handlingUnit', message: 'required' }]);
    add('handling_unit', args.handlingUnit);
    if (args.plan) {
      const due = await args.plan.forInput(tx, shanghaiDate(Date.now()), { requestType: row.request_type, urgency: row.urgency });
      add('deadline', due.date);
      add('deadline_uncertain', !due.certain);
    }
  }
  if (args.action === 'extend') {
    if (!args.extensionDays || !args.reason) {
      throw new ApiProblem('invalid_request', 'An extension needs days and a reason', [{ path: 'extensionDays', message: 'required with reason' }]);
    }
    const total = row.extension_days + args.extensionDays;
    if (args.plan && total > (await args.plan.maxExtensionDays(tx))) {
      throw new ApiProblem('invalid_request', `Extensions may not exceed ${await args.plan.maxExtensionDays(tx)} working days in total`, [
        { path: 'extensionDays', message: 'too many' },
      ]);
    }
    add('extension_days', total);
    if (args.plan && row.deadline) {
      const due = await args.plan.add(tx, row.deadline, args.extensionDays);
      add('deadline', due.date);
      add('deadline_uncertain', row.deadline_uncertain || !due.certain);
    }
  }
  if (args.action === 'callback') {
    if (args.solved === undefined || args.satisfied === undefined) {
      throw new ApiProblem('invalid_request', 'A callback records solved and satisfied', [{ path: 'solved', message: 'required' }]);
    }
    add('callback', JSON.stringify({ solved: args.solved, satisfied: args.satisfied }));
  }
  await tx.query(`update orders set ${sets.join(', ')}, version = version + 1, updated_at = $2 where id = $1`, params);
  const detail = changeDetail(args);
  await recordChange(tx, { ...row, status: to }, args.action, new Date(), detail && args.cipher ? args.cipher.encryptJson(detail) : null);
}

/** What an action says, for the feed (only what this action takes). */
function changeDetail(args: { action: OrderAction; reason?: string; extensionDays?: number; handlingUnit?: string; solved?: boolean; satisfied?: boolean }): ChangeDetail | undefined {
  const d: ChangeDetail = {};
  if (['return', 'extend', 'supervise'].includes(args.action) && args.reason) d.reason = args.reason;
  if (args.action === 'extend' && args.extensionDays) d.extensionDays = args.extensionDays;
  if (args.action === 'redispatch' && args.handlingUnit) d.handlingUnit = args.handlingUnit;
  if (args.action === 'callback' && args.solved !== undefined && args.satisfied !== undefined) Object.assign(d, { solved: args.solved, satisfied: args.satisfied });
  return Object.keys(d).length > 0 ? d : undefined;
}

export async function getOrder(tx: Tx, id: string, user: AccessClaims, cipher: PersonalDataCipher): Promise<Order> {
  return toApiOrder(await loadOrder(tx, id, user), cipher);
}

/** Feed checkpoints are "xid:seq" of the last change delivered ("0" = from the start). */
export function parseCheckpoint(checkpoint: string): [string, string] {
  const [xid, seq] = checkpoint.split(':');
  return [xid ?? '0', seq ?? '0'];
}

export async function listChanges(
  tx: Tx,
  user: AccessClaims,
  after: string,
  limit: number,
  cipher?: PersonalDataCipher,
): Promise<{ changes: OrderChange[]; checkpoint: string; hasMore: boolean }> {
  const cond =
    user.role === 'admin'
      ? { sql: 'true', params: [] as unknown[] }
      : user.role === 'subcenter'
        ? { sql: '(c.transfer_target = $4 or exists (select 1 from order_transfers t where t.order_id = c.order_id and t.target_org = $4))', params: [user.org] }
        : { sql: 'c.org_code = $4', params: [user.org] };
  if (after === 'now') {
    // A new reader starts at the head: the last change below the oldest running transaction.
    const head = await tx.query<{ xid: string; seq: string }>(
      `select xid::text as xid, seq::text as seq from order_changes where xid < pg_snapshot_xmin(pg_current_snapshot()) order by xid desc, seq desc limit 1`,
    );
    const h = head.rows[0];
    return { changes: [], checkpoint: h ? `${h.xid}:${h.seq}` : '0', hasMore: false };
  }
  const [xid, seq] = parseCheckpoint(after);
  // Only changes below the oldest running transaction: nothing can still commit before them.
  const r = await tx.query<{ xid: string; seq: string; order_id: string; order_no: string; action: OrderChange['action']; status: OrderStatus; at: Date | string; detail_enc: string | null }>(
    `select c.xid::text as xid, c.seq::text as seq, c.order_id, c.order_no, c.action, c.status, c.at, c.detail_enc from order_changes c
     where (c.xid, c.seq) > ($1::xid8, $2::bigint) and c.xid < pg_snapshot_xmin(pg_current_snapshot()) and ${cond.sql}
     order by c.xid, c.seq limit $3`,
    [xid, seq, limit + 1, ...cond.params],
  );
  const rows = r.rows.slice(0, limit);
  const changes = rows.map((c): OrderChange => {
    const change: OrderChange = { seq: `${c.xid}:${c.seq}`, orderId: c.order_id, orderNo: c.order_no, action: c.action, status: c.status, at: iso(c.at) };
    if (c.detail_enc && cipher) {
      const d = cipher.decryptJson<ChangeDetail>(c.detail_enc);
      // Numbers in free text are masked in lists, as in titles.
      change.detail = d.reason === undefined ? d : { ...d, reason: maskPhonesInText(d.reason) };
    }
    return change;
  });
  return { changes, checkpoint: changes.at(-1)?.seq ?? after, hasMore: r.rows.length > limit };
}

/** An order's title as listed to `user`: a confidential order's title only to its creator, leads and admins. */
export function listedTitle(o: { confidential: boolean; created_by: string; title: string }, user: AccessClaims): string {
  if (o.confidential && (user.role === 'agent' || user.role === 'subcenter') && o.created_by !== user.sub) return '（保密）';
  return maskPhonesInText(o.title);
}

interface SummaryRow {
  id: string;
  order_no: string;
  status: OrderStatus;
  created_at: Date | string;
  request_type: Order['requestType'];
  category_code: string | null;
  title: string;
  disposition: Order['disposition'];
  handling_unit: string | null;
  confidential: boolean;
  created_by: string;
  deadline: string | null;
}

const SUMMARY_COLUMNS = `o.id, o.order_no, o.status, o.created_at, o.request_type, o.category_code, o.title, o.disposition, o.handling_unit,
  o.confidential, o.created_by, to_char(o.deadline, 'YYYY-MM-DD') as deadline`;

function toSummary(o: SummaryRow, user: AccessClaims): OrderSummary {
  const s: OrderSummary = {
    id: o.id,
    orderNo: o.order_no,
    status: o.status,
    createdAt: iso(o.created_at),
    requestType: o.request_type,
    title: listedTitle(o, user),
    disposition: o.disposition,
    confidential: o.confidential,
  };
  if (o.category_code) s.categoryCode = o.category_code;
  if (o.handling_unit) s.handlingUnit = o.handling_unit;
  if (o.deadline) s.deadline = o.deadline;
  return s;
}

/**
 * A caller's orders (newest first, up to `limit`) and the screen-pop flags, counted over every
 * order of the caller that `user` may see — not only the listed ones. Drafts (a call still being
 * typed, possibly this one) are listed but not counted in the flags.
 */
export async function callerHistory(
  tx: Tx,
  user: AccessClaims,
  phoneIndex: string,
  limit: number,
  now = new Date(),
): Promise<{ orders: OrderSummary[]; total: number; flags: CallerFlags }> {
  const v = visibility(user, 4);
  const f = await tx.query<{ total: number; open_orders: number; last30: number; confidential: boolean }>(
    `select count(*)::int as total,
            (count(*) filter (where o.status = any($2::text[])))::int as open_orders,
            (count(*) filter (where o.status <> 'draft' and o.created_at > $3::timestamptz - interval '30 days'))::int as last30,
            coalesce(bool_or(o.confidential) filter (where o.status <> 'draft'), false) as confidential
     from orders o where o.caller_phone_bidx = $1 and ${v.sql}`,
    [phoneIndex, [...OPEN_STATUSES], now.toISOString(), ...v.params],
  );
  const l = visibility(user, 2);
  const r = await tx.query<SummaryRow>(
    `select ${SUMMARY_COLUMNS} from orders o where o.caller_phone_bidx = $1 and ${l.sql}
     order by o.created_at desc, o.id limit $${l.params.length + 2}`,
    [phoneIndex, ...l.params, limit],
  );
  const c = f.rows[0]!;
  return {
    orders: r.rows.map((o) => toSummary(o, user)),
    total: Number(c.total),
    flags: { openOrders: Number(c.open_orders), last30Days: Number(c.last30), confidentialBefore: !!c.confidential },
  };
}

/**
 * Open orders that may be the same matter (并单 candidates): the same caller (phone index) or the
 * same address (address index), optionally only in one top-level category; newest first.
 */
export async function similarOrders(
  tx: Tx,
  user: AccessClaims,
  q: { phoneIndex?: string; addressIndex?: string; topCategory?: string; limit: number },
): Promise<SimilarOrder[]> {
  if (!q.phoneIndex && !q.addressIndex) return [];
  const v = visibility(user, 6);
  const r = await tx.query<SummaryRow & { by_caller: boolean; by_address: boolean }>(
    `select ${SUMMARY_COLUMNS}, coalesce(o.caller_phone_bidx = $1, false) as by_caller, coalesce(o.address_bidx = $2, false) as by_address
     from orders o
     where o.status = any($3::text[]) and (o.caller_phone_bidx = $1 or o.address_bidx = $2)
       and ($4::text is null or split_part(o.category_code, '.', 1) = $4) and ${v.sql}
     order by o.created_at desc, o.id limit $5`,
    [q.phoneIndex ?? null, q.addressIndex ?? null, [...OPEN_STATUSES], q.topCategory ?? null, q.limit, ...v.params],
  );
  return r.rows.map((o) => {
    const matchedBy: SimilarOrder['matchedBy'] = [];
    if (o.by_caller) matchedBy.push('caller');
    if (o.by_address) matchedBy.push('address');
    return { ...toSummary(o, user), matchedBy };
  });
}

/** 并单: record a later call on an open order the user may see; the order's version goes up. */
export async function addFollowUp(tx: Tx, args: { user: AccessClaims; id: string; input: FollowUpInput; cipher: PersonalDataCipher }): Promise<void> {
  const row = await loadOrder(tx, args.id, args.user, true);
  if (!OPEN_STATUSES.includes(row.status)) throw new ApiProblem('conflict', `Cannot add a follow-up to an order that is ${row.status}`);
  const now = new Date();
  const { content, caller, call } = args.input;
  await tx.query(
    `insert into order_follow_ups (id, order_id, content_enc, caller_enc, caller_phone_bidx, call_info, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      crypto.randomUUID(),
      args.id,
      args.cipher.encrypt(content),
      caller ? args.cipher.encryptJson(caller) : null,
      caller ? args.cipher.phoneIndex(caller.phone) : null,
      call ? JSON.stringify(call) : null,
      args.user.sub,
      now.toISOString(),
    ],
  );
  await tx.query('update orders set follow_up_count = follow_up_count + 1, version = version + 1, updated_at = $2 where id = $1', [args.id, now.toISOString()]);
  await recordChange(tx, row, 'followUp', now);
}

/** Whether `code` is one of the configured not-accepted reasons (reference.outOfScope). */
export async function isConfiguredReason(db: Queryable, code: string): Promise<boolean> {
  const r = await db.query('select 1 from out_of_scope_reasons where code = $1', [code]);
  return r.rows.length > 0;
}

/**
 * Orders written before migration 5 get their address index here, at start (it needs the key):
 * only while the migration's pending marker is set, in batches; safe to run on two instances.
 */
export async function backfillAddressIndex(db: Queryable, cipher: PersonalDataCipher, batch = 500): Promise<number> {
  const pending = await db.query(`select 1 from settings where key = 'pending.addressIndex'`);
  if (pending.rows.length === 0) return 0;
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const r = await db.query<{ id: string; address_enc: string }>(
      'select id, address_enc from orders where address_enc is not null and address_bidx is null and id > $1 order by id limit $2',
      [after, batch],
    );
    if (r.rows.length === 0) break;
    const ids: string[] = [];
    const indexes: string[] = [];
    for (const row of r.rows) {
      const index = cipher.addressIndex(cipher.decryptJson<OrderInput['address']>(row.address_enc));
      if (index) {
        ids.push(row.id);
        indexes.push(index);
      }
    }
    if (ids.length) await db.query('update orders o set address_bidx = x.b from unnest($1::uuid[], $2::text[]) as x(id, b) where o.id = x.id', [ids, indexes]);
    done += ids.length;
    after = r.rows.at(-1)!.id;
  }
  await db.query(`delete from settings where key = 'pending.addressIndex'`);
  return done;
}

/** SQL type of every order column written on create (for the batch statement's arrays). */
const COLUMN_TYPES: Readonly<Record<keyof PreparedCreate['cols'], string>> = {
  channel: 'text',
  request_type: 'text',
  category_code: 'text',
  urgency: 'text',
  confidential: 'boolean',
  title: 'text',
  content_enc: 'text',
  summary_enc: 'text',
  caller_enc: 'text',
  caller_phone_bidx: 'text',
  address_enc: 'text',
  address_bidx: 'text',
  disposition: 'text',
  knowledge_article_id: 'text',
  handling_unit: 'text',
  co_units: 'jsonb',
  transfer_target: 'text',
  emergency_line: 'text',
  not_accepted_reason: 'text',
  call_info: 'jsonb',
  deadline: 'date',
  deadline_uncertain: 'boolean',
};

/**
 * Create a batch of one client's orders in ONE statement — the fast path of an outbox push.
 * It succeeds only when every key is new and the sequence numbers follow the client's last one;
 * otherwise it aborts itself (nothing written) and returns undefined, and the caller applies the
 * items one by one to give each its own result.
 */
export async function createOrdersBatch(db: Queryable, items: CreateOrderArgs[]): Promise<Order[] | undefined> {
  if (items.length === 0) return [];
  const first = items[0]!;
  const seqs = items.map((a) => a.clientSeq);
  if (items.some((a) => a.clientId !== first.clientId) || seqs.some((v, i) => i > 0 && v <= seqs[i - 1]!)) return undefined;
  const now = new Date();
  const prepared = items.map((a) => prepareCreate(a, now));
  if (prepared.some((p) => p.day !== prepared[0]!.day)) return undefined;
  const day = prepared[0]!.day;
  const names = Object.keys(COLUMN_TYPES) as (keyof PreparedCreate['cols'])[];
  const fixed = 17; // parameters before the column arrays
  const colParams = names.map((n, i) => `$${fixed + i + 1}::${COLUMN_TYPES[n]}[]`);
  const colValues = names.map((n) => prepared.map((p) => (n === 'co_units' ? JSON.stringify(p.cols.co_units) : p.cols[n])));
  const selectCols = names.map((n) => (n === 'co_units' ? 'array(select jsonb_array_elements_text(n.co_units))' : `n.${n}`));
  try {
    const r = await db.query<{ order_nos: string[] }>(
      `with i as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::jsonb[], ${colParams.join(', ')})
           with ordinality as t(id, key, hash, seq, client_order_id, status, reply, ${names.join(', ')}, ord)
       ), n as (
         select i.*, $8 || lpad(nextval($9::regclass)::text, 6, '0') as order_no from i
       ), k as (
         insert into idempotency_keys (key, client_id, route_id, request_hash, status, response)
         select n.key, $10, 'orders.create', n.hash, 201, jsonb_set(n.reply, '{orderNo}', to_jsonb(n.order_no)) from n
         on conflict (key) do nothing returning key
       ), s as (
         insert into client_sequences (client_id, last_seq) values ($10, $12)
         on conflict (client_id) do update set last_seq = excluded.last_seq where client_sequences.last_seq < $11
         returning 1
       ), o as (
         insert into orders (id, order_no, client_order_id, org_code, created_by, status, version, created_at, updated_at, ${names.join(', ')})
         select n.id, n.order_no, n.client_order_id, $13, $14, n.status, 1, $15, $15, ${selectCols.join(', ')} from n
         returning id, order_no, status, org_code, transfer_target
       ), ch as (
         insert into order_changes (order_id, order_no, action, status, org_code, transfer_target, at)
         select o.id, o.order_no, x.action, o.status, o.org_code, o.transfer_target, $15
         from o, unnest(case when o.status = 'draft' then array['create'] else array['create', 'submit'] end) with ordinality as x(action, pos)
         order by o.order_no, x.pos
       ), au as (
         insert into audit_log (at, actor_id, actor_account, action, subject_type, subject_id, detail)
         select $15, $14, $16, 'order.create', 'order', o.id::text, '{}'::jsonb from o
       )
       select (select array_agg(n.order_no order by n.ord) from n) as order_nos,
         case when (select count(*) from k) <> $17 or (select count(*) from s) = 0 then hotline_raise('batch_fallback', 'apply one by one') end as refused`,
      [
        prepared.map((p) => p.id),
        items.map((a) => a.idempotencyKey),
        items.map((a) => a.requestHash),
        seqs,
        items.map((a) => a.clientOrderId),
        prepared.map((p) => p.status),
        prepared.map((p) => JSON.stringify(p.reply)),
        `${first.cityPrefix}${day.replace(/-/g, '')}`,
        daySequenceName(first.cityPrefix, day),
        first.clientId,
        seqs[0],
        seqs.at(-1),
        first.user.org,
        first.user.sub,
        now.toISOString(),
        first.user.acct,
        items.length,
        ...colValues,
      ],
    );
    const nos = r.rows[0]!.order_nos;
    return prepared.map((p, i) => ({ ...p.reply, orderNo: nos[i]! }));
  } catch (error) {
    const e = error as { code?: string; hint?: string };
    if ((e.code === 'P0001' && e.hint === 'batch_fallback') || e.code === '23505') return undefined;
    throw error;
  }
}
