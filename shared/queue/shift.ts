/**
 * Shifts of the hotline centre, in Beijing time (Asia/Shanghai, UTC+8 all year): the lead's
 * figures "for the shift" count from the start of the shift in progress.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Shift start times as minutes after midnight, Beijing time. Three eight-hour shifts by default. */
export const DEFAULT_SHIFT_STARTS: readonly number[] = [0, 8 * 60, 16 * 60];

/** When the shift in progress at `now` began (epoch ms). */
export function shiftStart(now: number, starts: readonly number[] = DEFAULT_SHIFT_STARTS): number {
  const sorted = [...starts].filter((m) => Number.isInteger(m) && m >= 0 && m < 1440).sort((a, b) => a - b);
  if (sorted.length === 0) return Math.floor((now + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  const local = now + SHANGHAI_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  const minute = Math.floor((local - midnight) / 60_000);
  const today = [...sorted].reverse().find((m) => m <= minute);
  // Before today's first start: the last shift of yesterday is still on.
  const startLocal = today !== undefined ? midnight + today * 60_000 : midnight - DAY_MS + sorted[sorted.length - 1]! * 60_000;
  return startLocal - SHANGHAI_OFFSET_MS;
}
