/**
 * Working days for deadlines (办理时限). China's calendar is not Mon–Fri: the State Council's
 * yearly notice sets public holidays and 调休 make-up workdays on weekends, and has been revised
 * mid-year. A date in a year whose notice is not known cannot be classified with certainty, so
 * every answer says whether it is certain — a deadline beyond the known calendar is flagged,
 * never silently computed as Mon–Fri.
 */
export type DayKind = 'holiday' | 'workday';

export interface CalendarData {
  /** Dates (YYYY-MM-DD) that differ from the Mon–Fri rule. */
  overrides: ReadonlyMap<string, DayKind>;
  /** Years whose official notice is loaded. */
  knownYears: ReadonlySet<number>;
}

const DAY_MS = 86_400_000;

function parse(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!);
}

function format(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export class WorkCalendar {
  constructor(private readonly data: CalendarData) {}

  isKnown(date: string): boolean {
    return this.data.knownYears.has(Number(date.slice(0, 4)));
  }

  isWorkday(date: string): boolean {
    const override = this.data.overrides.get(date);
    if (override) return override === 'workday';
    const dow = new Date(parse(date)).getUTCDay();
    return dow !== 0 && dow !== 6;
  }

  /**
   * The date `n` working days after `start` (counting begins the day after). n = 0 means the
   * same day. `certain` is false when any day walked over lies in a year with no known notice.
   */
  addWorkingDays(start: string, n: number): { date: string; certain: boolean } {
    let ms = parse(start);
    let certain = this.isKnown(start);
    let left = n;
    while (left > 0) {
      ms += DAY_MS;
      const d = format(ms);
      if (!this.isKnown(d)) certain = false;
      if (this.isWorkday(d)) left--;
    }
    return { date: format(ms), certain };
  }
}
