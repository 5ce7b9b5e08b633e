/**
 * The device registry of a site: every reader, controller, agent, sensor and camera by its stable
 * identity (serial number or MAC, never its IP), with health. Filter by kind and health; page with
 * the API's cursor.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { DEVICE_KINDS, type Device, type DeviceHealth, type DeviceKind } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, nullable, optional } from '../../components/admin/forms.tsx';
import { useInvalidate, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { facilityKeys } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { Ago } from '../../shell/widgets.tsx';

export const kindLabel = (kind: DeviceKind) => kind.replace(/_/g, ' ');
const pagedKey = (siteId: string) => [...facilityKeys.devices(siteId), 'paged'] as const;

export function DevicesSection({ siteId }: { siteId: string }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const [kind, setKind] = useState<DeviceKind | ''>('');
  const [health, setHealth] = useState<DeviceHealth | ''>('');
  const [editing, setEditing] = useState<Device | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Device | null>(null);
  const list = usePaged<Device>(pagedKey(siteId), '/api/devices', { site: siteId, kind: kind || undefined, health: health || undefined });
  const manage = can('facility.manage');
  const refresh = () => invalidate(facilityKeys.devices(siteId));

  return (
    <div>
      <SectionHeader title="Devices">
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            Register device
          </button>
        )}
      </SectionHeader>
      <div className="toolbar">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind | '')}>
            <option value="">All kinds</option>
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Health
          <select value={health} onChange={(e) => setHealth(e.target.value as DeviceHealth | '')}>
            <option value="">Any</option>
            <option value="online">Online</option>
            <option value="degraded">Degraded</option>
            <option value="offline">Offline</option>
            <option value="unknown">Unknown</option>
          </select>
        </label>
      </div>
      <ServerError error={list.error} />
      <TableScroll label="Devices">
        <thead>
          <tr>
            <th>Device</th>
            <th>Kind</th>
            <th>Identity</th>
            <th>Health</th>
            <th>Last seen</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.items} columns={manage ? 6 : 5} loading={list.isPending} empty="No devices match.">
            {(device) => (
              <tr key={device.id}>
                <td>
                  {device.name}
                  <div className="muted">{[device.manufacturer, device.model, device.firmwareVersion].filter(Boolean).join(' · ')}</div>
                </td>
                <td>{kindLabel(device.kind)}</td>
                <td>
                  <code>{device.stableId}</code>
                  {device.ipAddress && <div className="muted">{device.ipAddress}</div>}
                </td>
                <td>
                  <Badge value={device.health} />
                  {device.healthReason && <div className="muted">{device.healthReason}</div>}
                </td>
                <td>{device.lastSeenAt ? <Ago at={device.lastSeenAt} /> : 'never'}</td>
                {manage && (
                  <td>
                    <RowActions
                      name={device.name}
                      onChange={() => setEditing(device)}
                      onDelete={() => setDeleting(device)}
                      deleteLabel="Remove"
                    />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="devices" />
      {editing && (
        <DeviceForm siteId={siteId} device={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />
      )}
      <DeleteDialog
        item={deleting}
        title="Remove device"
        confirmLabel="Remove device"
        path={(item) => `/api/devices/${item.id}`}
        onDeleted={() => refresh()}
        onClose={() => setDeleting(null)}
      >
        <p>
          Remove <strong>{deleting?.name}</strong> ({deleting?.stableId}) from the registry? A device still wired to a door cannot be
          removed.
        </p>
      </DeleteDialog>
    </div>
  );
}

function DeviceForm({
  siteId,
  device,
  onClose,
  onSaved,
}: {
  siteId: string;
  device: Device | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [kind, setKind] = useState<DeviceKind>(device?.kind ?? 'reader');
  const [name, setName] = useState(device?.name ?? '');
  const [serialNumber, setSerialNumber] = useState('');
  const [macAddress, setMacAddress] = useState('');
  const [ipAddress, setIpAddress] = useState(device?.ipAddress ?? '');
  const [manufacturer, setManufacturer] = useState(device?.manufacturer ?? '');
  const [model, setModel] = useState(device?.model ?? '');
  const [firmwareVersion, setFirmwareVersion] = useState(device?.firmwareVersion ?? '');

  return (
    <FormDialog
      open
      title={device ? `Change ${device.name}` : 'Register device'}
      submitLabel={device ? 'Save device' : 'Register'}
      onClose={onClose}
      validate={() => (!device && !serialNumber.trim() && !macAddress.trim() ? 'A device needs a serial number or a MAC address.' : null)}
      onSubmit={async () => {
        const details = {
          ipAddress: nullable(ipAddress),
          manufacturer: nullable(manufacturer),
          model: nullable(model),
          firmwareVersion: nullable(firmwareVersion),
        };
        if (device) await api.patch(`/api/devices/${device.id}`, { name: name.trim(), ...details });
        else
          await api.post('/api/devices', {
            siteId,
            kind,
            name: name.trim(),
            serialNumber: optional(serialNumber),
            macAddress: optional(macAddress),
            ...details,
          });
        await onSaved();
      }}
    >
      {!device && (
        <Field label="Kind">
          <select value={kind} onChange={(e) => setKind(e.target.value as DeviceKind)} required>
            {DEVICE_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(k)}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
      {!device && (
        <>
          <Field label="Serial number" hint="Serial number or MAC address: the device's stable identity.">
            <input value={serialNumber} onChange={(e) => setSerialNumber(e.target.value)} maxLength={64} pattern="[A-Za-z0-9_.:\/\-]+" />
          </Field>
          <Field label="MAC address" hint="Six octets, e.g. 02:00:5e:10:00:01.">
            <input value={macAddress} onChange={(e) => setMacAddress(e.target.value)} maxLength={32} />
          </Field>
        </>
      )}
      <Field label="IP address" hint="Optional; may change without losing the device's history.">
        <input value={ipAddress} onChange={(e) => setIpAddress(e.target.value)} maxLength={45} />
      </Field>
      <Field label="Manufacturer">
        <input value={manufacturer} onChange={(e) => setManufacturer(e.target.value)} maxLength={120} />
      </Field>
      <Field label="Model">
        <input value={model} onChange={(e) => setModel(e.target.value)} maxLength={120} />
      </Field>
      <Field label="Firmware version">
        <input value={firmwareVersion} onChange={(e) => setFirmwareVersion(e.target.value)} maxLength={64} />
      </Field>
    </FormDialog>
  );
}
