/**
 * A door's configuration: place (building, floor), the zones it leads from and to, its readers,
 * controller wiring (lock output, door-position and request-to-exit inputs, the OSDP bus and reader
 * addresses), fail mode, egress and timings. Wiring without a controller, addresses without their
 * bus and a door leading into its own zone are caught here first; what only the server can know
 * (an address another door uses, a read door without a lock output) is shown beside its field.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Door } from '../../components/admin/api-types.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, ItemSelect, type FieldError } from '../../components/admin/forms.tsx';
import { useBuildings, useDevices, useFloors, useZones } from '../../components/admin/lookups.ts';
import { doorFieldErrors, type DoorFieldErrors } from './door-problems.ts';

const point = (value: string): number | null => (value === '' ? null : Number(value));

export function DoorForm({
  siteId,
  door,
  onClose,
  onSaved,
}: {
  siteId: string;
  door: Door | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const buildings = useBuildings(siteId).data ?? [];
  const floors = useFloors(siteId).data ?? [];
  const zones = useZones(siteId).data ?? [];
  const devices = useDevices(siteId).data ?? [];
  const readers = devices.filter((device) => device.kind === 'reader');
  const controllers = devices.filter((device) => device.kind === 'controller' || device.kind === 'edge_agent');
  const [name, setName] = useState(door?.name ?? '');
  const [buildingId, setBuildingId] = useState(door?.buildingId ?? '');
  const [floorId, setFloorId] = useState(door?.floorId ?? '');
  const [fromZoneId, setFromZoneId] = useState(door?.fromZoneId ?? '');
  const [toZoneId, setToZoneId] = useState(door?.toZoneId ?? '');
  const [entryReaderId, setEntryReaderId] = useState(door?.entryReaderId ?? '');
  const [exitReaderId, setExitReaderId] = useState(door?.exitReaderId ?? '');
  const [controllerId, setControllerId] = useState(door?.controllerId ?? '');
  const [lockOutput, setLockOutput] = useState(door?.lockOutput?.toString() ?? '');
  const [doorPositionInput, setDoorPositionInput] = useState(door?.doorPositionInput?.toString() ?? '');
  const [requestToExitInput, setRequestToExitInput] = useState(door?.requestToExitInput?.toString() ?? '');
  const [osdpBus, setOsdpBus] = useState(door?.osdpBus ?? '');
  const [entryReaderAddress, setEntryReaderAddress] = useState(door?.entryReaderAddress?.toString() ?? '');
  const [exitReaderAddress, setExitReaderAddress] = useState(door?.exitReaderAddress?.toString() ?? '');
  const [fieldErrors, setFieldErrors] = useState<DoorFieldErrors>({});
  const [lockFailMode, setLockFailMode] = useState<Door['lockFailMode']>(door?.lockFailMode ?? 'fail_secure');
  const [egress, setEgress] = useState(door?.egress ?? false);
  const [unlockSeconds, setUnlockSeconds] = useState(String(door?.unlockSeconds ?? 5));
  const [heldOpenSeconds, setHeldOpenSeconds] = useState(String(door?.heldOpenSeconds ?? 30));
  const buildingFloors = floors.filter((floor) => !buildingId || floor.buildingId === buildingId);
  const moved = door !== null && floorId !== (door.floorId ?? '');

  function validate(): string | null {
    if (!fromZoneId && !toZoneId) return 'A door must lead into or out of at least one zone: choose its from or to zone.';
    if (fromZoneId && fromZoneId === toZoneId) return 'A door must lead from one zone to a different zone.';
    if (entryReaderId && entryReaderId === exitReaderId) return 'One reader cannot be both the entry and the exit reader.';
    if (
      !controllerId &&
      [lockOutput, doorPositionInput, requestToExitInput, osdpBus.trim(), entryReaderAddress, exitReaderAddress].some((v) => v !== '')
    )
      return 'Lock output, inputs and the OSDP bus need a controller.';
    if (!osdpBus.trim() && (entryReaderAddress !== '' || exitReaderAddress !== ''))
      return 'Reader addresses need the OSDP bus the readers are on.';
    if (entryReaderAddress !== '' && entryReaderAddress === exitReaderAddress)
      return 'One OSDP address cannot be both the entry and the exit reader.';
    return null;
  }

  async function save() {
    const body = {
      name: name.trim(),
      buildingId: buildingId || null,
      floorId: floorId || null,
      fromZoneId: fromZoneId || null,
      toZoneId: toZoneId || null,
      entryReaderId: entryReaderId || null,
      exitReaderId: exitReaderId || null,
      controllerId: controllerId || null,
      lockOutput: point(lockOutput),
      doorPositionInput: point(doorPositionInput),
      requestToExitInput: point(requestToExitInput),
      osdpBus: osdpBus.trim() || null,
      entryReaderAddress: point(entryReaderAddress),
      exitReaderAddress: point(exitReaderAddress),
      lockFailMode,
      egress,
      unlockSeconds: Number(unlockSeconds),
      heldOpenSeconds: Number(heldOpenSeconds),
      // A position belongs to a floor's plan: moving the door to another floor takes it off the old plan.
      ...(moved ? { position: null } : {}),
    };
    setFieldErrors({});
    try {
      if (door) await api.patch(`/api/doors/${door.id}`, body);
      else await api.post('/api/doors', { siteId, ...body });
    } catch (error) {
      // The form shows the refusal in full below; the fields it names show it beside them too.
      setFieldErrors(doorFieldErrors(error, body));
      throw error;
    }
    await onSaved();
  }

  const numberField = (
    label: string,
    value: string,
    set: (v: string) => void,
    error: FieldError | undefined,
    max: number,
    hint: string,
  ) => (
    <Field label={label} hint={hint} error={error}>
      <input type="number" min={0} max={max} step={1} value={value} onChange={(e) => set(e.target.value)} />
    </Field>
  );
  const wiring = (label: string, value: string, set: (v: string) => void, error: FieldError | undefined) =>
    numberField(label, value, set, error, 255, '0–255; empty when not wired.');
  const readerAddress = (label: string, value: string, set: (v: string) => void, error: FieldError | undefined) =>
    numberField(label, value, set, error, 126, 'OSDP address 0–126; empty when not read on the bus.');

  return (
    <FormDialog
      open
      title={door ? `Change ${door.name}` : 'New door'}
      submitLabel={door ? 'Save door' : 'Create door'}
      onClose={onClose}
      onSubmit={save}
      validate={validate}
    >
      <Field label="Door name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Building">
        <ItemSelect
          items={buildings}
          value={buildingId}
          none="No building"
          onChange={(id) => {
            setBuildingId(id);
            setFloorId('');
          }}
        />
      </Field>
      <Field label="Floor" hint={moved ? 'Moving the door to another floor takes it off the old plan.' : undefined}>
        <ItemSelect items={buildingFloors} value={floorId} none="No floor" onChange={setFloorId} />
      </Field>
      <Field label="From zone" hint="Empty: outside.">
        <ItemSelect items={zones} value={fromZoneId} none="Outside" onChange={setFromZoneId} />
      </Field>
      <Field label="To zone" hint="Empty: outside.">
        <ItemSelect items={zones} value={toZoneId} none="Outside" onChange={setToZoneId} />
      </Field>
      <Field label="Entry reader">
        <ItemSelect items={readers} value={entryReaderId} none="None" onChange={setEntryReaderId} />
      </Field>
      <Field label="Exit reader">
        <ItemSelect items={readers} value={exitReaderId} none="None" onChange={setExitReaderId} />
      </Field>
      <Field label="Controller">
        <ItemSelect items={controllers} value={controllerId} none="None" onChange={setControllerId} />
      </Field>
      {wiring('Lock output', lockOutput, setLockOutput, fieldErrors.lockOutput)}
      {wiring('Door-position input', doorPositionInput, setDoorPositionInput, fieldErrors.doorPositionInput)}
      {wiring('Request-to-exit input', requestToExitInput, setRequestToExitInput, fieldErrors.requestToExitInput)}
      <Field
        label="OSDP bus"
        hint="The controller’s bus the readers are on, as its configuration names it (e.g. main)."
        error={fieldErrors.osdpBus}
      >
        <input value={osdpBus} onChange={(e) => setOsdpBus(e.target.value)} maxLength={32} pattern="[A-Za-z0-9_\-]{1,32}" />
      </Field>
      {readerAddress('Entry reader address', entryReaderAddress, setEntryReaderAddress, fieldErrors.entryReaderAddress)}
      {readerAddress('Exit reader address', exitReaderAddress, setExitReaderAddress, fieldErrors.exitReaderAddress)}
      <Field label="Lock when power fails">
        <select value={lockFailMode} onChange={(e) => setLockFailMode(e.target.value as Door['lockFailMode'])}>
          <option value="fail_secure">Fail secure (stays locked)</option>
          <option value="fail_safe">Fail safe (unlocks)</option>
        </select>
      </Field>
      <Field label="Unlock time (seconds)" hint="1–300">
        <input type="number" min={1} max={300} step={1} value={unlockSeconds} onChange={(e) => setUnlockSeconds(e.target.value)} required />
      </Field>
      <Field label="Held-open alarm after (seconds)" hint="1–3600">
        <input
          type="number"
          min={1}
          max={3600}
          step={1}
          value={heldOpenSeconds}
          onChange={(e) => setHeldOpenSeconds(e.target.value)}
          required
        />
      </Field>
      <label className="inline wide">
        <input type="checkbox" checked={egress} onChange={(e) => setEgress(e.target.checked)} />
        Egress door (fire alarm frees it; never locked against exit)
      </label>
    </FormDialog>
  );
}
