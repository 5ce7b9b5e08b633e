/** A site's zones: type (from the server's catalogue, which suggests a security level), level, building and floor. */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Zone, ZoneType } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, ItemSelect } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { facilityKeys, namer, useBuildings, useFloors, useZones, useZoneTypes } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';

const LEVELS = ['public', 'staff', 'restricted', 'high', 'critical'] as const;

export function ZonesSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const zones = useZones(siteId);
  const types = useZoneTypes();
  const floorName = namer(useFloors(siteId).data);
  const [editing, setEditing] = useState<Zone | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Zone | null>(null);
  const manage = can('facility.manage');
  const typeLabel = (type: ZoneType) => types.data?.find((t) => t.type === type)?.label ?? type;
  const list = [...(zones.data ?? [])].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <div>
      <SectionHeader title="Zones">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New zone
          </button>
        )}
      </SectionHeader>
      <ServerError error={zones.error} />
      <TableScroll label="Zones">
        <thead>
          <tr>
            <th>Zone</th>
            <th>Type</th>
            <th>Security level</th>
            <th>Floor</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list} columns={manage ? 5 : 4} loading={zones.isPending} empty="No zones on this site yet.">
            {(zone) => (
              <tr key={zone.id}>
                <td>{zone.name}</td>
                <td>{typeLabel(zone.type)}</td>
                <td>
                  {zone.securityLevel} · {zone.securityLevelName}
                </td>
                <td>{floorName(zone.floorId)}</td>
                {manage && (
                  <td>
                    <RowActions name={zone.name} onChange={() => setEditing(zone)} onDelete={() => setDeleting(zone)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <ZoneForm
          siteId={siteId}
          zone={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => invalidate(facilityKeys.zones(siteId))}
        />
      )}
      <DeleteDialog
        item={deleting}
        title="Delete zone"
        confirmLabel="Delete zone"
        path={(item) => `/api/zones/${item.id}`}
        onDeleted={() => invalidate(facilityKeys.zones(siteId))}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete <strong>{deleting?.name}</strong>? Doors leading into or out of it must be changed first; the server says which refer to
          it.
        </p>
      </DeleteDialog>
    </div>
  );
}

function ZoneForm({
  siteId,
  zone,
  onClose,
  onSaved,
}: {
  siteId: string;
  zone: Zone | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const types = useZoneTypes().data ?? [];
  const buildings = useBuildings(siteId).data ?? [];
  const floors = useFloors(siteId).data ?? [];
  const [name, setName] = useState(zone?.name ?? '');
  const [type, setType] = useState<ZoneType>(zone?.type ?? 'clinical');
  const [level, setLevel] = useState(zone ? String(zone.securityLevel) : '');
  const [buildingId, setBuildingId] = useState(zone?.buildingId ?? '');
  const [floorId, setFloorId] = useState(zone?.floorId ?? '');
  const typeInfo = types.find((t) => t.type === type);

  return (
    <FormDialog
      open
      title={zone ? `Change ${zone.name}` : 'New zone'}
      submitLabel={zone ? 'Save zone' : 'Create zone'}
      onClose={onClose}
      onSubmit={async () => {
        const body = {
          name: name.trim(),
          type,
          buildingId: buildingId || null,
          floorId: floorId || null,
          ...(level ? { securityLevel: Number(level) } : {}),
        };
        if (zone) await api.patch(`/api/zones/${zone.id}`, body);
        else await api.post('/api/zones', { siteId, ...body });
        await onSaved();
      }}
    >
      <Field label="Zone name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Type" hint={typeInfo?.description}>
        <select value={type} onChange={(e) => setType(e.target.value as ZoneType)} required>
          {types.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
          {types.length === 0 && <option value={type}>{type}</option>}
        </select>
      </Field>
      <Field
        label="Security level"
        hint={typeInfo ? `Default for this type: ${typeInfo.defaultSecurityLevel} (${typeInfo.defaultSecurityLevelName})` : undefined}
      >
        <select value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="">The type's default</option>
          {LEVELS.map((levelName, index) => (
            <option key={levelName} value={index + 1}>
              {index + 1} · {levelName}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Building">
        <ItemSelect items={buildings} value={buildingId} none="None (site-wide)" onChange={setBuildingId} />
      </Field>
      <Field label="Floor">
        <ItemSelect
          items={floors.filter((f) => !buildingId || f.buildingId === buildingId)}
          value={floorId}
          none="None"
          onChange={setFloorId}
        />
      </Field>
    </FormDialog>
  );
}
