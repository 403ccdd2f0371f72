import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `everyMs`. Use it in the smallest component that shows a
 * clock or a timer: each tick re-renders the component that calls it.
 */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}
