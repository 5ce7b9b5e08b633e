/** Hooks every administration screen uses: debounced input, cursor paging, actions with busy/error state. */
import { useInfiniteQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, type Page } from '../../api/client.ts';

/** `value`, once it has stopped changing for `delayMs` (search boxes query the server on a pause, not per key). */
export function useDebounced<T>(value: T, delayMs = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

type Query = Record<string, string | number | boolean | undefined | null>;

/**
 * A cursor-paginated list read page by page as the operator asks for more (`fetchNextPage`),
 * following the API's `nextCursor`. `items` is every page loaded so far.
 */
export function usePaged<T>(key: QueryKey, path: string, query: Query = {}, pageSize = 50, enabled = true) {
  const result = useInfiniteQuery({
    queryKey: [...key, query, pageSize],
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...query, limit: pageSize, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
  const items = result.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...result, items };
}

/** Marks cached lists stale after a change, so every screen showing them reloads. */
export function useInvalidate(): (...keys: QueryKey[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback(
    async (...keys: QueryKey[]) => {
      await Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
    [client],
  );
}

/**
 * A one-click action (enable, resume, remove): runs it, remembers the server's error to show next
 * to the button, and ignores clicks while it runs. Resolves true when the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const running = useRef(false);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { busy, error, run, clear };
}
