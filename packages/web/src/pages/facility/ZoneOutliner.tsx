/**
 * Drawing zones on a floor plan: choose a zone, click its corners on the plan in order (or type
 * them, one `x, y` per line), then save. Corners are in the plan's own units, like door
 * positions; the server refuses corners off the plan. Other zones' outlines stay visible, faint.
 */
import { useRef, useState, type MouseEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Floor, FloorPlanInfo, Zone } from '../../components/admin/api-types.ts';
import { useAction, useInvalidate } from '../../components/admin/hooks.ts';
import { useZones } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useZoneOutlines, zoneOutlinesKey } from '../../components/facility.ts';
import { planPointOf, usePlanUrl } from './plan-url.ts';

type Point = { x: number; y: number };

/** Most corners the server accepts for one outline. */
const MAX_POINTS = 200;

export function pointsText(points: readonly Point[]): string {
  return points.map((p) => `${p.x}, ${p.y}`).join('\n');
}

/** One `x, y` per line; null names the first line that is not a pair of numbers. */
export function parsePoints(text: string): { points: Point[]; bad: string | null } {
  const points: Point[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const parts = line.split(/[\s,;]+/).filter(Boolean);
    const [x, y] = parts.map(Number);
    if (parts.length !== 2 || !Number.isFinite(x) || !Number.isFinite(y)) return { points, bad: line.trim() };
    points.push({ x: x!, y: y! });
  }
  return { points, bad: null };
}

/** Zones that may be drawn on the floor: its own, those of its building without a floor, and site-wide ones. */
function drawable(zones: readonly Zone[], floor: Floor): Zone[] {
  return zones.filter(
    (z) => z.floorId === floor.id || (z.floorId === null && (z.buildingId === null || z.buildingId === floor.buildingId)),
  );
}

