/**
 * The transfer directory as a seat sees it, from the platform's hotline directory (no hard-coded
 * targets): who can be transferred to (an address, opened), whether they take calls now (service
 * windows on the city's working-day calendar, Asia/Shanghai), which way to transfer by default, and
 * what an emergency line asks of the agent. Pure: the renderer gives it the directory, the units,
 * the calendar and the clock.
 */
import type { DirectoryEntry, ServiceWindow, Unit } from '../directory/routes';
import type { WorkCalendar } from '../directory/working-days';
import { shanghaiDate, shanghaiTime } from '../base/shanghai-time';
import type { TransferKind } from './routes';

export interface TransferTarget {
  number: string;
  name: string;
  /** The department (承办单位) behind it, when the directory names one. */
  department?: string;
  mergeMode: DirectoryEntry['mergeMode'];
  uri: string;
  /** The kind the one-click button uses. */
  defaultKind: TransferKind;
  /** Three-way introduction is expected (sub-centers, dual lines with their own seats). */
  threeWay: boolean;
  serviceHours: string;
  windows: readonly ServiceWindow[] | undefined;
  note: string | null;
  /** Emergency lines: transfer the caller, or read the number out to them. */
  emergencyRule?: 'transfer' | 'readOut';
  /** The organisation that receives the caller (its unit code), when it has seats of its own. */
  org: string | null;
}

/**
 * The default way to transfer: an emergency line is its own action; a target that expects
 * three-way calls gets a three-way introduction (the agent drops out after); others blind.
 */
export function defaultKindOf(e: Pick<DirectoryEntry, 'mergeMode' | 'threeWay'>): TransferKind {
  if (e.mergeMode === 'emergency') return 'emergency';
  return e.threeWay ? 'threeWay' : 'blind';
}

/** Every entry a seat can transfer to: active, with a transfer address; the seat's own line left out. */
export function transferTargets(directory: readonly DirectoryEntry[], units: readonly Unit[], ownNumber?: string): TransferTarget[] {
  const unitNames = new Map(units.map((u) => [u.code, u.name]));
  return directory
    .filter((e) => e.status === 'active' && e.transferUri !== null && e.number !== ownNumber)
    .map((e) => ({
      number: e.number,
      name: e.name,
      ...(e.unitCode && unitNames.has(e.unitCode) ? { department: unitNames.get(e.unitCode)! } : {}),
      mergeMode: e.mergeMode,
      uri: e.transferUri!,
      defaultKind: defaultKindOf(e),
      threeWay: e.threeWay,
      serviceHours: e.serviceHours,
      windows: e.hours,
      note: e.note,
      ...(e.mergeMode === 'emergency' ? { emergencyRule: e.emergencyRule ?? 'transfer' } : {}),
      org: e.unitCode,
    }))
    .sort((a, b) => rank(a) - rank(b) || a.number.localeCompare(b.number));
}

/** Emergency lines first (they must never be searched for), then the lines with their own seats. */
function rank(t: TransferTarget): number {
  if (t.mergeMode === 'emergency') return 0;
  if (t.mergeMode === 'local') return 1;
  if (t.mergeMode === 'subcenter') return 2;
  return 3;
}

/**
 * Whether a target takes calls at `now`: no windows → always; otherwise inside one of them, a
 * 'workdays' window only on working days of the calendar (holidays off, make-up days on).
 */
export function isOpen(windows: readonly ServiceWindow[] | undefined, now: number, calendar: Pick<WorkCalendar, 'isWorkday'> | undefined): boolean {
  if (!windows || windows.length === 0) return true;
  const date = shanghaiDate(now);
  const time = shanghaiTime(now).slice(0, 5);
  return windows.some((w) => (w.days === 'daily' || isWorkday(date, calendar)) && time >= w.from && time < w.to);
}

function isWorkday(date: string, calendar: Pick<WorkCalendar, 'isWorkday'> | undefined): boolean {
  if (calendar) return calendar.isWorkday(date);
  // Without the calendar: Monday to Friday.
  const day = new Date(`${date}T12:00:00+08:00`).getUTCDay();
  return day >= 1 && day <= 5;
}

/** Why a transfer to this target is not the way now, if it is not: closed outside its hours. */
export function availability(t: TransferTarget, now: number, calendar: Pick<WorkCalendar, 'isWorkday'> | undefined): 'open' | 'closed' {
  return isOpen(t.windows, now, calendar) ? 'open' : 'closed';
}
