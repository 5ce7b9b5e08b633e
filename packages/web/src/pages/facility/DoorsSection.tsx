/** A site's doors: where each is, which zones it joins, its readers and where its controller reads them; add, change, remove. */
import { useState } from 'react';
import { Link } from 'react-router';
import type { Door } from '../../components/admin/api-types.ts';
import { DeleteDialog } from '../../components/admin/dialogs.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { facilityKeys, namer, useDevices, useDoors, useFloors, useZones } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { DoorForm } from './DoorForm.tsx';

/** Where the controller reads the door: `bus main: in 5, out 6`. */
function osdpWiring(door: Door): string | null {
  if (door.osdpBus === null) return null;
  const addresses = [
    door.entryReaderAddress !== null && `in ${door.entryReaderAddress}`,
    door.exitReaderAddress !== null && `out ${door.exitReaderAddress}`,
  ].filter(Boolean);
  return `bus ${door.osdpBus}${addresses.length ? `: ${addresses.join(', ')}` : ''}`;
}

export function DoorsSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const doors = useDoors(siteId);
  const floorName = namer(useFloors(siteId).data);
  const zoneName = namer(useZones(siteId).data);
  const deviceName = namer(useDevices(siteId).data);
  const [editing, setEditing] = useState<Door | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Door | null>(null);
  const manage = can('facility.manage');
  const list = [...(doors.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div>
      <SectionHeader title="Doors">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New door
          </button>
        )}
      </SectionHeader>
      <ServerError error={doors.error} />
      <TableScroll label="Doors">
        <thead>
          <tr>
            <th>Door</th>
            <th>Floor</th>
            <th>From → to zone</th>
            <th>Readers</th>
            <th>Egress</th>
            <th>On plan</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list} columns={manage ? 7 : 6} loading={doors.isPending} empty="No doors on this site yet.">
            {(door) => (
              <tr key={door.id}>
                <td>{door.name}</td>
                <td>{door.floorId ? <Link to={`/facility/floors/${door.floorId}`}>{floorName(door.floorId)}</Link> : '—'}</td>
                <td>
                  {door.fromZoneId ? zoneName(door.fromZoneId) : 'outside'} → {door.toZoneId ? zoneName(door.toZoneId) : 'outside'}
                </td>
                <td className="muted">
                  {[
                    door.entryReaderId && `in: ${deviceName(door.entryReaderId)}`,
                    door.exitReaderId && `out: ${deviceName(door.exitReaderId)}`,
                    osdpWiring(door),
                  ]
                    .filter(Boolean)
                    .join(', ') || '—'}
                </td>
                <td>{door.egress ? 'yes' : 'no'}</td>
                <td>{door.position ? `${door.position.x}, ${door.position.y}` : '—'}</td>
                {manage && (
                  <td>
                    <RowActions name={door.name} onChange={() => setEditing(door)} onDelete={() => setDeleting(door)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <DoorForm
          siteId={siteId}
          door={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => invalidate(facilityKeys.doors(siteId))}
        />
      )}
      <DeleteDialog
        item={deleting}
        title="Delete door"
        confirmLabel="Delete door"
        path={(item) => `/api/doors/${item.id}`}
        onDeleted={() => invalidate(facilityKeys.doors(siteId))}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? It disappears from the configuration and floor plans; its history stays in the journal.
        </p>
      </DeleteDialog>
    </div>
  );
}
