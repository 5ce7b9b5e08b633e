/**
 * One person's record: details, status changes (suspend, reinstate, terminate — each with a
 * reason for the journal), then credentials, training and access. Terminating confirms first and
 * says what it does: every usable credential is revoked in the same transaction.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { Person } from '../../components/admin/api-types.ts';
import { ConfirmDialog } from '../../components/admin/dialogs.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader } from '../../components/admin/layout.tsx';
import { namer, useDepartments, useJobRoles } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';
import { PersonAccessPanel } from '../access/PersonAccessPanel.tsx';
import { CredentialsPanel } from './CredentialsPanel.tsx';
import { KIND_LABEL, fullName, peopleListKey, personKey } from './people-format.ts';
import { PersonForm } from './PersonForm.tsx';
import { TrainingPanel } from './TrainingPanel.tsx';

type Change = 'edit' | 'suspend' | 'reinstate' | 'terminate' | null;

export function PersonDetail({ personId }: { personId: string }) {
  const { can } = useSession();
  const { sites } = useSites();
  const invalidate = useInvalidate();
  const [change, setChange] = useState<Change>(null);
  const query = useQuery({ queryKey: personKey(personId), queryFn: () => api.get<Person>(`/api/people/persons/${personId}`) });
  const departmentName = namer(useDepartments().data);
  const roleName = namer(useJobRoles().data);
  const siteName = namer(sites);
  const person = query.data;
  if (!person) return query.error ? <ServerError error={query.error} /> : <p className="loading">Loading…</p>;

  const transition = async (action: 'suspend' | 'reinstate' | 'terminate', reason: string | undefined) => {
    await api.post<Person>(`/api/people/persons/${person.id}/${action}`, { reason });
    await invalidate(peopleListKey, personKey(person.id), ['admin', 'people', 'credentials', person.id]);
  };
  const manage = can('people.manage');

  return (
    <article aria-label={`Person: ${fullName(person)}`} className="panel">
      <SectionHeader title={fullName(person)} level={2}>
        {manage && person.status !== 'terminated' && (
          <button type="button" className="secondary" onClick={() => setChange('edit')}>
            Change details
          </button>
        )}
        {manage && person.status === 'active' && (
          <button type="button" className="secondary" onClick={() => setChange('suspend')}>
            Suspend
          </button>
        )}
        {manage && person.status !== 'active' && (
          <button type="button" className="secondary" onClick={() => setChange('reinstate')}>
            Reinstate
          </button>
        )}
        {can('people.terminate') && person.status !== 'terminated' && (
          <button type="button" className="danger" onClick={() => setChange('terminate')}>
            Terminate
          </button>
        )}
      </SectionHeader>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <Badge value={person.status} /> {person.statusReason && <span className="muted">— {person.statusReason}</span>}{' '}
          <span className="muted">since {formatInstant(person.statusChangedAt)}</span>
        </dd>
        <dt>Kind</dt>
        <dd>{KIND_LABEL[person.kind]}</dd>
        <dt>Employee id</dt>
        <dd>{person.employeeId ?? '—'}</dd>
        <dt>Department</dt>
        <dd>{departmentName(person.departmentId)}</dd>
        <dt>Job roles</dt>
        <dd>{person.jobRoleIds.length ? person.jobRoleIds.map(roleName).join(', ') : '—'}</dd>
        <dt>Sites</dt>
        <dd>{person.sites.length ? person.sites.map(siteName).join(', ') : '—'}</dd>
        <dt>Valid</dt>
        <dd>
          {formatInstant(person.validFrom)} → {formatInstant(person.validUntil)}
        </dd>
      </dl>

      {can('credentials.read') && <CredentialsPanel person={person} />}
      <TrainingPanel person={person} />
      {can('credentials.read') && <PersonAccessPanel personId={person.id} />}
      {can('journal.read') && (
        <p>
          <Link to={`/journal?subject=${person.id}`}>Journal entries about {fullName(person)}</Link>
        </p>
      )}

      <PersonForm open={change === 'edit'} person={person} onClose={() => setChange(null)} />
      <ConfirmDialog
        open={change === 'suspend'}
        title={`Suspend ${fullName(person)}`}
        confirmLabel="Suspend"
        reason="required"
        danger={false}
        onConfirm={(reason) => transition('suspend', reason)}
        onClose={() => setChange(null)}
      >
        <p>Their credentials stop opening doors until they are reinstated.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={change === 'reinstate'}
        title={`Reinstate ${fullName(person)}`}
        confirmLabel="Reinstate"
        reason="optional"
        danger={false}
        onConfirm={(reason) => transition('reinstate', reason)}
        onClose={() => setChange(null)}
      >
        <p>
          The person becomes active again.
          {person.status === 'terminated' && ' Credentials revoked at termination stay revoked: issue new ones.'}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={change === 'terminate'}
        title={`Terminate ${fullName(person)}`}
        confirmLabel="Terminate"
        reason="required"
        onConfirm={(reason) => transition('terminate', reason)}
        onClose={() => setChange(null)}
      >
        <p>
          Every active or suspended credential of {fullName(person)} is revoked at once and cannot be used again. This is recorded in the
          journal with your reason.
        </p>
      </ConfirmDialog>
    </article>
  );
}
