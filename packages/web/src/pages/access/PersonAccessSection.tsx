/** Finding a person and seeing or changing their access groups and privileges. */
import { useState } from 'react';
import { Link } from 'react-router';
import type { Person } from '../../components/admin/api-types.ts';
import { PersonPicker } from '../../components/admin/PersonPicker.tsx';
import { PersonAccessPanel } from './PersonAccessPanel.tsx';

export function PersonAccessSection() {
  const [person, setPerson] = useState<Person | null>(null);
  return (
    <section className="panel" aria-label="A person's access">
      <PersonPicker label="Person" chosen={person} onPick={setPerson} />
      {person && (
        <>
          <PersonAccessPanel key={person.id} personId={person.id} />
          <p>
            <Link to={`/people/${person.id}`}>Open {person.givenName}'s full record</Link>
          </p>
        </>
      )}
    </section>
  );
}
