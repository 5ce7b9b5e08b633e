/** A site's buildings, each with its floors; a floor's plan and door placement open on their own page. */
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { Building, Floor } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { EmptyRow, SectionHeader, TableScroll } from '../../components/admin/layout.tsx';
import { facilityKeys, useBuildings, useFloors } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';

type Editing = { kind: 'building'; building: Building | null } | { kind: 'floor'; buildingId: string; floor: Floor | null } | null;
/** What is about to be deleted: a building or a floor. */
type Deleting = { kind: 'building' | 'floor'; id: string; name: string } | null;

export function BuildingsSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const buildings = useBuildings(siteId);
  const floors = useFloors(siteId);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Deleting>(null);
  const manage = can('facility.manage');
  const refresh = () => invalidate(facilityKeys.buildings(siteId), facilityKeys.floors(siteId));

  return (
    <div>
      <SectionHeader title="Buildings & floors">
        {manage && (
          <button type="button" onClick={() => setEditing({ kind: 'building', building: null })}>
            New building
          </button>
        )}
      </SectionHeader>
      <ServerError error={buildings.error ?? floors.error} />
      {buildings.data?.length === 0 && <p className="muted">No buildings on this site yet.</p>}
      {(buildings.data ?? []).map((building) => {
        const own = (floors.data ?? []).filter((floor) => floor.buildingId === building.id).sort((a, b) => b.level - a.level);
        return (
          <section key={building.id} className="panel" aria-label={`Building ${building.name}`}>
            <SectionHeader title={building.name} level={3}>
              {manage && (
                <>
                  <button type="button" onClick={() => setEditing({ kind: 'floor', buildingId: building.id, floor: null })}>
                    New floor
                  </button>
                  <button type="button" className="secondary" onClick={() => setEditing({ kind: 'building', building })}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setDeleting({ kind: 'building', id: building.id, name: building.name })}
                  >
                    Delete
                  </button>
                </>
              )}
            </SectionHeader>
            <TableScroll label={`Floors of ${building.name}`}>
              <thead>
                <tr>
                  <th className="num">Level</th>
                  <th>Floor</th>
                  <th>Plan</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {own.length === 0 ? (
                  <EmptyRow columns={4}>No floors yet.</EmptyRow>
                ) : (
                  own.map((floor) => (
                    <tr key={floor.id}>
                      <td className="num">{floor.level}</td>
                      <td>{floor.name}</td>
                      <td className="muted">{floor.plan ? `uploaded ${formatInstant(floor.plan.uploadedAt)}` : 'none'}</td>
                      <td>
                        <div className="row-actions">
                          <Link to={`/facility/floors/${floor.id}`} aria-label={`Plan and doors of ${floor.name}`}>
                            Plan & doors
                          </Link>
                          {manage && (
                            <>
                              <button
                                type="button"
                                className="secondary"
                                onClick={() => setEditing({ kind: 'floor', buildingId: building.id, floor })}
                              >
                                Change
                              </button>
                              <button
                                type="button"
                                className="secondary"
                                onClick={() => setDeleting({ kind: 'floor', id: floor.id, name: floor.name })}
                              >
                                Delete
                              </button>
                            </>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </TableScroll>
          </section>
        );
      })}
      {editing?.kind === 'building' && (
        <BuildingForm siteId={siteId} building={editing.building} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      {editing?.kind === 'floor' && (
        <FloorForm buildingId={editing.buildingId} floor={editing.floor} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      <DeleteDialog
        item={deleting}
        title={deleting?.kind === 'building' ? 'Delete building' : 'Delete floor'}
        confirmLabel="Delete"
        path={(item) => `/api/${item.kind === 'building' ? 'buildings' : 'floors'}/${item.id}`}

        onDeleted={() => refresh()}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? Nothing may still refer to it (floors, zones, doors); the server says what does.
        </p>
      </DeleteDialog>
    </div>
  );
}

function BuildingForm({
  siteId,
  building,
  onClose,
  onSaved,
}: {
  siteId: string;
  building: Building | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [name, setName] = useState(building?.name ?? '');
  return (
    <FormDialog
      open
      title={building ? 'Rename building' : 'New building'}
      submitLabel={building ? 'Save' : 'Create building'}
      onClose={onClose}
      onSubmit={async () => {
        if (building) await api.patch(`/api/buildings/${building.id}`, { name: name.trim() });
        else await api.post('/api/buildings', { siteId, name: name.trim() });
        await onSaved();
      }}
    >
      <Field label="Building name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
    </FormDialog>
  );
}

function FloorForm({
  buildingId,
  floor,
  onClose,
  onSaved,
}: {
  buildingId: string;
  floor: Floor | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [name, setName] = useState(floor?.name ?? '');
  const [level, setLevel] = useState(String(floor?.level ?? 0));
  return (
    <FormDialog
      open
      title={floor ? 'Change floor' : 'New floor'}
      submitLabel={floor ? 'Save' : 'Create floor'}
      onClose={onClose}
      onSubmit={async () => {
        const body = { name: name.trim(), level: Number(level) };
        if (floor) await api.patch(`/api/floors/${floor.id}`, body);
        else await api.post('/api/floors', { buildingId, ...body });
        await onSaved();
      }}
    >
      <Field label="Floor name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Level" hint="0 for ground, negative below ground (−20 to 200).">
        <input type="number" value={level} onChange={(e) => setLevel(e.target.value)} required min={-20} max={200} step={1} />
      </Field>
    </FormDialog>
  );
}
