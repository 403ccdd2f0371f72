/**
 * The deadline of an order, computed by the one function the platform and the workstation share,
 * against hand-counted cases across the 2026 Spring Festival and National Day holidays with their
 * make-up workdays (Guangdong policy: consult 2, help 10, complaint 15 working days; urgent 0).
 */
import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../shared/directory/working-days';
import { GUANGDONG_POLICY } from '../../shared/directory/deadline-policy';
import { deadlineFor } from '../../shared/orders/deadline';
import { bundledCalendarDays } from '../../platform/src/directory/calendar';

const { days, years } = bundledCalendarDays();
const calendar = new WorkCalendar({ overrides: new Map(days.map((d) => [d.day, d.kind])), knownYears: new Set(years) });
const due = (requestType: 'consult' | 'help' | 'complaint', acceptedOn: string, urgency: 'normal' | 'urgent' = 'normal') =>
  deadlineFor(GUANGDONG_POLICY, calendar, { requestType, urgency }, acceptedOn);

describe('order deadlines in working days', () => {
  it('a complaint accepted before the Spring Festival: Sat 14 Feb and Sat 28 Feb count, 15–23 Feb do not', () => {
    // 11, 12, 13, 14(Sat, make-up), 24, 25, 26, 27, 28(Sat, make-up), 2 Mar, 3, 4, 5, 6, 9 Mar.
    expect(due('complaint', '2026-02-10')).toEqual({ date: '2026-03-09', workingDays: 15, certain: true });
  });

  it('a consultation accepted on the eve of National Day is due on the second working day after the week off', () => {
    expect(due('consult', '2026-09-30')).toEqual({ date: '2026-10-09', workingDays: 2, certain: true });
  });

  it('a help request across Sun 20 Sep (make-up), the Mid-Autumn days and National Day', () => {
    // 20(Sun, make-up), 21, 22, 23, 24, 28, 29, 30, 8 Oct, 9 Oct.
    expect(due('help', '2026-09-18')).toEqual({ date: '2026-10-09', workingDays: 10, certain: true });
  });

  it('Sat 10 Oct is a make-up workday: a consultation of Fri 9 Oct is due on Mon 12 Oct', () => {
    expect(due('consult', '2026-10-09')).toEqual({ date: '2026-10-12', workingDays: 2, certain: true });
  });

  it('urgent means the same day, even on a holiday', () => {
    expect(due('complaint', '2026-10-03', 'urgent')).toEqual({ date: '2026-10-03', workingDays: 0, certain: true });
  });

  it('a deadline that runs into a year with no known notice is flagged, not guessed', () => {
    const d = due('complaint', '2026-12-20');
    expect(d.certain).toBe(false);
    expect(d.workingDays).toBe(15);
  });
});
