/** The person directory: search by name or employee id (debounced), filter by kind and status, page with the API's cursor. */
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PERSON_KINDS, type Person, type PersonKind, type PersonStatus } from '../../components/admin/api-types.ts';
import { useDebounced, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { KIND_LABEL, peopleListKey } from './people-format.ts';
import { PersonForm } from './PersonForm.tsx';

export function PersonList({ selectedId }: { selectedId: string | undefined }) {
  const { can } = useSession();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [kind, setKind] = useState<PersonKind | ''>('');
  const [status, setStatus] = useState<PersonStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const q = useDebounced(search.trim(), 300);
  const list = usePaged<Person>(peopleListKey, '/api/people/persons', {
    q: q || undefined,
    kind: kind || undefined,
    status: status || undefined,
  });

  return (
    <div>
      <SectionHeader title="Persons">
        {can('people.manage') && (
          <button type="button" onClick={() => setCreating(true)}>
            New person
          </button>
        )}
      </SectionHeader>
      <div className="toolbar" role="search">
        <label>
          Search
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Name or employee id"
            maxLength={100}
            aria-describedby="person-search-hint"
          />
        </label>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as PersonKind | '')}>
            <option value="">All kinds</option>
            {PERSON_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as PersonStatus | '')}>
            <option value="">Any status</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
            <option value="terminated">Terminated</option>
          </select>
        </label>
      </div>
      <p id="person-search-hint" className="visually-hidden">
        Matches part of a name or the start of an employee id; results update as you pause typing.
      </p>
      <ServerError error={list.error} />
      <TableScroll label="Persons">
        <thead>
          <tr>
            <th>Name</th>
            <th>Employee id</th>
            <th>Kind</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            items={list.items}
            columns={4}
            loading={list.isPending}
            empty={<>{q ? `No one matches “${q}”.` : 'No persons yet.'}</>}
          >
            {(person) => (
              <tr key={person.id} className={person.id === selectedId ? 'selected' : undefined}>
                <td>
                  <Link to={`/people/${person.id}`} aria-current={person.id === selectedId ? 'true' : undefined}>
                    {person.familyName}, {person.givenName}
                  </Link>
                </td>
                <td>{person.employeeId ?? '—'}</td>
                <td>{KIND_LABEL[person.kind]}</td>
                <td>
                  <Badge value={person.status} />
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="persons" />
      <PersonForm open={creating} onClose={() => setCreating(false)} onSaved={(person) => void navigate(`/people/${person.id}`)} />
    </div>
  );
}
