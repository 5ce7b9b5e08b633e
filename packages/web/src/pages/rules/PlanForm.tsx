/** Defining or changing an emergency plan: scope, doors, outputs, notification channels, start buttons, confirmation. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { allPages, api } from '../../api/client.ts';
import { ZONE_TYPES, type ZoneType } from '../../components/admin/api-types.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { CheckboxList, Field, ItemSelect } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { useBuildings, useDevices, useDoors, useZones } from '../../components/admin/lookups.ts';

export interface EmergencyPlan {
  id: string;
  siteId: string;
  name: string;
  kind: 'fire' | 'lockdown' | 'code_pink' | 'shelter_in_place';
  scope: { buildingIds: string[]; zoneIds: string[]; zoneTypes: string[] };
  doors: { selection: 'all' | 'perimeter'; include: string[]; exclude: string[] };
  outputs: { controllerId: string; output: number; label: string }[];
  notify: string[];
  buttons: { event: string; source: string }[];
  requiresConfirmation: boolean;
  version: number;
}

export const plansKey = ['admin', 'emergency-plans'] as const;

interface Channel {
  id: string;
  name: string;
  kind: 'webhook' | 'email';
}

export function PlanForm({ plan, siteId, onClose }: { plan: EmergencyPlan | null; siteId: string; onClose: () => void }) {
  const invalidate = useInvalidate();
  const buildings = useBuildings(siteId).data ?? [];
  const zones = useZones(siteId).data ?? [];
  const doors = useDoors(siteId).data ?? [];
  const controllers = (useDevices(siteId).data ?? []).filter(
    (d) => d.kind === 'controller' || d.kind === 'edge_agent' || d.kind === 'io_module',
  );
  const channels =
    useQuery({ queryKey: ['admin', 'channels'], queryFn: () => allPages<Channel>('/api/notifications/channels') }).data ?? [];
  const [name, setName] = useState(plan?.name ?? '');
  const [kind, setKind] = useState<EmergencyPlan['kind']>(plan?.kind ?? 'lockdown');
  const [buildingIds, setBuildingIds] = useState(plan?.scope.buildingIds ?? []);
  const [zoneIds, setZoneIds] = useState(plan?.scope.zoneIds ?? []);
  const [zoneTypes, setZoneTypes] = useState<ZoneType[]>((plan?.scope.zoneTypes ?? []) as ZoneType[]);
  const [selection, setSelection] = useState(plan?.doors.selection ?? 'all');
  const [include, setInclude] = useState(plan?.doors.include ?? []);
  const [exclude, setExclude] = useState(plan?.doors.exclude ?? []);
  const [outputs, setOutputs] = useState(plan?.outputs ?? []);
  const [notify, setNotify] = useState(plan?.notify ?? []);
  const [buttons, setButtons] = useState(plan?.buttons ?? []);
  const [requiresConfirmation, setRequiresConfirmation] = useState(plan?.requiresConfirmation ?? false);
  const label = (items: { id: string; name: string }[]) => (id: string) => items.find((i) => i.id === id)?.name ?? id;

  return (
    <FormDialog
      open
      title={plan ? `Change ${plan.name}` : 'New emergency plan'}
      submitLabel="Save plan"
      onClose={onClose}
      validate={() =>
        kind === 'fire' && requiresConfirmation ? 'A fire plan cannot wait for a second operator: egress must be freed at once.' : null
      }
      onSubmit={async () => {
        const body = {
          siteId,
          name: name.trim(),
          kind,
          scope: { buildingIds, zoneIds, zoneTypes },
          doors: { selection, include, exclude },
          outputs: outputs.map((o) => ({ ...o, output: Number(o.output) })),
          notify,
          buttons,
          requiresConfirmation,
        };
        if (plan) await api.put(`/api/emergency/plans/${plan.id}`, body);
        else await api.post('/api/emergency/plans', body);
        await invalidate(plansKey);
      }}
    >
      <Field label="Plan name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
      </Field>
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as EmergencyPlan['kind'])}>
          <option value="fire">Fire (frees egress doors)</option>
          <option value="lockdown">Lockdown</option>
          <option value="code_pink">Code Pink (infant abduction)</option>
          <option value="shelter_in_place">Shelter in place</option>
        </select>
      </Field>
      <p className="muted">Scope: leave all empty for the whole site.</p>
      <CheckboxList
        legend="Buildings"
        options={buildings.map((b) => b.id)}
        selected={buildingIds}
        onChange={setBuildingIds}
        labelOf={label(buildings)}
      />
      <CheckboxList legend="Zones" options={zones.map((z) => z.id)} selected={zoneIds} onChange={setZoneIds} labelOf={label(zones)} />
      <CheckboxList
        legend="Zone types"
        options={ZONE_TYPES}
        selected={zoneTypes}
        onChange={setZoneTypes}
        labelOf={(t) => t.replace(/_/g, ' ')}
      />
      <Field label="Doors">
        <select value={selection} onChange={(e) => setSelection(e.target.value as 'all' | 'perimeter')}>
          <option value="all">Every door in scope</option>
          <option value="perimeter">Perimeter doors of the scope</option>
        </select>
      </Field>
      <CheckboxList
        legend="Also these doors"
        options={doors.map((d) => d.id)}
        selected={include}
        onChange={setInclude}
        labelOf={label(doors)}
      />
      <CheckboxList
        legend="Never these doors"
        options={doors.map((d) => d.id)}
        selected={exclude}
        onChange={setExclude}
        labelOf={label(doors)}
      />
      <fieldset className="checkbox-list">
        <legend>Outputs (sirens, strobes)</legend>
        {outputs.map((output, index) => (
          <div key={index} className="toolbar">
            <ItemSelect
              label={`Controller of output ${index + 1}`}
              items={controllers}
              value={output.controllerId}
              required
              onChange={(controllerId) => setOutputs(outputs.map((o, i) => (i === index ? { ...o, controllerId } : o)))}
            />
            <input
              aria-label={`Output number ${index + 1}`}
              type="number"
              min={0}
              max={255}
              value={output.output}
              required
              onChange={(e) => setOutputs(outputs.map((o, i) => (i === index ? { ...o, output: Number(e.target.value) } : o)))}
            />
            <input
              aria-label={`Label of output ${index + 1}`}
              value={output.label}
              maxLength={100}
              placeholder="Label"
              onChange={(e) => setOutputs(outputs.map((o, i) => (i === index ? { ...o, label: e.target.value } : o)))}
            />
            <button type="button" className="secondary" onClick={() => setOutputs(outputs.filter((_, i) => i !== index))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setOutputs([...outputs, { controllerId: '', output: 0, label: '' }])}>
          Add output
        </button>
      </fieldset>
      <CheckboxList
        legend="Notify channels"
        options={channels.map((c) => c.id)}
        selected={notify}
        onChange={setNotify}
        labelOf={(id) => {
          const c = channels.find((x) => x.id === id);
          return c ? `${c.name} (${c.kind})` : id;
        }}
      />
      <fieldset className="checkbox-list">
        <legend>Buttons that start it (event and source)</legend>
        {buttons.map((button, index) => (
          <div key={index} className="toolbar">
            <input
              aria-label={`Event of button ${index + 1}`}
              value={button.event}
              maxLength={100}
              placeholder="panic_button.pressed"
              required
              onChange={(e) => setButtons(buttons.map((b, i) => (i === index ? { ...b, event: e.target.value } : b)))}
            />
            <input
              aria-label={`Source of button ${index + 1}`}
              value={button.source}
              maxLength={200}
              placeholder="device:serial"
              required
              onChange={(e) => setButtons(buttons.map((b, i) => (i === index ? { ...b, source: e.target.value } : b)))}
            />
            <button type="button" className="secondary" onClick={() => setButtons(buttons.filter((_, i) => i !== index))}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => setButtons([...buttons, { event: '', source: '' }])}>
          Add button
        </button>
      </fieldset>
      <label className="inline wide">
        <input
          type="checkbox"
          checked={requiresConfirmation}
          onChange={(e) => setRequiresConfirmation(e.target.checked)}
          disabled={kind === 'fire'}
        />
        A second operator must confirm before the plan acts {kind === 'fire' && '(never for fire)'}
      </label>
    </FormDialog>
  );
}
