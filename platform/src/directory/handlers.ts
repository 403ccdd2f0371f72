import type { directoryRoutes, AreaNode, CategoryNode, OutOfScopeReason, Phrase, Unit } from '../../../shared/directory/routes';
import { ApiProblem } from '../errors';
import { entryOf, upsertDirectoryEntry, type DirectoryRow } from './entries';
import { appendAudit } from '../audit/audit-chain';
import { REFERENCE_KINDS, bumpVersion, getDeadlinePolicy, versionOf } from './reference';
import type { HandlerTable } from '../handler';

/** Run an admin change, then drop this instance's cached calendar/policy (others hear the NOTIFY). */
async function withInvalidation<T>(ctx: { calendar: { invalidate(): void } }, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    ctx.calendar.invalidate();
  }
}

export const directoryHandlers: HandlerTable<typeof directoryRoutes> = {
  versions: async (ctx) => {
    const r = await ctx.db.query<{ kind: string; version: number }>('select kind, version from reference_versions');
    const out: Record<string, number> = Object.fromEntries(REFERENCE_KINDS.map((k) => [k, 0]));
    for (const row of r.rows) out[row.kind] = row.version;
    return { body: out };
  },

  directory: async (ctx) => {
    const r = await ctx.db.query<DirectoryRow>('select * from hotline_directory order by number');
    return { body: { version: await versionOf(ctx.db, 'directory'), entries: r.rows.map(entryOf) } };
  },

  units: async (ctx) => {
    const r = await ctx.db.query<Unit>('select code, name, kind, parent, hotline from units order by code');
    return { body: { version: await versionOf(ctx.db, 'units'), units: r.rows } };
  },

  categories: async (ctx) => {
    const r = await ctx.db.query<{ code: string; name: string; parent_code: string | null }>('select code, name, parent_code from categories order by position, code');
    const nodes = new Map<string, CategoryNode>(r.rows.map((c) => [c.code, { code: c.code, name: c.name, children: [] }]));
    const roots: CategoryNode[] = [];
    for (const c of r.rows) {
      const node = nodes.get(c.code)!;
      const parent = c.parent_code ? nodes.get(c.parent_code) : undefined;
      (parent ? parent.children : roots).push(node);
    }
    return { body: { version: await versionOf(ctx.db, 'categories'), categories: roots } };
  },

  areas: async (ctx) => {
    const r = await ctx.db.query<{ code: string; name: string; kind: AreaNode['kind']; parent_code: string | null }>('select code, name, kind, parent_code from areas order by position, code');
    const nodes = new Map<string, AreaNode>(r.rows.map((a) => [a.code, { code: a.code, name: a.name, kind: a.kind, children: [] }]));
    const roots: AreaNode[] = [];
    for (const a of r.rows) {
      const parent = a.parent_code ? nodes.get(a.parent_code) : undefined;
      (parent ? parent.children : roots).push(nodes.get(a.code)!);
    }
    return { body: { version: await versionOf(ctx.db, 'areas'), areas: roots } };
  },

  phrases: async (ctx) => {
    const r = await ctx.db.query<Phrase>('select id, group_name as "group", text from phrases order by position, id');
    return { body: { version: await versionOf(ctx.db, 'phrases'), phrases: r.rows } };
  },

  outOfScope: async (ctx) => {
    const r = await ctx.db.query<OutOfScopeReason>('select code, name, wording from out_of_scope_reasons order by position, code');
    return { body: { version: await versionOf(ctx.db, 'outOfScope'), reasons: r.rows } };
  },

  deadlinePolicy: async (ctx) => ({ body: { version: await versionOf(ctx.db, 'deadlinePolicy'), policy: await getDeadlinePolicy(ctx.db) } }),

  calendar: async (ctx) => {
    const { from, to } = ctx.query;
    const days = await ctx.db.query<{ date: string; kind: 'holiday' | 'workday'; name: string }>(
      `select to_char(day, 'YYYY-MM-DD') as date, kind, name from calendar_days
       where day >= make_date($1::int, 1, 1) and day <= make_date($2::int, 12, 31) order by day`,
      [from, to],
    );
    const years = await ctx.db.query<{ year: number }>('select year from calendar_years order by year');
    return { body: { version: await versionOf(ctx.db, 'calendar'), knownYears: years.rows.map((y) => Number(y.year)), days: days.rows } };
  },

  setCalendarDay: async (ctx) =>
    withInvalidation(ctx, () => ctx.db.transaction(async (tx) => {
      const { date } = ctx.params;
      if (ctx.body.kind === 'normal') await tx.query('delete from calendar_days where day = $1', [date]);
      else {
        await tx.query(
          `insert into calendar_days (day, kind, name, source) values ($1, $2, $3, 'admin')
           on conflict (day) do update set kind = excluded.kind, name = excluded.name, source = 'admin', updated_at = now()`,
          [date, ctx.body.kind, ctx.body.name],
        );
      }
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'calendar.setDay', subjectType: 'date', subjectId: date, detail: { kind: ctx.body.kind } });
      return { body: { version: await bumpVersion(tx, 'calendar') } };
    })),

  setCalendarYear: async (ctx) =>
    withInvalidation(ctx, () => ctx.db.transaction(async (tx) => {
      const { year } = ctx.params;
      if (ctx.body.known) await tx.query(`insert into calendar_years (year, source) values ($1, 'admin') on conflict (year) do update set source = 'admin', updated_at = now()`, [year]);
      else await tx.query('delete from calendar_years where year = $1', [year]);
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'calendar.setYear', subjectType: 'year', subjectId: String(year), detail: { known: ctx.body.known } });
      return { body: { version: await bumpVersion(tx, 'calendar') } };
    })),

  putDirectoryEntry: async (ctx) => {
    if (ctx.body.number !== ctx.params.number) throw new ApiProblem('invalid_request', 'The entry names another number than its address', [{ path: 'number', message: 'differs from the path' }]);
    return ctx.db.transaction(async (tx) => {
      await upsertDirectoryEntry(tx, ctx.body);
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'directory.put', subjectType: 'hotline', subjectId: ctx.params.number });
      return { body: { version: await bumpVersion(tx, 'directory') } };
    });
  },

  deleteDirectoryEntry: async (ctx) =>
    ctx.db.transaction(async (tx) => {
      const r = await tx.query('delete from hotline_directory where number = $1 returning number', [ctx.params.number]);
      if (r.rows.length === 0) throw new ApiProblem('not_found', 'No such directory entry');
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'directory.delete', subjectType: 'hotline', subjectId: ctx.params.number });
      return { body: { version: await bumpVersion(tx, 'directory') } };
    }),

  setDeadlinePolicy: async (ctx) =>
    withInvalidation(ctx, () => ctx.db.transaction(async (tx) => {
      await tx.query(
        `insert into settings (key, value) values ('deadlinePolicy', $1) on conflict (key) do update set value = excluded.value, updated_at = now()`,
        [JSON.stringify(ctx.body)],
      );
      await appendAudit(tx, { actorId: ctx.user.sub, actorAccount: ctx.user.acct, action: 'deadlinePolicy.set', subjectType: 'settings', subjectId: 'deadlinePolicy' });
      return { body: { version: await bumpVersion(tx, 'deadlinePolicy'), policy: ctx.body } };
    })),
};
