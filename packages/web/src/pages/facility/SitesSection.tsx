/** Sites: name, IANA time zone (schedules run in it) and address; creating one switches the console to it. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../../api/client.ts';
import type { SiteRecord } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, nullable, optional } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { facilityKeys } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';

const siteListKey = ['admin', 'facility', 'site-records'] as const;
const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Whether this browser knows the zone (the server has the last word, e.g. on abbreviations). */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function SitesSection() {
  const { can } = useSession();
  const { site: current, select } = useSites();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<SiteRecord | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SiteRecord | null>(null);
  const list = useQuery({ queryKey: siteListKey, queryFn: () => allPages<SiteRecord>('/api/sites') });
  const manage = can('facility.manage');
  const refresh = () => invalidate(siteListKey, facilityKeys.sites);

  return (
    <div>
      <SectionHeader title="Sites">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New site
          </button>
        )}
      </SectionHeader>
      <ServerError error={list.error} />
      <TableScroll label="Sites">
        <thead>
          <tr>
            <th>Name</th>
            <th>Time zone</th>
            <th>Address</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.data ?? []} columns={4} loading={list.isPending} empty="No sites yet.">
            {(site) => (
              <tr key={site.id} className={site.id === current?.id ? 'selected' : undefined}>
                <td>{site.name}</td>
                <td>{site.timeZone}</td>
                <td className="muted">{site.address ?? '—'}</td>
                <td>
                  <div className="row-actions">
                    {site.id !== current?.id && (
                      <button type="button" className="secondary" onClick={() => select(site.id)} aria-label={`Work on ${site.name}`}>
                        Work on this site
                      </button>
                    )}
                    {manage && (
                      <>
                        <button type="button" className="secondary" onClick={() => setEditing(site)} aria-label={`Change ${site.name}`}>
                          Change
                        </button>
                        <button type="button" className="secondary" onClick={() => setDeleting(site)} aria-label={`Delete ${site.name}`}>
                          Delete
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <SiteForm
          site={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async (saved) => {
            await refresh();
            if (editing === 'new') select(saved.id);
          }}
        />
      )}
      <DeleteDialog
        item={deleting}
        title="Delete site"
        confirmLabel="Delete site"
        path={(item) => `/api/sites/${item.id}`}
        onDeleted={() => refresh()}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? Only an empty site can be deleted: remove its buildings, zones, doors and devices first.
        </p>
      </DeleteDialog>
    </div>
  );
}

function SiteForm({
  site,
  onClose,
  onSaved,
}: {
  site: SiteRecord | null;
  onClose: () => void;
  onSaved: (site: SiteRecord) => Promise<void>;
}) {
  const [name, setName] = useState(site?.name ?? '');
  const [timeZone, setTimeZone] = useState(site?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [address, setAddress] = useState(site?.address ?? '');
  return (
    <FormDialog
      open
      title={site ? 'Change site' : 'New site'}
      submitLabel={site ? 'Save' : 'Create site'}
      onClose={onClose}
      validate={() => (knownTimeZone(timeZone.trim()) ? null : `${timeZone} is not an IANA time zone such as America/Chicago.`)}
      onSubmit={async () => {
        const body = { name: name.trim(), timeZone: timeZone.trim() };
        const saved = site
          ? await api.patch<SiteRecord>(`/api/sites/${site.id}`, { ...body, address: nullable(address) })
          : await api.post<SiteRecord>('/api/sites', { ...body, address: optional(address) });
        await onSaved(saved);
      }}
    >
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Time zone" hint="IANA name, e.g. America/Chicago. Schedules and holidays run in it.">
        <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} required maxLength={64} list="time-zones" />
      </Field>
      <datalist id="time-zones">
        {TIME_ZONES.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <Field label="Address" hint="Optional.">
        <textarea value={address} onChange={(e) => setAddress(e.target.value)} maxLength={500} rows={2} />
      </Field>
    </FormDialog>
  );
}
