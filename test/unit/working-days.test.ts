import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../shared/directory/working-days';
import { bundledCalendarDays } from '../../platform/src/directory/calendar';

const { days, years } = bundledCalendarDays();
const calendar = new WorkCalendar({ overrides: new Map(days.map((d) => [d.day, d.kind])), knownYears: new Set(years) });

describe('working days (State Council calendar, 2026 notice)', () => {
  it('skips the National Day holiday', () => {
    expect(calendar.addWorkingDays('2026-09-30', 1)).toEqual({ date: '2026-10-08', certain: true });
  });
  it('counts a weekend make-up workday (调休)', () => {
    expect(calendar.isWorkday('2026-10-10')).toBe(true); // Saturday
    expect(calendar.addWorkingDays('2026-10-09', 1)).toEqual({ date: '2026-10-10', certain: true });
    expect(calendar.isWorkday('2026-02-14')).toBe(true);
  });
  it('skips the Spring Festival week', () => {
    expect(calendar.addWorkingDays('2026-02-13', 2)).toEqual({ date: '2026-02-24', certain: true });
  });
  it('0 days is the same day', () => {
    expect(calendar.addWorkingDays('2026-11-25', 0)).toEqual({ date: '2026-11-25', certain: true });
  });
  it('flags a deadline that runs into a year with no known notice', () => {
    const r = calendar.addWorkingDays('2026-12-30', 2);
    expect(r.certain).toBe(false);
    expect(calendar.isKnown('2027-01-04')).toBe(false);
  });
  it('knows the bundled years', () => {
    expect(years[0]).toBe(2004);
    expect(years).toContain(2026);
  });
});
