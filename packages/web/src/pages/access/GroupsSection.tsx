/** A site's access groups: which doors each opens and on which schedule. Persons are given groups on their record. */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { AccessGroup } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { accessKeys, namer, useAccessGroups, useDoors, useSchedules } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';

export function GroupsSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const groups = useAccessGroups(siteId);
  const doorName = namer(useDoors(siteId).data);
  const scheduleName = namer(useSchedules(siteId).data);
  const [editing, setEditing] = useState<AccessGroup | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AccessGroup | null>(null);
  const manage = can('facility.manage');
  const refresh = () => invalidate(accessKeys.all);

  return (
    <section aria-labelledby="groups-title">
      <SectionHeader title="Access groups" id="groups-title">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New access group
          </button>
        )}
      </SectionHeader>
      <ServerError error={groups.error} />
      <TableScroll label="Access groups">
        <thead>
          <tr>
            <th>Group</th>
            <th>Doors (schedule)</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows
            items={groups.data ?? []}
            columns={manage ? 3 : 2}
            loading={groups.isPending}
            empty="No access groups on this site yet."
          >
            {(group) => (
              <tr key={group.id}>
                <td>
                  {group.name}
                  {group.description && <div className="muted">{group.description}</div>}
                </td>
                <td>{group.doors.map((d) => `${doorName(d.doorId)} (${scheduleName(d.scheduleId)})`).join('; ') || 'no doors'}</td>
                {manage && (
                  <td>
                    <RowActions name={group.name} onChange={() => setEditing(group)} onDelete={() => setDeleting(group)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <GroupForm siteId={siteId} group={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      <DeleteDialog
        item={deleting}
        title="Delete access group"
        confirmLabel="Delete group"
        path={(item) => `/api/access-groups/${item.id}`}
        onDeleted={() => refresh()}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? Everyone who holds it loses access to its doors once the door controllers receive the
          next snapshot.
        </p>
      </DeleteDialog>
    </section>
  );
}

function GroupForm({
  siteId,
  group,
  onClose,
  onSaved,
}: {
  siteId: string;
  group: AccessGroup | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const doors = [...(useDoors(siteId).data ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const schedules = useSchedules(siteId).data ?? [];
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const [chosen, setChosen] = useState<Map<string, string>>(new Map((group?.doors ?? []).map((d) => [d.doorId, d.scheduleId])));
  const toggle = (doorId: string, on: boolean) => {
    const next = new Map(chosen);
    if (on) next.set(doorId, chosen.get(doorId) ?? schedules[0]?.id ?? '');
    else next.delete(doorId);
    setChosen(next);
  };

  return (
    <FormDialog
      open
      title={group ? `Change ${group.name}` : 'New access group'}
      submitLabel="Save group"
      onClose={onClose}
      validate={() =>
        [...chosen.values()].some((scheduleId) => !scheduleId)
          ? 'Every chosen door needs a schedule; create one under Schedules first.'
          : null
      }
      onSubmit={async () => {
        const body = {
          name: name.trim(),
          description: description.trim(),
          doors: [...chosen].map(([doorId, scheduleId]) => ({ doorId, scheduleId })),
        };
        if (group) await api.patch(`/api/access-groups/${group.id}`, body);
        else await api.post('/api/access-groups', { siteId, ...body });
        await onSaved();
      }}
    >
      <Field label="Group name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} autoFocus />
      </Field>
      <Field label="Description" hint="Optional.">
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
      </Field>
      <div className="group-doors wide">
        <TableScroll label="Doors of the group">
          <thead>
            <tr>
              <th>Door</th>
              <th>Schedule</th>
            </tr>
          </thead>
          <tbody>
            {doors.map((door) => (
              <tr key={door.id}>
                <td>
                  <label className="inline">
                    <input type="checkbox" checked={chosen.has(door.id)} onChange={(e) => toggle(door.id, e.target.checked)} />
                    {door.name}
                  </label>
                </td>
                <td>
                  {chosen.has(door.id) && (
                    <select
                      aria-label={`Schedule for ${door.name}`}
                      value={chosen.get(door.id)}
                      onChange={(e) => setChosen(new Map(chosen).set(door.id, e.target.value))}
                      required
                    >
                      {schedules.map((schedule) => (
                        <option key={schedule.id} value={schedule.id}>
                          {schedule.name}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </TableScroll>
      </div>
    </FormDialog>
  );
}
