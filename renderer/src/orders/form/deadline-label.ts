/**
 * The deadline preview's wording: "5 个工作日 · 截止 2026-12-14（周一）", "当日办结" for the same
 * day, and a flag when the date runs into a year whose holiday notice is not loaded (never guessed).
 */
import type { DeadlinePreview } from '../../../../shared/orders/deadline';
import type { Translate } from './fields';

export const WEEKDAY_KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** The weekday of a calendar date YYYY-MM-DD (the date itself, no time zone involved). */
export function weekdayOf(date: string): WeekdayKey {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAY_KEYS[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()]!;
}

export interface DeadlineLabel {
  /** The line shown beside the request type. */
  readonly text: string;
  /** The same day (urgent, or a policy of 0 working days). */
  readonly sameDay: boolean;
  /** The flag to show when the date is not certain; undefined when it is. */
  readonly uncertain?: string;
}

export function deadlineLabel(preview: DeadlinePreview, t: Translate): DeadlineLabel {
  const weekday = t(`orders.deadline.weekday.${weekdayOf(preview.date)}`);
  const sameDay = preview.workingDays === 0;
  const text = sameDay
    ? t('orders.deadline.sameDay', { date: preview.date, weekday })
    : t('orders.deadline.days', { n: preview.workingDays, date: preview.date, weekday });
  return { text, sameDay, uncertain: preview.certain ? undefined : t('orders.deadline.uncertain') };
}
