/**
 * An audio level bar. Plain elements rather than a progress component: meters redraw twice a
 * second during every call, so they must cost next to nothing.
 */
import { memo } from 'react';

export const LevelMeter = memo(function LevelMeter({ level, label, testId, width }: { level: number; label: string; testId: string; width?: number }) {
  const pct = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return (
    <div
      className="level-meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      data-testid={testId}
      data-level={level.toFixed(3)}
      style={width ? { width } : undefined}
    >
      <div className="level-meter__bar" style={{ width: `${pct}%` }} />
    </div>
  );
});
