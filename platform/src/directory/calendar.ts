/**
 * The working-day calendar of the platform: the State Council notices bundled with `chinese-days`
 * (2004–2026) as the starting point, then edited at run time by administrators (a new year's
 * notice, a mid-year revision). Stored in calendar_days / calendar_years.
 */
import { createRequire } from 'node:module';
import { WorkCalendar, type DayKind } from '../../../shared/directory/working-days';
import type { Queryable } from '../db/database';

const require = createRequire(import.meta.url);

interface BundledData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** Days and known years from the bundled chinese-days data. */
export function bundledCalendarDays(): { days: { day: string; kind: DayKind; name: string }[]; years: number[] } {
  const data = require('chinese-days/dist/chinese-days.json') as BundledData;
  const name = (v: string) => v.split(',')[1] ?? v;
  const days = [
    ...Object.entries(data.holidays).map(([day, v]) => ({ day, kind: 'holiday' as const, name: name(v) })),
    ...Object.entries(data.workdays).map(([day, v]) => ({ day, kind: 'workday' as const, name: `${name(v)}调休上班` })),
  ];
  const years = [...new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))))].sort();
  return { days, years };
}

/** Load the bundled calendar into an empty database (first start). */
export async function seedCalendarIfEmpty(db: Queryable): Promise<boolean> {
  const r = await db.query<{ n: string }>('select count(*)::text as n from calendar_years');
  if (r.rows[0]!.n !== '0') return false;
  const { days, years } = bundledCalendarDays();
  for (let i = 0; i < days.length; i += 500) {
    const chunk = days.slice(i, i + 500);
    await db.query(
      `insert into calendar_days (day, kind, name, source) select * from unnest($1::date[], $2::text[], $3::text[], $4::text[]) on conflict do nothing`,
      [chunk.map((d) => d.day), chunk.map((d) => d.kind), chunk.map((d) => d.name), chunk.map(() => 'bundled')],
    );
  }
  await db.query(`insert into calendar_years (year, source) select unnest($1::int[]), 'bundled' on conflict do nothing`, [years]);
  return true;
}

export async function loadWorkCalendar(db: Queryable): Promise<WorkCalendar> {
  const days = await db.query<{ day: string; kind: DayKind }>(`select to_char(day, 'YYYY-MM-DD') as day, kind from calendar_days`);
  const years = await db.query<{ year: number }>('select year from calendar_years');
  return new WorkCalendar({
    overrides: new Map(days.rows.map((d) => [d.day, d.kind])),
    knownYears: new Set(years.rows.map((y) => Number(y.year))),
  });
}
