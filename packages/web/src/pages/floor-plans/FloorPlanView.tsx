/**
 * The uploaded floor plan with its zones and the door layer over it, in the plan's own coordinates. The plan is
 * an <img>: the browser renders it as a picture, so nothing in it can run or load anything (the
 * server sanitised it too). The doors are the console's own SVG, a transparent layer of the same
 * size on top, on compositor layers of their own so a door changing state repaints markers, never
 * the (possibly very detailed) drawing. Zoom enlarges both inside a scrolling frame, for a dense
 * plan on a phone.
 */
import { useState } from 'react';
import type { Door, Floor, Zone, ZoneOutline } from '../../components/facility.ts';
import type { DoorLayerStore } from './door-layer-store.ts';
import { DOOR_LOOKS, LOOK_WORDS } from '../doors/door-state.ts';
import { LookIcon } from '../doors/DoorShape.tsx';
import { AlarmRings, DoorLayer, markerRadius } from './DoorLayer.tsx';
import { ZoneLayer } from './ZoneLayer.tsx';

type PlacedDoor = Door & { position: { x: number; y: number } };
const ZOOMS = [1, 1.5, 2, 3, 4];

export function FloorPlanView({
  floor,
  doors,
  store,
  selectedId,
  highlightedIds,
  alarmedIds,
  onSelect,
  outlines = [],
  zones = new Map<string, Zone>(),
  alarmedZoneIds = new Set<string>(),
  highlightedZoneId = null,
}: {
  floor: Floor & { plan: NonNullable<Floor['plan']> };
  doors: readonly PlacedDoor[];
  store: DoorLayerStore;
  selectedId: string | null;
  highlightedIds: ReadonlySet<string>;
  alarmedIds: ReadonlySet<string>;
  onSelect: (doorId: string) => void;
  /** Zone outlines on this floor, drawn under the doors. */
  outlines?: readonly ZoneOutline[];
  zones?: ReadonlyMap<string, Zone>;
  alarmedZoneIds?: ReadonlySet<string>;
  highlightedZoneId?: string | null;
}) {
  const [zoomIndex, setZoomIndex] = useState(0);
  const [failed, setFailed] = useState(false);
  const { minX, minY, width, height } = floor.plan.viewBox;
  const zoom = ZOOMS[zoomIndex] ?? 1;
  return (
    <div className="plan">
      <div className="plan-tools" role="group" aria-label="Zoom">
        <button
          type="button"
          className="secondary"
          onClick={() => setZoomIndex((i) => Math.max(0, i - 1))}
          disabled={zoomIndex === 0}
          aria-label="Zoom out"
        >
          −
        </button>
        <span className="muted">{Math.round(zoom * 100)} %</span>
        <button
          type="button"
          className="secondary"
          onClick={() => setZoomIndex((i) => Math.min(ZOOMS.length - 1, i + 1))}
          disabled={zoomIndex === ZOOMS.length - 1}
          aria-label="Zoom in"
        >
          +
        </button>
      </div>
      {failed ? <p className="error">The floor plan drawing could not be loaded; doors are shown at their positions.</p> : null}
      <div className="plan-frame">
        <div className="plan-canvas" style={{ width: `${zoom * 100}%`, aspectRatio: `${width} / ${height}` }} data-testid="floor-plan">
          <img
            className="plan-image"
            src={`/api/floors/${encodeURIComponent(floor.id)}/plan`}
            alt={`Plan of ${floor.name}`}
            onError={() => setFailed(true)}
            draggable={false}
          />
          {outlines.length > 0 ? (
            <ZoneLayer
              outlines={outlines}
              zones={zones}
              viewBox={floor.plan.viewBox}
              alarmedZoneIds={alarmedZoneIds}
              highlightedZoneId={highlightedZoneId}
            />
          ) : null}
          <DoorLayer
            doors={doors}
            store={store}
            viewBox={floor.plan.viewBox}
            selectedId={selectedId}
            highlightedIds={highlightedIds}
            onSelect={onSelect}
          />
          {alarmedIds.size > 0 ? (
            <svg className="alarm-overlay" viewBox={`${minX} ${minY} ${width} ${height}`} aria-hidden="true">
              <AlarmRings doors={doors} alarmedIds={alarmedIds} r={markerRadius(floor.plan.viewBox)} />
            </svg>
          ) : null}
        </div>
      </div>
      <ul className="legend" aria-label="Legend">
        {DOOR_LOOKS.map((look) => (
          <li key={look} className={`look-${look}`}>
            <LookIcon look={look} /> {LOOK_WORDS[look]}
          </li>
        ))}
        <li className="look-forced">
          <span className="legend-ring" aria-hidden="true" /> Open alarm
        </li>
        {outlines.length > 0 ? <li className="muted">Zones tinted by security level; a zone with an open alarm is outlined red</li> : null}
      </ul>
    </div>
  );
}