export function ZoneOutliner({ floor, plan, editable }: { floor: Floor; plan: FloorPlanInfo; editable: boolean }) {
  const invalidate = useInvalidate();
  const zones = useZones(floor.siteId);
  const outlines = useZoneOutlines(floor.id);
  const action = useAction();
  const [zoneId, setZoneId] = useState('');
  const [draft, setDraft] = useState('');
  const [status, setStatus] = useState('');
  const svg = useRef<SVGSVGElement>(null);
  const url = usePlanUrl(floor.id, plan.sha256);
  const { minX, minY, width, height } = plan.viewBox;
  const corner = Math.max(width, height) / 160;

  const candidates = drawable(zones.data ?? [], floor);
  const zone = candidates.find((z) => z.id === zoneId);
  const saved = (outlines.data ?? []).find((o) => o.zoneId === zoneId);
  const parsed = parsePoints(draft);

  function choose(id: string) {
    setZoneId(id);
    const existing = (outlines.data ?? []).find((o) => o.zoneId === id);
    setDraft(existing ? pointsText(existing.points) : '');
    setStatus('');
  }

  function clickPlan(event: MouseEvent<SVGSVGElement>) {
    if (!editable || !zone || !svg.current || parsed.points.length >= MAX_POINTS) return;
    const point = planPointOf(svg.current, event.clientX, event.clientY);
    if (!point) return;
    setDraft(pointsText([...parsed.points, point]));
    setStatus(`Corner ${parsed.points.length + 1} at ${point.x}, ${point.y}.`);
  }

  const refresh = () => invalidate(zoneOutlinesKey(floor.id));
  const save = () =>
    action.run(async () => {
      if (!zone) return;
      await api.put(`/api/zones/${zone.id}/outlines/${floor.id}`, { points: parsed.points });
      await refresh();
      setStatus(`Outline of ${zone.name} saved with ${parsed.points.length} corners.`);
    });
  const remove = () =>
    action.run(async () => {
      if (!zone) return;
      await api.delete(`/api/zones/${zone.id}/outlines/${floor.id}`);
      await refresh();
      setDraft('');
      setStatus(`Outline of ${zone.name} removed from the plan.`);
    });

  const problem = parsed.bad
    ? `“${parsed.bad}” is not a corner: write x, y.`
    : parsed.points.length > 0 && parsed.points.length < 3
      ? 'An outline needs at least three corners.'
      : null;

  return (
    <section className="door-placer zone-outliner" aria-labelledby="zone-outliner-title">
      <div className="placer-side">
        <h2 id="zone-outliner-title">Zones on this plan</h2>
        <fieldset className="door-choice">
          <legend>{editable ? 'Zone to draw' : 'Zones'}</legend>
          {candidates.length === 0 && <p className="muted">No zone of this site belongs on this floor; add them under Zones.</p>}
          {candidates.map((z) => (
            <label key={z.id} className="inline">
              <input type="radio" name="zone-to-draw" value={z.id} checked={z.id === zoneId} onChange={() => choose(z.id)} />
              {z.name}
              <span className="muted">{(outlines.data ?? []).some((o) => o.zoneId === z.id) ? '' : ' (not drawn)'}</span>
            </label>
          ))}
        </fieldset>
        {editable && zone && (
          <div className="admin-form">
            <div className="field wide">
              <label htmlFor="zone-corners">Corners of {zone.name}</label>
              <textarea
                id="zone-corners"
                className="code"
                rows={6}
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                aria-describedby="zone-corners-hint"
                spellCheck={false}
              />
              <small id="zone-corners-hint" className="muted">
                One “x, y” per line, in order around the zone; x from {minX} to {minX + width}, y from {minY} to {minY + height}. Or click
                the plan.
              </small>
            </div>
            {problem && (
              <p role="alert" className="error">
                {problem}
              </p>
            )}
            <div className="form-actions">
              <button type="button" onClick={() => void save()} disabled={action.busy || problem !== null || parsed.points.length < 3}>
                Save outline
              </button>
              <button
                type="button"
                className="secondary"
                disabled={parsed.points.length === 0}
                onClick={() => setDraft(pointsText(parsed.points.slice(0, -1)))}
              >
                Undo last corner
              </button>
              {saved && (
                <button type="button" className="secondary" onClick={() => void remove()} disabled={action.busy}>
                  Remove outline
                </button>
              )}
            </div>
          </div>
        )}
        <p role="status" aria-live="polite" className="muted" data-testid="outline-status">
          {status}
        </p>
        <ServerError error={action.error ?? zones.error ?? outlines.error} />
      </div>
      <div className="plan-frame">
        {editable && (
          <p className="muted">
            {zone ? `Click the corners of ${zone.name} in order.` : 'Choose a zone, then click its corners on the plan.'}
          </p>
        )}
        <svg
          ref={svg}
          className={zone && editable ? 'plan placing' : 'plan'}
          viewBox={`${minX} ${minY} ${width} ${height}`}
          role="img"
          aria-label={`Floor plan of ${floor.name} with ${(outlines.data ?? []).length} zones drawn`}
          onClick={clickPlan}
          data-testid="zone-plan"
        >
          {url && <image href={url} x={minX} y={minY} width={width} height={height} preserveAspectRatio="none" />}
          {(outlines.data ?? [])
            .filter((o) => o.zoneId !== zoneId)
            .map((o) => (
              <polygon key={o.zoneId} className="zone-outline" points={o.points.map((p) => `${p.x},${p.y}`).join(' ')} />
            ))}
          {zone && parsed.points.length > 0 && (
            <g className="zone-draft" data-testid="zone-draft">
              <polygon points={parsed.points.map((p) => `${p.x},${p.y}`).join(' ')} strokeWidth={corner / 2} />
              {parsed.points.map((p, i) => (
                <circle key={i} cx={p.x} cy={p.y} r={corner} />
              ))}
            </g>
          )}
        </svg>
      </div>
    </section>
  );
}
