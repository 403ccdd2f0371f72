/**
 * Versioned schema migrations, applied in order at start under an advisory lock (so two
 * instances starting together do not race). Released migrations are never edited.
 */
import type { Database } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, work orders, idempotency, change feed, audit',
    sql: `
create table organisations (
  code text primary key,
  name text not null,
  kind text not null check (kind in ('center', 'subcenter', 'dualLine', 'unit'))
);

create table users (
  id uuid primary key,
  account text not null unique,
  display_name text not null,
  role text not null check (role in ('agent', 'subcenter', 'lead', 'admin')),
  org_code text not null references organisations(code),
  password_hash text not null,
  disabled boolean not null default false,
  created_at timestamptz not null default now()
);

create table refresh_tokens (
  token_hash text primary key,
  user_id uuid not null references users(id),
  family uuid not null,
  client_id text not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index refresh_tokens_family on refresh_tokens(family);

create table login_attempts (
  key text primary key,
  window_start timestamptz not null,
  failures integer not null
);

create table orders (
  id uuid primary key,
  order_no text not null unique,
  client_order_id uuid not null unique,
  org_code text not null references organisations(code),
  created_by uuid not null references users(id),
  status text not null,
  version integer not null,
  channel text not null,
  request_type text not null,
  category_code text,
  urgency text not null,
  confidential boolean not null,
  title text not null,
  content_enc text not null,
  caller_enc text not null,
  caller_phone_bidx text not null,
  address_enc text,
  disposition text not null,
  knowledge_article_id text,
  handling_unit text,
  co_units text[] not null default '{}',
  transfer_target text,
  emergency_line text,
  not_accepted_reason text,
  call_info jsonb,
  deadline date,
  return_count integer not null default 0,
  extension_days integer not null default 0,
  callback jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index orders_caller on orders(caller_phone_bidx, created_at desc);
create index orders_transfer on orders(transfer_target) where transfer_target is not null;

-- The change feed is read in (xid, seq) order and only below the oldest running transaction
-- (pg_snapshot_xmin), so a reader never skips a change that commits late — without a hot row
-- that would serialise every writer.
create table order_changes (
  seq bigserial primary key,
  xid xid8 not null default pg_current_xact_id(),
  order_id uuid not null references orders(id),
  order_no text not null,
  action text not null,
  status text not null,
  org_code text not null,
  transfer_target text,
  at timestamptz not null
);
create index order_changes_feed on order_changes (xid, seq);

create table idempotency_keys (
  key text primary key,
  client_id text not null,
  route_id text not null,
  request_hash text not null,
  status integer,
  response jsonb,
  created_at timestamptz not null default now()
);

create table client_sequences (
  client_id text primary key,
  last_seq bigint not null
);

create table audit_log (
  seq bigserial primary key,
  xid xid8 not null default pg_current_xact_id(),
  at timestamptz not null,
  actor_id uuid,
  actor_account text not null,
  action text not null,
  subject_type text not null,
  subject_id text not null,
  detail jsonb not null default '{}'
);
create index audit_log_order on audit_log (xid, seq);

-- Seals chain the audit entries in (xid, seq) order: each seal holds the hash of the previous
-- one, so removing or altering an entry or a seal breaks the chain. Sealing runs behind the
-- writers (see audit/audit-chain.ts) so that recording an entry never waits for another request.
create table audit_seals (
  pos bigint primary key,
  audit_seq bigint not null unique references audit_log(seq),
  prev_hash text not null,
  hash text not null
);

-- Lets a single statement abort itself (and everything it wrote) with an API error code.
create function hotline_raise(code text, msg text) returns integer language plpgsql as $$
begin
  raise exception using errcode = 'P0001', message = msg, hint = code;
end $$;

-- Append-only: the audit log and its seals can be read and added to, never changed.
create function audit_log_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_immutable();
create trigger audit_seals_no_update before update or delete on audit_seals
  for each row execute function audit_log_immutable();
`,
  },
  {
    version: 2,
    name: 'reference data, working-day calendar, deadlines, knowledge base',
    sql: `
create table calendar_years (year integer primary key, source text not null, updated_at timestamptz not null default now());
create table calendar_days (
  day date primary key,
  kind text not null check (kind in ('holiday', 'workday')),
  name text not null,
  source text not null,
  updated_at timestamptz not null default now()
);

create table units (
  code text primary key,
  name text not null,
  kind text not null,
  parent text,
  hotline text
);

create table categories (
  code text primary key,
  name text not null,
  parent_code text,
  position integer not null
);

create table hotline_directory (
  number text primary key,
  name text not null,
  merge_mode text not null,
  status text not null,
  unit_code text,
  transfer_uri text,
  three_way boolean not null,
  service_hours text not null,
  note text
);

create table settings (key text primary key, value jsonb not null, updated_at timestamptz not null default now());

-- Bumped whenever a reference data set changes, so clients refetch only what changed.
create table reference_versions (kind text primary key, version integer not null, updated_at timestamptz not null default now());

alter table orders add column deadline_uncertain boolean not null default false;

create table knowledge_counter (id integer primary key check (id = 1), last bigint not null);
insert into knowledge_counter values (1, 0);

create table knowledge_articles (
  id text primary key,
  title text not null,
  body text not null,
  unit_code text,
  hotlines text[] not null default '{}',
  keywords text[] not null default '{}',
  category_code text,
  valid_from date not null,
  valid_to date,
  version integer not null,
  deleted boolean not null default false,
  change_seq bigint not null unique,
  updated_at timestamptz not null
);

create table knowledge_feedback (
  id uuid primary key,
  article_id text not null references knowledge_articles(id),
  article_version integer not null,
  kind text not null check (kind in ('wrong', 'outdated', 'unclear', 'other')),
  comment text not null,
  actor_id uuid not null references users(id),
  at timestamptz not null default now(),
  resolved boolean not null default false
);
`,
  },
  {
    version: 3,
    name: 'agent states for the live view',
    sql: `
create table agent_states (
  user_id uuid primary key references users(id),
  state text not null,
  reason text,
  since timestamptz not null,
  updated_at timestamptz not null default now()
);
`,
  },
  {
    version: 4,
    name: 'where keyed (HMAC) audit sealing starts',
    // Seals below keyed_from_pos were made before the chain was keyed (plain SHA-256); the platform
    // authenticates this row with the audit key at start (mac, set once) so it cannot be moved.
    sql: `
create table audit_chain_mark (
  singleton boolean primary key default true check (singleton),
  keyed_from_pos bigint not null check (keyed_from_pos >= 1),
  mac text
);
insert into audit_chain_mark (keyed_from_pos) select coalesce(max(pos), 0) + 1 from audit_seals;
create function audit_chain_mark_write_once() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and old.mac is null and new.mac is not null
     and new.keyed_from_pos = old.keyed_from_pos and new.singleton = old.singleton then
    return new;
  end if;
  raise exception 'audit_chain_mark is write-once';
end $$;
create trigger audit_chain_mark_no_update before update or delete on audit_chain_mark
  for each row execute function audit_chain_mark_write_once();
create trigger audit_chain_mark_no_truncate before truncate on audit_chain_mark
  for each statement execute function audit_chain_mark_write_once();
`,
  },
  {
    version: 5,
    name: 'screen-pop and work orders: areas, phrases, out-of-scope reasons, summaries, follow-ups, address index',
    // Orders written before this migration have no address index: it is a keyed hash of the
    // decrypted address, so SQL cannot compute it. The pending marker below makes the next start
    // (with the key) fill it in — see backfillAddressIndex in orders/repository.ts.
    sql: `
alter table hotline_directory add column category_code text;

create table areas (
  code text primary key,
  name text not null,
  kind text not null check (kind in ('district', 'street')),
  parent_code text,
  position integer not null
);

create table phrases (
  id text primary key,
  group_name text not null,
  text text not null,
  position integer not null
);

create table out_of_scope_reasons (
  code text primary key,
  name text not null,
  wording text not null,
  position integer not null
);

-- The national scope of acceptance (不予受理); a deployment edits its own list.
insert into out_of_scope_reasons (code, name, wording, position) values
  ('litigation', '涉诉事项', '您反映的事项属于诉讼范围，建议您通过人民法院依法解决。', 1),
  ('arbitration', '仲裁事项', '您反映的事项属于仲裁范围，建议您向有管辖权的仲裁机构申请仲裁。', 2),
  ('disciplineInspection', '纪检监察事项', '您反映的事项属于纪检监察范围，建议您向纪检监察机关反映。', 3),
  ('administrativeReview', '行政复议事项', '您反映的事项属于行政复议范围，建议您依法向行政复议机关提出申请。', 4),
  ('informationDisclosure', '政府信息公开申请', '政府信息公开申请请按照《政府信息公开条例》向相关行政机关提出。', 5),
  ('petition', '已进入信访渠道', '您反映的事项已进入信访程序，请通过信访渠道继续跟进。', 6),
  ('secretsOrPrivacy', '涉及秘密或隐私', '您反映的事项涉及国家秘密、商业秘密或个人隐私，热线无法受理，请向有关主管部门反映。', 7),
  ('publicOrder', '违背公序良俗', '您的诉求违背公序良俗，热线不予受理，感谢您的理解。', 8),
  ('other', '其他不予受理情形', '您反映的事项不属于热线受理范围，建议您通过其他合法途径反映。', 9);
insert into reference_versions (kind, version) values ('outOfScope', 1) on conflict (kind) do nothing;

alter table orders add column summary_enc text;
alter table orders add column follow_up_count integer not null default 0;
-- Keyed hash (like caller_phone_bidx) of the normalised district|street|detail, for 并单 candidates.
alter table orders add column address_bidx text;
create index orders_address on orders(address_bidx, created_at desc) where address_bidx is not null;

-- 并单: later calls about the same matter, added to an open order.
create table order_follow_ups (
  id uuid primary key,
  order_id uuid not null references orders(id),
  content_enc text not null,
  caller_enc text,
  caller_phone_bidx text,
  call_info jsonb,
  created_by uuid not null references users(id),
  created_at timestamptz not null
);
create index order_follow_ups_order on order_follow_ups(order_id, created_at);
create index order_follow_ups_caller on order_follow_ups(caller_phone_bidx) where caller_phone_bidx is not null;

insert into settings (key, value) select 'pending.addressIndex', 'true'::jsonb
  where exists (select 1 from orders where address_enc is not null);
`,
  },
  {
    version: 6,
    name: 'what a change says: return and extension reasons, supervision notes, call-back results in the feed',
    // Free text written by units and leads may name the caller: kept encrypted like order content.
    sql: `
alter table order_changes add column detail_enc text;
`,
  },
  {
    version: 7,
    name: 'the knowledge search synonym table',
    // One current table, replaced whole by an admin; clients fetch it again when the version moves.
    sql: `
create table knowledge_synonyms (
  id integer primary key check (id = 1),
  version integer not null,
  rows jsonb not null,
  updated_at timestamptz not null default now()
);
insert into knowledge_synonyms (id, version, rows) values (1, 0, '[]'::jsonb);
`,
  },
  {
    version: 8,
    name: 'call distribution: queue lines, queued calls and their events, agent sessions',
    // The queue lives here, not in one process: every platform instance serving the SIP engine
    // reads and changes it under one advisory lock (platform/src/queue/distributor.ts).
    sql: `
create table queue_lines (
  line text primary key,
  org_code text not null references organisations(code),
  max_wait_s integer not null default 180 check (max_wait_s between 10 and 3600),
  ring_s integer not null default 15 check (ring_s between 3 and 120),
  overflow_to text
);
create table queue_calls (
  call_id text primary key,
  line text not null,
  org_code text not null,
  handle text not null,
  state text not null check (state in ('waiting', 'offered', 'answered', 'abandoned', 'overflowed')),
  enqueued_at timestamptz not null,
  since timestamptz not null,
  offers integer not null default 0,
  agent_id uuid references users(id),
  reason text,
  while_offered boolean not null default false,
  target text,
  talk_ended_at timestamptz,
  wrap_ended_at timestamptz
);
create index queue_calls_in_queue on queue_calls(enqueued_at) where state in ('waiting', 'offered');
create index queue_calls_left on queue_calls(org_code, since);
create index queue_calls_agent on queue_calls(agent_id, since) where state = 'answered';
-- Every change of a queued call as it happened: the raw record the figures can be checked against.
create table queue_events (
  id bigserial primary key,
  call_id text not null,
  type text not null,
  agent_id uuid,
  at timestamptz not null,
  detail jsonb
);
create index queue_events_call on queue_events(call_id);
create table agent_sessions (
  user_id uuid primary key references users(id),
  session_id uuid not null,
  sip_user text not null unique,
  lines text[],
  started_at timestamptz not null,
  heartbeat_at timestamptz not null,
  offered_call_id text
);
alter table agent_states add column set_by text;
`,
  },
  {
    version: 9,
    name: 'transfers with context: transfer and handling records on orders, structured service hours',
    // A transfer is recorded before the caller leaves (pending) and again with its outcome; the
    // organisation it went to may then see the order (visibility in orders/repository.ts).
    sql: `
create table order_transfers (
  id uuid primary key,
  order_id uuid not null references orders(id),
  kind text not null check (kind in ('blind', 'attended', 'threeWay', 'emergency')),
  target_number text not null,
  target_name text,
  target_org text,
  outcome text not null check (outcome in ('pending', 'connected', 'failed', 'readOut')),
  reason text,
  started_at timestamptz not null,
  ended_at timestamptz,
  by_user uuid not null references users(id),
  by_org text not null,
  recorded_at timestamptz not null default now()
);
create index order_transfers_order on order_transfers(order_id, started_at);
create index order_transfers_target on order_transfers(target_org, order_id) where target_org is not null;
create table order_handling (
  id uuid primary key,
  order_id uuid not null references orders(id),
  text_enc text not null,
  at timestamptz not null,
  by_user uuid not null references users(id),
  by_org text not null,
  recorded_at timestamptz not null default now()
);
create index order_handling_order on order_handling(order_id, at);
alter table hotline_directory add column hours jsonb;
alter table hotline_directory add column emergency_rule text check (emergency_rule in ('transfer', 'readOut'));
`,
  },
];

const LOCK_ID = 12345_0001;

export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.query(`create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
      const r = await tx.query('select 1 from schema_migrations where version = $1', [m.version]);
      if (r.rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
