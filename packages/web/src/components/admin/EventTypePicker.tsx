/**
 * Picks an event type from the ones the server records (`GET /api/event-types`), grouped by
 * domain and described, so nobody has to remember `door.forced_open` versus `door.forced`.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { api } from '../../api/client.ts';

export interface EventTypeInfo {
  type: string;
  domain: string;
  description: string;
}

export function useEventTypes() {
  return useQuery({
    queryKey: ['event-types'],
    queryFn: async () => (await api.get<{ items: EventTypeInfo[] }>('/api/event-types')).items,
    // The list changes only with a server release.
    staleTime: 60 * 60_000,
  });
}

/** A grouped select; choosing a type hands it to `onPick` and shows what it means. */
export function EventTypePicker({ label, onPick, actionLabel }: { label: string; onPick: (type: string) => void; actionLabel: string }) {
  const id = useId();
  const types = useEventTypes();
  const [chosen, setChosen] = useState('');
  const groups = useMemo(() => {
    const byDomain = new Map<string, EventTypeInfo[]>();
    for (const t of types.data ?? []) byDomain.set(t.domain, [...(byDomain.get(t.domain) ?? []), t]);
    return [...byDomain.entries()];
  }, [types.data]);
  const description = types.data?.find((t) => t.type === chosen)?.description;

  return (
    <div className="event-type-picker">
      <label htmlFor={id}>{label}</label>
      <div className="inline">
        <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={!types.data} aria-describedby={`${id}-about`}>
          <option value="">
            {types.isPending ? 'Loading event types…' : types.error ? 'Event types unavailable' : 'Choose an event type'}
          </option>
          {groups.map(([domain, list]) => (
            <optgroup key={domain} label={domain}>
              {list.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.type}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button
          type="button"
          className="secondary"
          disabled={!chosen}
          onClick={() => {
            onPick(chosen);
            setChosen('');
          }}
        >
          {actionLabel}
        </button>
      </div>
      <p id={`${id}-about`} className="muted" role="status">
        {description ?? ''}
      </p>
    </div>
  );
}
