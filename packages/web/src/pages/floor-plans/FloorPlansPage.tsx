/**
 * Floor plans: pick a building and floor; the plan shows every placed door in its live state and
 * marks doors with an open alarm. Choosing a door (on the plan or in the lists) opens its panel:
 * state, recent events and controls. The chosen floor and door are in the address, so an alarm
 * can link straight to its door.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  useBuildings,
  useDoors,
  useFacilityNames,
  useFloors,
  useZoneOutlines,
  useZones,
  type Door,
  type Floor,
} from '../../components/facility.ts';
import { useNow } from '../../components/useNow.ts';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';
import { ErrorNote } from '../../shell/widgets.tsx';
import { isOpen } from '../alarms/alarm-model.ts';
import { useAlarmQueue } from '../alarms/useAlarmQueue.ts';
import { DoorPanel } from '../doors/DoorPanel.tsx';
import type { DoorLayerStore } from './door-layer-store.ts';
import { FloorPlanView } from './FloorPlanView.tsx';
import { FloorSide } from './FloorSide.tsx';
import { useDoorLayer } from './useDoorLayer.ts';
import '../doors/doors.css';
import './floor-plans.css';

type PlacedDoor = Door & { position: { x: number; y: number } };
const isPlaced = (door: Door): door is PlacedDoor => door.position !== null;
const hasPlan = (floor: Floor): floor is Floor & { plan: NonNullable<Floor['plan']> } => floor.plan !== null;

function SelectedDoor({ door, store, siteId, onClose }: { door: Door; store: DoorLayerStore; siteId: string; onClose: () => void }) {
  const subscribe = useCallback((listener: () => void) => store.subscribe(door.id, listener), [store, door.id]);
  const state = useSyncExternalStore(subscribe, () => store.drawnState(door.id));
  const names = useFacilityNames(siteId);
  const now = useNow();
  return (
    <div className="selected-door">
      <button type="button" className="secondary close-door" onClick={onClose}>
        ← All doors on this floor
      </button>
      <DoorPanel door={door} state={state} names={names} now={now} />
    </div>
  );
}

function FloorPlans({ siteId }: { siteId: string }) {
  const { floorId } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const { can } = useSession();
  const selectedId = params.get('door');
  const { data: buildings = [] } = useBuildings(siteId);
  const { data: floors = [], error } = useFloors(siteId);
  const { data: zones = [] } = useZones(siteId);
  const { data: doors = [] } = useDoors(siteId);
  const { alarms } = useAlarmQueue(can('alarms.handle'));
  const store = useDoorLayer(siteId);
  const [highlightZone, setHighlightZone] = useState<string | null>(null);

  const ordered = useMemo(
    () =>
      [...floors].sort(
        (a, b) =>
          buildings.findIndex((x) => x.id === a.buildingId) - buildings.findIndex((x) => x.id === b.buildingId) || a.level - b.level,
      ),
    [floors, buildings],
  );
  const floor = floors.find((f) => f.id === floorId) ?? ordered.find(hasPlan) ?? ordered[0];
  useEffect(() => {
    if (floor && floor.id !== floorId) void navigate(`/plans/${floor.id}${selectedId ? `?door=${selectedId}` : ''}`, { replace: true });
  }, [floor, floorId, navigate, selectedId]);

  const floorDoors = useMemo(() => doors.filter((d) => d.floorId === floor?.id), [doors, floor]);
  const placed = useMemo(() => floorDoors.filter(isPlaced), [floorDoors]);
  const floorZones = useMemo(() => zones.filter((z) => z.floorId === floor?.id), [zones, floor]);
  const alarmedKey = alarms
    .filter((a) => isOpen(a) && a.doorId !== null)
    .map((a) => a.doorId)
    .sort()
    .join(',');
  const alarmedIds = useMemo(() => new Set(alarmedKey ? alarmedKey.split(',') : []), [alarmedKey]);
  const { data: outlines = [] } = useZoneOutlines(floor && hasPlan(floor) ? floor.id : undefined);
  const zoneById = useMemo(() => new Map(zones.map((z) => [z.id, z])), [zones]);
  // A zone is in alarm when an open alarm names it, or names a door leading into it (a forced
  // door's event carries the door, not the zone behind it).
  const doorInto = useMemo(() => new Map(doors.map((d) => [d.id, d.toZoneId])), [doors]);
  const alarmedZoneKey = [
    ...new Set(alarms.filter(isOpen).flatMap((a) => [a.zoneId, a.doorId ? doorInto.get(a.doorId) : null].filter((z): z is string => !!z))),
  ]
    .sort()
    .join(',');
  const alarmedZoneIds = useMemo(() => new Set(alarmedZoneKey ? alarmedZoneKey.split(',') : []), [alarmedZoneKey]);
  const highlightedIds = useMemo(
    () =>
      new Set(
        highlightZone ? floorDoors.filter((d) => d.fromZoneId === highlightZone || d.toZoneId === highlightZone).map((d) => d.id) : [],
      ),
    [floorDoors, highlightZone],
  );
  const select = useCallback((doorId: string | null) => setParams(doorId ? { door: doorId } : {}, { replace: false }), [setParams]);
  const selectedDoor = doors.find((d) => d.id === selectedId);
  const building = buildings.find((b) => b.id === floor?.buildingId);

  if (error) return <ErrorNote error={error} />;
  if (floors.length === 0) return <p className="muted">This site has no floors yet.</p>;

  return (
    <div className="floor-plans-page">
      <div className="toolbar">
        <h1>Floor plans</h1>
        <label>
          Building
          <select
            value={building?.id ?? ''}
            onChange={(e) => {
              const first = ordered.find((f) => f.buildingId === e.target.value);
              if (first) void navigate(`/plans/${first.id}`);
            }}
          >
            {buildings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Floor
          <select value={floor?.id ?? ''} onChange={(e) => void navigate(`/plans/${e.target.value}`)}>
            {ordered
              .filter((f) => f.buildingId === building?.id)
              .map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
          </select>
        </label>
      </div>
      <div className="floor-layout">
        <div className="plan-pane">
          {floor && hasPlan(floor) ? (
            <FloorPlanView
              floor={floor}
              doors={placed}
              store={store}
              selectedId={selectedId}
              highlightedIds={highlightedIds}
              alarmedIds={alarmedIds}
              onSelect={select}
              outlines={outlines}
              zones={zoneById}
              alarmedZoneIds={alarmedZoneIds}
              highlightedZoneId={highlightZone}
            />
          ) : (
            <p className="muted">No plan has been uploaded for this floor; its doors are listed beside.</p>
          )}
          {placed.length < floorDoors.length ? (
            <p className="muted">
              {floorDoors.length - placed.length} door(s) of this floor are not placed on the plan; find them by name.
            </p>
          ) : null}
        </div>
        <aside className="side-pane" aria-label="Doors">
          {selectedDoor ? (
            <SelectedDoor key={selectedDoor.id} door={selectedDoor} store={store} siteId={siteId} onClose={() => select(null)} />
          ) : (
            <FloorSide
              doors={floorDoors}
              zones={floorZones}
              store={store}
              alarmedIds={alarmedIds}
              onSelect={select}
              onHighlightZone={setHighlightZone}
            />
          )}
        </aside>
      </div>
    </div>
  );
}

export default function FloorPlansPage() {
  const { site } = useSites();
  if (!site) return <p className="muted">You have no site to show.</p>;
  // A fresh door layer per site: states of one site never leak into another's plan.
  return <FloorPlans key={site.id} siteId={site.id} />;
}
