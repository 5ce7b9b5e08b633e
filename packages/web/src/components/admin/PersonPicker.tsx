/**
 * Choosing one person by typing part of their name or employee id: a debounced search showing the
 * first matches as buttons (Tab to reach, Enter to choose). Used wherever a screen needs a person.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, type Page } from '../../api/client.ts';
import type { Person } from './api-types.ts';
import { useDebounced } from './hooks.ts';
import { ServerError } from './ServerError.tsx';

export function PersonPicker({ label, onPick, chosen }: { label: string; onPick: (person: Person | null) => void; chosen: Person | null }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const listId = useId();
  const matches = useQuery({
    queryKey: ['admin', 'people', 'picker', q],
    queryFn: () => api.get<Page<Person>>('/api/people/persons', { q, limit: 8 }),
    enabled: q.length > 0 && !chosen,
  });

  if (chosen) {
    return (
      <div className="person-picker">
        <span>
          {label}: <strong>{`${chosen.givenName} ${chosen.familyName}`}</strong>
          {chosen.employeeId && <span className="muted"> ({chosen.employeeId})</span>}
        </span>{' '}
        <button type="button" className="secondary" onClick={() => onPick(null)}>
          Change
        </button>
      </div>
    );
  }
  return (
    <div className="person-picker">
      <label>
        {label}
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Name or employee id"
          aria-controls={listId}
          maxLength={100}
        />
      </label>
      <ServerError error={matches.error} />
      <ul id={listId} className="picker-results" aria-label="Matching persons">
        {(matches.data?.items ?? []).map((person) => (
          <li key={person.id}>
            <button type="button" className="secondary" onClick={() => onPick(person)}>
              {person.familyName}, {person.givenName}
              {person.employeeId ? ` (${person.employeeId})` : ''}
            </button>
          </li>
        ))}
        {q && matches.data?.items.length === 0 && <li className="muted">No one matches.</li>}
      </ul>
    </div>
  );
}
