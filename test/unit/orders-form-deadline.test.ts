/** The deadline preview's wording: working days and due date with weekday, same day, uncertain. */
import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { zhCN } from '../../renderer/src/i18n/zh-CN';
import { enUS } from '../../renderer/src/i18n/en-US';
import { deadlineLabel, weekdayOf, WEEKDAY_KEYS } from '../../renderer/src/orders/form/deadline-label';
import { deadlineFor } from '../../shared/orders/deadline';
import { GUANGDONG_POLICY } from '../../shared/directory/deadline-policy';
import { WorkCalendar } from '../../shared/directory/working-days';
import { bundledCalendarDays } from '../../platform/src/directory/calendar';

async function translator(lng: 'zh-CN' | 'en-US') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources: { 'zh-CN': { translation: zhCN }, 'en-US': { translation: enUS } }, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
  return i18n.t.bind(i18n) as (key: string, options?: Record<string, unknown>) => string;
}

const { days, years } = bundledCalendarDays();
const calendar = new WorkCalendar({ overrides: new Map(days.map((d) => [d.day, d.kind])), knownYears: new Set(years) });

describe('weekday of a date', () => {
  it('reads the calendar date, whatever the machine time zone', () => {
    expect(weekdayOf('2026-12-07')).toBe('mon');
    expect(weekdayOf('2026-12-06')).toBe('sun');
    expect(weekdayOf('2027-01-01')).toBe('fri');
    expect(weekdayOf('2024-02-29')).toBe('thu');
  });
  it('has a name for every weekday in both languages', () => {
    for (const k of WEEKDAY_KEYS) {
      expect(zhCN.orders.deadline.weekday[k]).toMatch(/^周/);
      expect(enUS.orders.deadline.weekday[k]).toBeTruthy();
    }
  });
});

describe('deadline label', () => {
  it('gives working days and the due date with its weekday', async () => {
    const t = await translator('zh-CN');
    // A complaint in Guangdong: 15 working days from Monday 2026-11-23.
    const preview = deadlineFor(GUANGDONG_POLICY, calendar, { requestType: 'complaint', urgency: 'normal' }, '2026-11-23');
    expect(preview).toEqual({ date: '2026-12-14', workingDays: 15, certain: true });
    expect(deadlineLabel(preview, t)).toEqual({ text: '15 个工作日 · 截止 2026-12-14（周一）', sameDay: false, uncertain: undefined });
  });

  it('counts over a holiday (National Day) and names the weekday', async () => {
    const t = await translator('zh-CN');
    const preview = deadlineFor(GUANGDONG_POLICY, calendar, { requestType: 'consult', urgency: 'normal' }, '2026-09-30');
    expect(deadlineLabel(preview, t).text).toBe(`2 个工作日 · 截止 ${preview.date}（${zhCN.orders.deadline.weekday[weekdayOf(preview.date)]}）`);
    expect(preview.date > '2026-10-07').toBe(true);
  });

  it('says 当日办结 for an urgent matter', async () => {
    const t = await translator('zh-CN');
    const preview = deadlineFor(GUANGDONG_POLICY, calendar, { requestType: 'complaint', urgency: 'urgent' }, '2026-11-25');
    const label = deadlineLabel(preview, t);
    expect(label.sameDay).toBe(true);
    expect(label.text).toBe('当日办结 · 2026-11-25（周三）');
  });

  it('flags a date beyond the published holiday schedule, without changing it', async () => {
    const t = await translator('zh-CN');
    const preview = deadlineFor(GUANGDONG_POLICY, calendar, { requestType: 'help', urgency: 'normal' }, '2026-12-28');
    expect(preview.certain).toBe(false);
    const label = deadlineLabel(preview, t);
    expect(label.uncertain).toBe('超出已公布的节假日安排，期限待核定');
    expect(label.text).toContain(preview.date);
  });

  it('words the same in English', async () => {
    const t = await translator('en-US');
    expect(deadlineLabel({ date: '2026-12-14', workingDays: 15, certain: true }, t).text).toBe('15 working day(s) · due 2026-12-14 (Mon)');
    expect(deadlineLabel({ date: '2026-11-25', workingDays: 0, certain: true }, t).text).toBe('Same day · 2026-11-25 (Wed)');
    expect(deadlineLabel({ date: '2027-01-11', workingDays: 10, certain: false }, t).uncertain).toMatch(/holiday schedule/);
  });
});
