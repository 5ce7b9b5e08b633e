/** A site's holidays (date, type, name); each schedule says what it does on each holiday type. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../../api/client.ts';
import type { Holiday } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { accessKeys } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';

export function HolidaysPanel({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const holidays = useQuery({ queryKey: accessKeys.holidays(siteId), queryFn: () => allPages<Holiday>(`/api/sites/${siteId}/holidays`) });
  const manage = can('facility.manage');
  const list = [...(holidays.data ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  const refresh = () => invalidate(accessKeys.holidays(siteId));

  return (
    <section aria-labelledby="holidays-title">
      <SectionHeader title="Holidays" id="holidays-title">
        {manage && (
          <button type="button" onClick={() => setAdding(true)}>
            Add holiday
          </button>
        )}
      </SectionHeader>
      <ServerError error={holidays.error} />
      <TableScroll label="Holidays">
        <thead>
          <tr>
            <th>Date</th>
            <th>Name</th>
            <th>Type</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list} columns={manage ? 4 : 3} loading={holidays.isPending} empty="No holidays on this site.">
            {(holiday) => (
              <tr key={holiday.id}>
                <td>{holiday.date}</td>
                <td>{holiday.name}</td>
                <td>
                  <code>{holiday.type}</code>
                </td>
                {manage && (
                  <td>
                    <button type="button" className="secondary" onClick={() => setRemoving(holiday)} aria-label={`Remove ${holiday.name}`}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {adding && <HolidayForm siteId={siteId} onClose={() => setAdding(false)} onSaved={refresh} />}
      <DeleteDialog
        item={removing}
        title="Remove holiday"
        confirmLabel="Remove"
        path={(item) => `/api/sites/${siteId}/holidays/${item.id}`}
        onDeleted={() => refresh()}
        onClose={() => setRemoving(null)}
      >
        <p>
          Remove {removing?.name} ({removing?.date})? Schedules then run as on a normal day that date.
        </p>
      </DeleteDialog>
    </section>
  );
}

function HolidayForm({ siteId, onClose, onSaved }: { siteId: string; onClose: () => void; onSaved: () => Promise<void> }) {
  const [date, setDate] = useState('');
  const [type, setType] = useState('public');
  const [name, setName] = useState('');
  return (
    <FormDialog
      open
      title="Add holiday"
      submitLabel="Add holiday"
      onClose={onClose}
      onSubmit={async () => {
        await api.post(`/api/sites/${siteId}/holidays`, { date, type, name: name.trim() });
        await onSaved();
      }}
    >
      <Field label="Date">
        <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required autoFocus />
      </Field>
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} />
      </Field>
      <Field label="Type" hint="Lower case, e.g. public or reduced; schedules name the types they treat differently.">
        <input value={type} onChange={(e) => setType(e.target.value)} required pattern="[a-z][a-z0-9_]{0,31}" />
      </Field>
    </FormDialog>
  );
}
