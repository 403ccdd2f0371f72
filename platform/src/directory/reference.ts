/** Reference data versions, the deadline policy, and deadlines computed in working days. */
import { GUANGDONG_POLICY, deadlinePolicySchema, type DeadlinePolicy } from '../../../shared/directory/deadline-policy';
import type { WorkCalendar } from '../../../shared/directory/working-days';
import type { Queryable } from '../db/database';
import { loadWorkCalendar } from './calendar';
import { EventHub } from '../queue/event-hub';

export const REFERENCE_KINDS = ['directory', 'units', 'categories', 'deadlinePolicy', 'calendar', 'knowledge', 'areas', 'phrases', 'outOfScope'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export async function bumpVersion(tx: Queryable, kind: ReferenceKind): Promise<number> {
  const r = await tx.query<{ version: number }>(
    `insert into reference_versions (kind, version) values ($1, 1)
     on conflict (kind) do update set version = reference_versions.version + 1, updated_at = now() returning version`,
    [kind],
  );
  await tx.query('select pg_notify($1, $2)', [REFERENCE_CHANNEL, kind]);
  const version = r.rows[0]!.version;
  // Seats hear it on the live stream and refetch the set at once (the directory of transfer targets).
  await EventHub.publish(tx, { type: 'reference', kind, version });
  return version;
}

export async function versionOf(db: Queryable, kind: ReferenceKind): Promise<number> {
  const r = await db.query<{ version: number }>('select version from reference_versions where kind = $1', [kind]);
  return r.rows[0]?.version ?? 0;
}

export async function getDeadlinePolicy(db: Queryable): Promise<DeadlinePolicy> {
  const r = await db.query<{ value: unknown }>(`select value from settings where key = 'deadlinePolicy'`);
  const parsed = deadlinePolicySchema.safeParse(r.rows[0]?.value);
  return parsed.success ? parsed.data : GUANGDONG_POLICY;
}

export const REFERENCE_CHANNEL = 'hotline_reference';

/**
 * The calendar and the deadline policy, held in memory and dropped when they change: by the
 * instance that changed them (after its commit) and by every other instance on the NOTIFY that
 * bumpVersion sends — so creating an order costs no extra query.
 */
export class CalendarCache {
  private cached: Promise<{ calendar: WorkCalendar; policy: DeadlinePolicy }> | undefined;

  current(db: Queryable): Promise<{ calendar: WorkCalendar; policy: DeadlinePolicy }> {
    this.cached ??= (async () => ({ calendar: await loadWorkCalendar(db), policy: await getDeadlinePolicy(db) }))();
    const p = this.cached;
    p.catch(() => {
      if (this.cached === p) this.cached = undefined;
    });
    return p;
  }

  async get(db: Queryable): Promise<WorkCalendar> {
    return (await this.current(db)).calendar;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
