/**
 * The shift lead's alert thresholds: the view shows (and sounds) an alert while a figure is past
 * its threshold. Kept per centre on the platform, so every lead of the centre sees the same.
 */
import { z } from 'zod';

export const queueThresholdsSchema = z
  .object({
    /** Longest wait of a call waiting now, seconds (GB/T 33358's 15 s by default). */
    longestWaitS: z.number().int().min(1).max(3600),
    /** Calls waiting now. */
    waiting: z.number().int().min(1).max(10_000),
    /** 15-second answer rate over the last 15 minutes, below which to alert (0–1). */
    withinTargetRate: z.number().min(0).max(1),
  })
  .strict();
export type QueueThresholds = z.infer<typeof queueThresholdsSchema>;

export const DEFAULT_THRESHOLDS: QueueThresholds = { longestWaitS: 15, waiting: 5, withinTargetRate: 0.9 };

export type Breach = 'longestWait' | 'waiting' | 'withinTargetRate';

/** The thresholds passed now: longest wait of the waiting calls, how many wait, the recent 15-second rate. */
export function breaches(now: { longestWaitingMs: number; waiting: number; recentWithinTargetRate: number | null }, t: QueueThresholds): Breach[] {
  const out: Breach[] = [];
  if (now.longestWaitingMs >= t.longestWaitS * 1000) out.push('longestWait');
  if (now.waiting >= t.waiting) out.push('waiting');
  if (now.recentWithinTargetRate !== null && now.recentWithinTargetRate < t.withinTargetRate) out.push('withinTargetRate');
  return out;
}
