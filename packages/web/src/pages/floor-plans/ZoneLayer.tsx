/**
 * Zones on the live floor plan: each outline a faint fill whose tint rises with the zone's
 * security level, named at its centre, under the doors. A zone with an open alarm, or the one an
 * operator points at in the side list, is outlined strongly. Drawn in the plan's own units.
 */
import { memo } from 'react';
import type { ViewBox, Zone, ZoneOutline } from '../../components/facility.ts';

/** The centre of the polygon's area (its vertices' mean when the area is degenerate). */
export function centroidOf(points: readonly { x: number; y: number }[]): { x: number; y: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  points.forEach((a, i) => {
    const b = points[(i + 1) % points.length]!;
    const cross = a.x * b.y - b.x * a.y;
    area += cross;
    cx += (a.x + b.x) * cross;
    cy += (a.y + b.y) * cross;
  });
  if (Math.abs(area) < 1e-9) {
    const n = Math.max(1, points.length);
    return { x: points.reduce((s, p) => s + p.x, 0) / n, y: points.reduce((s, p) => s + p.y, 0) / n };
  }
  return { x: cx / (3 * area), y: cy / (3 * area) };
}

export const ZoneLayer = memo(function ZoneLayer({
  outlines,
  zones,
  viewBox,
  alarmedZoneIds,
  highlightedZoneId,
}: {
  outlines: readonly ZoneOutline[];
  zones: ReadonlyMap<string, Zone>;
  viewBox: ViewBox;
  alarmedZoneIds: ReadonlySet<string>;
  highlightedZoneId: string | null;
}) {
  const { minX, minY, width, height } = viewBox;
  const fontSize = Math.max(4, Math.min(width, height) / 45);
  return (
    <svg className="zone-layer" viewBox={`${minX} ${minY} ${width} ${height}`} aria-label="Zones" role="group">
      {outlines.map((outline) => {
        const zone = zones.get(outline.zoneId);
        if (!zone) return null;
        const alarmed = alarmedZoneIds.has(zone.id);
        const centre = centroidOf(outline.points);
        const classes = `zone-shape level-${zone.securityLevel}${alarmed ? ' alarmed' : ''}${zone.id === highlightedZoneId ? ' highlighted' : ''}`;
        return (
          <g key={zone.id} className={classes} data-zone={zone.name} data-alarmed={alarmed ? 'true' : undefined}>
            <polygon points={outline.points.map((p) => `${p.x},${p.y}`).join(' ')} strokeWidth={fontSize / 6} />
            <text x={centre.x} y={centre.y} fontSize={fontSize} textAnchor="middle" dominantBaseline="middle">
              {zone.name}
            </text>
            <title>{`${zone.name}: ${zone.securityLevelName} (level ${zone.securityLevel})${alarmed ? ', open alarm' : ''}`}</title>
          </g>
        );
      })}
    </svg>
  );
});
