import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `everyMs`: "3 min ago" labels and stale-door checks must stay
 * true on a screen left open for a whole shift, without every row running its own timer.
 */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
