/**
 * Placing doors on a floor plan: choose a door, then click the drawing where it is; the click is
 * turned into the plan's own coordinates (its viewBox) and saved as the door's `position`. The
 * same can be done from the keyboard with the X/Y fields. The plan is shown as an image, so
 * nothing in the drawing can run in the console.
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Door, Floor, FloorPlanInfo } from '../../components/admin/api-types.ts';
import { AdminForm, Field } from '../../components/admin/forms.tsx';
import { useAction, useInvalidate } from '../../components/admin/hooks.ts';
import { facilityKeys, useDoors } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { planPointOf, usePlanUrl } from './plan-url.ts';

export function DoorPlacer({ floor, plan, editable }: { floor: Floor; plan: FloorPlanInfo; editable: boolean }) {
  const invalidate = useInvalidate();
  const doors = useDoors(floor.siteId);
  const place = useAction();
  const [selectedId, setSelectedId] = useState<string>('');
  const [announcement, setAnnouncement] = useState('');
  const svg = useRef<SVGSVGElement>(null);
  const url = usePlanUrl(floor.id, plan.sha256);
  const { minX, minY, width, height } = plan.viewBox;
  const marker = Math.max(width, height) / 90;
  const labelLeft = (door: Door) => (door.position?.x ?? 0) > minX + width * 0.7;

  const all = doors.data ?? [];
  const here = all.filter((door) => door.floorId === floor.id);
  const elsewhere = all.filter((door) => door.floorId !== floor.id);
  const selected = all.find((door) => door.id === selectedId);

  const save = (door: Door, position: { x: number; y: number } | null) =>
    place.run(async () => {
      await api.patch<Door>(
        `/api/doors/${door.id}`,
        position ? { floorId: floor.id, buildingId: floor.buildingId, position } : { position: null },
      );
      await invalidate(facilityKeys.doors(floor.siteId));
      setAnnouncement(position ? `${door.name} placed at ${position.x}, ${position.y}.` : `${door.name} removed from the plan.`);
    });

  function clickPlan(event: MouseEvent<SVGSVGElement>) {
    if (!editable || !selected || !svg.current) return;
    const point = planPointOf(svg.current, event.clientX, event.clientY);
    if (point) void save(selected, point);
  }

  return (
    <div className="door-placer">
      <div className="placer-side">
        <fieldset className="door-choice">
          <legend>{editable ? 'Door to place' : 'Doors'}</legend>
          {all.length === 0 && <p className="muted">This site has no doors yet; add them under Doors.</p>}
          {[...here, ...elsewhere].map((door) => (
            <label key={door.id} className="inline">
              <input
                type="radio"
                name="door-to-place"
                value={door.id}
                checked={door.id === selectedId}
                onChange={() => setSelectedId(door.id)}
              />
              {door.name}
              <span className="muted">{door.floorId !== floor.id ? ' (another floor or none)' : door.position ? '' : ' (not placed)'}</span>
            </label>
          ))}
        </fieldset>
        {editable && selected && <PositionForm key={selected.id} door={selected} plan={plan} onSave={(p) => save(selected, p)} />}
        <p role="status" aria-live="polite" className="muted" data-testid="placement-status">
          {announcement}
        </p>
        <ServerError error={place.error ?? doors.error} />
      </div>
      <div className="plan-frame">
        {editable && (
          <p className="muted">
            {selected ? `Click the plan where ${selected.name} is.` : 'Choose a door, then click the plan where it is.'}
          </p>
        )}
        <svg
          ref={svg}
          className={selected && editable ? 'plan placing' : 'plan'}
          viewBox={`${minX} ${minY} ${width} ${height}`}
          role="img"
          aria-label={`Floor plan of ${floor.name} with ${here.filter((d) => d.position).length} doors placed`}
          onClick={clickPlan}
          data-testid="floor-plan"
        >
          {url && <image href={url} x={minX} y={minY} width={width} height={height} preserveAspectRatio="none" />}
          {here
            .filter((door) => door.position)
            .map((door) => (
              <g
                key={door.id}
                className={door.id === selectedId ? 'door-marker selected' : 'door-marker'}
                data-door={door.name}
                onClick={(e) => {
                  e.stopPropagation();
                  setSelectedId(door.id);
                }}
              >
                <circle cx={door.position?.x} cy={door.position?.y} r={marker} />
                <text
                  // Names of doors near the right edge go to their left, so they stay inside the drawing.
                  x={(door.position?.x ?? 0) + (labelLeft(door) ? -marker * 1.4 : marker * 1.4)}
                  y={(door.position?.y ?? 0) + marker / 2}
                  textAnchor={labelLeft(door) ? 'end' : 'start'}
                  fontSize={marker * 1.6}
                >
                  {door.name}
                </text>
              </g>
            ))}
        </svg>
      </div>
    </div>
  );
}

/** The keyboard way to place a door: its coordinates on the plan, or off the plan. */
function PositionForm({
  door,
  plan,
  onSave,
}: {
  door: Door;
  plan: FloorPlanInfo;
  onSave: (position: { x: number; y: number } | null) => Promise<boolean>;
}) {
  const { minX, minY, width, height } = plan.viewBox;
  const [x, setX] = useState(door.position ? String(door.position.x) : '');
  const [y, setY] = useState(door.position ? String(door.position.y) : '');
  useEffect(() => {
    setX(door.position ? String(door.position.x) : '');
    setY(door.position ? String(door.position.y) : '');
  }, [door.position]);
  return (
    <AdminForm label={`Position of ${door.name}`} submitLabel="Set position" onSubmit={() => onSave({ x: Number(x), y: Number(y) })}>
      <Field label="X" hint={`${minX} to ${minX + width}`}>
        <input type="number" step="any" min={minX} max={minX + width} value={x} onChange={(e) => setX(e.target.value)} required />
      </Field>
      <Field label="Y" hint={`${minY} to ${minY + height}`}>
        <input type="number" step="any" min={minY} max={minY + height} value={y} onChange={(e) => setY(e.target.value)} required />
      </Field>
      {door.position && door.floorId && (
        <p>
          <button type="button" className="secondary" onClick={() => void onSave(null)}>
            Remove from plan
          </button>
        </p>
      )}
    </AdminForm>
  );
}
