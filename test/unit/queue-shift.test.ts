import { describe, expect, it } from 'vitest';
import { shiftStart } from '../../shared/queue/shift';

const bj = (iso: string) => Date.parse(`${iso}+08:00`);

describe('shift start (Beijing time)', () => {
  it('is the latest shift start at or before now', () => {
    expect(shiftStart(bj('2026-12-07T09:30:00'))).toBe(bj('2026-12-07T08:00:00'));
    expect(shiftStart(bj('2026-12-07T16:00:00'))).toBe(bj('2026-12-07T16:00:00'));
    expect(shiftStart(bj('2026-12-07T23:59:59'))).toBe(bj('2026-12-07T16:00:00'));
    expect(shiftStart(bj('2026-12-07T00:10:00'))).toBe(bj('2026-12-07T00:00:00'));
  });

  it("before the day's first start, yesterday's last shift is still on", () => {
    expect(shiftStart(bj('2026-12-07T07:00:00'), [8 * 60 + 30, 17 * 60 + 30])).toBe(bj('2026-12-06T17:30:00'));
    expect(shiftStart(bj('2026-12-07T09:00:00'), [8 * 60 + 30, 17 * 60 + 30])).toBe(bj('2026-12-07T08:30:00'));
  });

  it('ignores start times that are not minutes of a day, and with none counts from midnight', () => {
    expect(shiftStart(bj('2026-12-07T09:00:00'), [-5, 1440, 7.5, 8 * 60])).toBe(bj('2026-12-07T08:00:00'));
    expect(shiftStart(bj('2026-12-07T09:00:00'), [])).toBe(bj('2026-12-07T00:00:00'));
  });
});
