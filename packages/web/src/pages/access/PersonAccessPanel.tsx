/**
 * A person's access: the access groups they belong to (each group is doors on schedules) and their
 * privileges (lockdown override, first person in, escort). Changing it replaces both lists, is
 * journaled, and reaches the door controllers with the next snapshot.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../../api/client.ts';
import { PRIVILEGES, type AccessGroup, type PersonAccess, type Privilege } from '../../components/admin/api-types.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { CheckboxList } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader } from '../../components/admin/layout.tsx';
import { accessKeys } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';

export const PRIVILEGE_LABEL: Record<Privilege, string> = {
  lockdown_override: 'Lockdown override (may open doors during a lockdown)',
  first_person_in: 'First person in (unlocks first-person-in doors)',
  escort: 'Escort (may escort visitors)',
  escort_required: 'Escort required (admitted only with an escort)',
};

const personAccessKey = (personId: string) => ['admin', 'access', 'person', personId] as const;

export function PersonAccessPanel({ personId }: { personId: string }) {
  const { can } = useSession();
  const { sites } = useSites();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState(false);
  const access = useQuery({
    queryKey: personAccessKey(personId),
    queryFn: () => api.get<PersonAccess>(`/api/people/persons/${personId}/access`),
  });
  const groups = useQuery({ queryKey: accessKeys.groups('all'), queryFn: () => allPages<AccessGroup>('/api/access-groups') });
  const groupById = new Map((groups.data ?? []).map((group) => [group.id, group]));
  const siteName = (id: string) => sites.find((site) => site.id === id)?.name ?? id;
  const groupLabel = (id: string) => {
    const group = groupById.get(id);
    return group ? `${group.name} (${siteName(group.siteId)}, ${group.doors.length} doors)` : id;
  };

  return (
    <section aria-labelledby={`access-title-${personId}`}>
      <SectionHeader title="Access" level={3} id={`access-title-${personId}`}>
        {can('credentials.manage') && access.data && (
          <button type="button" className="secondary" onClick={() => setEditing(true)}>
            Change access
          </button>
        )}
      </SectionHeader>
      <ServerError error={access.error ?? groups.error} />
      {access.data && (
        <dl className="facts">
          <dt>Access groups</dt>
          <dd>{access.data.groupIds.length ? access.data.groupIds.map(groupLabel).join('; ') : 'None: this person opens no doors.'}</dd>
          <dt>Privileges</dt>
          <dd>{access.data.privileges.length ? access.data.privileges.map((p) => PRIVILEGE_LABEL[p]).join('; ') : 'None'}</dd>
        </dl>
      )}
      {editing && access.data && (
        <AccessForm
          current={access.data}
          groups={groups.data ?? []}
          groupLabel={groupLabel}
          onClose={() => setEditing(false)}
          onSave={async (next) => {
            await api.put(`/api/people/persons/${personId}/access`, next);
            await invalidate(personAccessKey(personId));
          }}
        />
      )}
    </section>
  );
}

function AccessForm({
  current,
  groups,
  groupLabel,
  onClose,
  onSave,
}: {
  current: PersonAccess;
  groups: AccessGroup[];
  groupLabel: (id: string) => string;
  onClose: () => void;
  onSave: (next: { groupIds: string[]; privileges: Privilege[] }) => Promise<void>;
}) {
  const [groupIds, setGroupIds] = useState(current.groupIds);
  const [privileges, setPrivileges] = useState(current.privileges);
  return (
    <FormDialog open title="Change access" submitLabel="Save access" onClose={onClose} onSubmit={() => onSave({ groupIds, privileges })}>
      <CheckboxList
        legend="Access groups"
        options={groups.map((group) => group.id)}
        selected={groupIds}
        onChange={setGroupIds}
        labelOf={groupLabel}
      />
      <CheckboxList
        legend="Privileges"
        options={PRIVILEGES}
        selected={privileges}
        onChange={setPrivileges}
        labelOf={(p) => PRIVILEGE_LABEL[p]}
      />
    </FormDialog>
  );
}
