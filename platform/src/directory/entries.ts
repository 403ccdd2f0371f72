/** Hotline directory rows: written by the seed and the admin route, read for seats and transfers. */
import type { DirectoryEntry } from '../../../shared/directory/routes';
import type { Queryable } from '../db/database';

export interface DirectoryRow {
  number: string;
  name: string;
  merge_mode: DirectoryEntry['mergeMode'];
  status: DirectoryEntry['status'];
  unit_code: string | null;
  transfer_uri: string | null;
  three_way: boolean;
  service_hours: string;
  note: string | null;
  category_code: string | null;
  hours: DirectoryEntry['hours'] | null;
  emergency_rule: DirectoryEntry['emergencyRule'] | null;
}

export function entryOf(e: DirectoryRow): DirectoryEntry {
  return {
    number: e.number,
    name: e.name,
    mergeMode: e.merge_mode,
    status: e.status,
    unitCode: e.unit_code,
    transferUri: e.transfer_uri,
    threeWay: e.three_way,
    serviceHours: e.service_hours,
    note: e.note,
    categoryCode: e.category_code,
    ...(e.hours ? { hours: e.hours } : {}),
    ...(e.emergency_rule ? { emergencyRule: e.emergency_rule } : {}),
  };
}

export async function upsertDirectoryEntry(tx: Queryable, e: DirectoryEntry): Promise<void> {
  await tx.query(
    `insert into hotline_directory (number, name, merge_mode, status, unit_code, transfer_uri, three_way, service_hours, note, category_code, hours, emergency_rule)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     on conflict (number) do update set name = excluded.name, merge_mode = excluded.merge_mode, status = excluded.status,
       unit_code = excluded.unit_code, transfer_uri = excluded.transfer_uri, three_way = excluded.three_way,
       service_hours = excluded.service_hours, note = excluded.note, category_code = excluded.category_code,
       hours = excluded.hours, emergency_rule = excluded.emergency_rule`,
    [e.number, e.name, e.mergeMode, e.status, e.unitCode, e.transferUri, e.threeWay, e.serviceHours, e.note, e.categoryCode, e.hours ? JSON.stringify(e.hours) : null, e.emergencyRule ?? null],
  );
}

/** The entry dialled by `number`, if the directory has it. */
export async function directoryEntry(db: Queryable, number: string): Promise<DirectoryEntry | undefined> {
  const r = await db.query<DirectoryRow>('select * from hotline_directory where number = $1', [number]);
  return r.rows[0] ? entryOf(r.rows[0]) : undefined;
}
