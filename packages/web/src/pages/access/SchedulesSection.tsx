/** A site's weekly schedules, evaluated in the site's time zone (DST included), with what each does on holidays. */
import { useState } from 'react';
import type { AccessSchedule } from '../../components/admin/api-types.ts';
import { DeleteDialog } from '../../components/admin/dialogs.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { accessKeys, useSchedules } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { describeHoliday, describeInterval } from './schedule-format.ts';
import { ScheduleForm } from './ScheduleForm.tsx';

export function SchedulesSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const schedules = useSchedules(siteId);
  const [editing, setEditing] = useState<AccessSchedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AccessSchedule | null>(null);
  const manage = can('facility.manage');
  const refresh = () => invalidate(accessKeys.schedules(siteId));

  return (
    <section aria-labelledby="schedules-title">
      <SectionHeader title="Schedules" id="schedules-title">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New schedule
          </button>
        )}
      </SectionHeader>
      <ServerError error={schedules.error} />
      <TableScroll label="Schedules">
        <thead>
          <tr>
            <th>Schedule</th>
            <th>Active</th>
            <th>On holidays</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows
            items={schedules.data ?? []}
            columns={manage ? 4 : 3}
            loading={schedules.isPending}
            empty="No schedules on this site yet."
          >
            {(schedule) => (
              <tr key={schedule.id}>
                <td>{schedule.name}</td>
                <td>{schedule.intervals.map(describeInterval).join('; ') || 'never'}</td>
                <td className="muted">
                  {Object.entries(schedule.holidays)
                    .map(([type, behaviour]) => `${type}: ${describeHoliday(behaviour)}`)
                    .join('; ') || 'holidays run as normal days'}
                </td>
                {manage && (
                  <td>
                    <RowActions name={schedule.name} onChange={() => setEditing(schedule)} onDelete={() => setDeleting(schedule)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <ScheduleForm siteId={siteId} schedule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      <DeleteDialog
        item={deleting}
        title="Delete schedule"
        confirmLabel="Delete schedule"
        path={(item) => `/api/access-schedules/${item.id}`}
        onDeleted={() => refresh()}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? A schedule still used by an access group or a door cannot be deleted.
        </p>
      </DeleteDialog>
    </section>
  );
}
