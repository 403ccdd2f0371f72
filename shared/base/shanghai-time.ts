/**
 * Times shown to agents and written to logs are in Asia/Shanghai. China has had no daylight
 * saving time since 1991, so the zone is a fixed UTC+8 offset and needs no tz database.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** 2026-11-25T17:03:01.123+08:00 */
export function toShanghaiIso(epochMs: number): string {
  const d = new Date(epochMs + OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+08:00`
  );
}

/** The calendar date in Shanghai, e.g. "2026-11-25". */
export function shanghaiDate(epochMs: number): string {
  return toShanghaiIso(epochMs).slice(0, 10);
}

/** Wall-clock time in Shanghai, e.g. "17:03:01". */
export function shanghaiTime(epochMs: number): string {
  return toShanghaiIso(epochMs).slice(11, 19);
}

/** A duration as m:ss or h:mm:ss (call timers, time in state). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
