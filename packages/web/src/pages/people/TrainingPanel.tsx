/**
 * A person's training and competency records (MRI safety, controlled substances, …): which are
 * current, when each expires, recording a completed course, removing one entered in error. Zones
 * gated on a competency admit only holders of a current record.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { COMPETENCIES, type Competency, type Person, type TrainingRecord } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { useInvalidate, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant, fromLocalInput, windowProblem } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';
import { trainingKey } from './people-format.ts';

export function TrainingPanel({ person }: { person: Person }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TrainingRecord | null>(null);
  const catalogue = useQuery({
    queryKey: ['admin', 'people', 'competencies'],
    queryFn: () => api.get<{ key: Competency; name: string }[]>('/api/people/competencies'),
    staleTime: Infinity,
  });
  const list = usePaged<TrainingRecord>(trainingKey(person.id), `/api/people/persons/${person.id}/training`);
  const nameOf = (key: Competency) => catalogue.data?.find((c) => c.key === key)?.name ?? key.replace(/_/g, ' ');
  const manage = can('people.manage') && person.status !== 'terminated';

  return (
    <section aria-labelledby="training-title">
      <SectionHeader title="Training" level={3} id="training-title">
        {manage && (
          <button type="button" className="secondary" onClick={() => setAdding(true)}>
            Record training
          </button>
        )}
      </SectionHeader>
      <ServerError error={list.error} />
      <TableScroll label="Training record list" stackOnPhone>
        <thead>
          <tr>
            <th>Competency</th>
            <th>Completed</th>
            <th>Expires</th>
            <th>State</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.items} columns={manage ? 5 : 4} loading={list.isPending} empty="No training recorded.">
            {(record) => (
              <tr key={record.id}>
                <td data-label="Competency">{nameOf(record.competency)}</td>
                <td data-label="Completed">{formatInstant(record.completedAt)}</td>
                <td data-label="Expires">{formatInstant(record.expiresAt)}</td>
                <td data-label="State">
                  <Badge value={record.current ? 'current' : 'expired'} />
                </td>
                {manage && (
                  <td>
                    <button type="button" className="secondary" onClick={() => setRemoving(record)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="records" />
      {adding && (
        <RecordTrainingForm
          personId={person.id}
          options={catalogue.data ?? COMPETENCIES.map((key) => ({ key, name: key }))}
          onClose={() => setAdding(false)}
          onSaved={() => invalidate(trainingKey(person.id))}
        />
      )}
      <DeleteDialog
        item={removing}
        title="Remove training record"
        confirmLabel="Remove"
        path={(item) => `/api/people/training/${item.id}`}
        onDeleted={() => invalidate(trainingKey(person.id))}
        onClose={() => setRemoving(null)}
      >
        <p>
          Remove the {removing ? nameOf(removing.competency) : ''} record as entered in error? The journal keeps both the record and its
          removal.
        </p>
      </DeleteDialog>
    </section>
  );
}

function RecordTrainingForm({
  personId,
  options,
  onClose,
  onSaved,
}: {
  personId: string;
  options: { key: Competency; name: string }[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [competency, setCompetency] = useState<Competency>(options[0]?.key ?? 'fire_safety');
  const [completedAt, setCompletedAt] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  return (
    <FormDialog
      open
      title="Record training"
      submitLabel="Record"
      onClose={onClose}
      validate={() => windowProblem(completedAt, expiresAt, 'The expiry must come after the completion.')}
      onSubmit={async () => {
        await api.post(`/api/people/persons/${personId}/training`, {
          competency,
          completedAt: fromLocalInput(completedAt),
          expiresAt: fromLocalInput(expiresAt),
        });
        await onSaved();
      }}
    >
      <Field label="Competency">
        <select value={competency} onChange={(e) => setCompetency(e.target.value as Competency)} required>
          {options.map((option) => (
            <option key={option.key} value={option.key}>
              {option.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Completed">
        <input type="datetime-local" value={completedAt} onChange={(e) => setCompletedAt(e.target.value)} required />
      </Field>
      <Field label="Expires">
        <input type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} required />
      </Field>
    </FormDialog>
  );
}
