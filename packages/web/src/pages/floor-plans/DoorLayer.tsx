/**
 * The doors on a floor plan: one layer over the plan, a marker per placed door, painted in tiles
 * (see door-tiles.ts). Each marker follows its own door in the layer store, so a state change
 * redraws that marker alone. Shape tells the state as well as colour (see DoorShape).
 */
import { memo, useCallback, useMemo, useSyncExternalStore, type MouseEvent } from 'react';
import type { Door, ViewBox } from '../../components/facility.ts';
import { DoorShape } from '../doors/DoorShape.tsx';
import { LOOK_WORDS } from '../doors/door-state.ts';
import type { DoorLayerStore } from './door-layer-store.ts';
import { tilesOf } from './door-tiles.ts';

/** Marker size in plan units: legible on a clinic's plan and on a tower floor alike. */
export function markerRadius(viewBox: ViewBox): number {
  return Math.max(3, Math.min(viewBox.width, viewBox.height) / 60);
}

type PlacedDoor = Door & { position: { x: number; y: number } };

interface MarkerProps {
  door: PlacedDoor;
  store: DoorLayerStore;
  r: number;
  selected: boolean;
  highlighted: boolean;
}

const DoorMarker = memo(function DoorMarker({ door, store, r, selected, highlighted }: MarkerProps) {
  const subscribe = useCallback((listener: () => void) => store.subscribeLook(door.id, listener), [store, door.id]);
  const look = useSyncExternalStore(subscribe, () => store.look(door.id));
  const classes = `door-marker look-${look}${selected ? ' selected' : ''}${highlighted ? ' highlighted' : ''}`;
  return (
    <g className={classes} transform={`translate(${door.position.x} ${door.position.y})`} data-door-id={door.id} data-look={look}>
      {selected || highlighted ? <circle className="focus-ring" r={r * 1.7} strokeWidth={r / 4} /> : null}
      <DoorShape look={look} r={r} />
      <title>{`${door.name}: ${LOOK_WORDS[look]}`}</title>
    </g>
  );
});

export function DoorLayer({
  doors,
  store,
  viewBox,
  selectedId,
  highlightedIds,
  onSelect,
}: {
  doors: readonly PlacedDoor[];
  store: DoorLayerStore;
  viewBox: ViewBox;
  selectedId: string | null;
  highlightedIds: ReadonlySet<string>;
  onSelect: (doorId: string) => void;
}) {
  const tiles = useMemo(() => tilesOf(doors, viewBox), [doors, viewBox]);
  const r = markerRadius(viewBox);
  // One listener for the whole layer rather than one per marker.
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const marker = (event.target as Element).closest('[data-door-id]');
    const id = marker?.getAttribute('data-door-id');
    if (id) onSelect(id);
  };
  return (
    <div className="door-layer" onClick={onClick} role="group" aria-label={`${doors.length} doors`}>
      {tiles.map((tile) => (
        <svg
          key={tile.key}
          className="door-tile"
          viewBox={`${tile.viewBox.minX} ${tile.viewBox.minY} ${tile.viewBox.width} ${tile.viewBox.height}`}
          preserveAspectRatio="none"
          style={{ left: `${tile.box.left}%`, top: `${tile.box.top}%`, width: `${tile.box.width}%`, height: `${tile.box.height}%` }}
        >
          <g strokeWidth={r / 7}>
            {tile.doors.map((door) => (
              <DoorMarker
                key={door.id}
                door={door}
                store={store}
                r={r}
                selected={door.id === selectedId}
                highlighted={highlightedIds.has(door.id)}
              />
            ))}
          </g>
        </svg>
      ))}
    </div>
  );
}

/**
 * Rings around doors with an open alarm, on a layer of their own above the doors: the layer as a
 * whole pulses (a compositor animation), so an alarm never makes the door layer repaint per frame.
 */
export function AlarmRings({ doors, alarmedIds, r }: { doors: readonly PlacedDoor[]; alarmedIds: ReadonlySet<string>; r: number }) {
  return (
    <g>
      {doors
        .filter((door) => alarmedIds.has(door.id))
        .map((door) => (
          <circle
            key={door.id}
            className="alarm-ring"
            cx={door.position.x}
            cy={door.position.y}
            r={r * 2}
            strokeWidth={r / 5}
            data-alarm-door={door.id}
          />
        ))}
    </g>
  );
}
