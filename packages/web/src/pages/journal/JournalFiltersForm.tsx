/**
 * The journal search form: time range (local time), event types (typed, or picked from the ones
 * the server records), a person, and the chosen site, one of its doors or zones.
 */
import { useState, type FormEvent } from 'react';
import type { Person } from '../../components/admin/api-types.ts';
import { EventTypePicker, useEventTypes } from '../../components/admin/EventTypePicker.tsx';
import { Field, ItemSelect } from '../../components/admin/forms.tsx';
import { useDoors, useZones } from '../../components/admin/lookups.ts';
import { PersonPicker } from '../../components/admin/PersonPicker.tsx';
import { fromLocalInput, toLocalInput, windowProblem } from '../../components/admin/time.ts';
import { useSites } from '../../shell/sites.tsx';
import { COMMON_TYPES, NO_FILTERS, parseTypes, type JournalFilters } from './journal-query.ts';

export function JournalFiltersForm({ filters, onSearch }: { filters: JournalFilters; onSearch: (filters: JournalFilters) => void }) {
  const { site } = useSites();
  const doors = useDoors(site?.id).data ?? [];
  const zones = useZones(site?.id).data ?? [];
  const known = useEventTypes().data;
  const [from, setFrom] = useState(toLocalInput(filters.from));
  const [to, setTo] = useState(toLocalInput(filters.to));
  const [types, setTypes] = useState(filters.types.join(', '));
  const [person, setPerson] = useState<Person | null>(null);
  const [subject, setSubject] = useState(filters.subject);
  const [door, setDoor] = useState(filters.door);
  const [zone, setZone] = useState(filters.zone);
  const [onlySite, setOnlySite] = useState(filters.site !== '');
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseTypes(types);
    const local =
      (parsed.bad ? `“${parsed.bad}” is not an event type such as person.created.` : null) ??
      windowProblem(from, to, 'The time range must end after it starts.');
    setProblem(local);
    if (local) return;
    onSearch({
      from: fromLocalInput(from) ?? '',
      to: fromLocalInput(to) ?? '',
      types: parsed.types,
      subject: person?.id ?? subject,
      door,
      zone,
      site: onlySite && site ? site.id : '',
    });
  }

  return (
    <form className="admin-form panel" aria-label="Search the journal" onSubmit={submit}>
      <Field label="From" hint="Local time; empty for the beginning.">
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </Field>
      <Field label="To" hint="Empty for now.">
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </Field>
      <Field label="Event types" hint="Exact types, comma-separated.">
        <input
          value={types}
          onChange={(e) => setTypes(e.target.value)}
          list="journal-types"
          placeholder="e.g. person.created, credential.issued"
        />
      </Field>
      <datalist id="journal-types">
        {known
          ? known.map((t) => <option key={t.type} value={t.type} label={t.description} />)
          : COMMON_TYPES.map((type) => <option key={type} value={type} />)}
      </datalist>
      <EventTypePicker
        label="Add an event type"
        actionLabel="Add"
        onPick={(type) =>
          setTypes((current) => (parseTypes(current).types.includes(type) ? current : [current.trim(), type].filter(Boolean).join(', ')))
        }
      />
      <Field label="Door" hint={site ? `Doors of ${site.name}` : undefined}>
        <ItemSelect items={doors} value={door} onChange={setDoor} none="Any door" />
      </Field>
      <Field label="Zone">
        <ItemSelect items={zones} value={zone} onChange={setZone} none="Any zone" />
      </Field>
      {site && (
        <label className="inline">
          <input type="checkbox" checked={onlySite} onChange={(e) => setOnlySite(e.target.checked)} />
          Only {site.name}
        </label>
      )}
      <div className="wide">
        {subject && !person ? (
          <p>
            Subject: <code>{subject}</code>{' '}
            <button type="button" className="secondary" onClick={() => setSubject('')}>
              Any subject
            </button>
          </p>
        ) : (
          <PersonPicker label="Person (subject)" chosen={person} onPick={setPerson} />
        )}
      </div>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit">Search</button>
        <button type="button" className="secondary" onClick={() => onSearch(NO_FILTERS)}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
