/**
 * Floor-plan drawings: the corridor and every room as rectangles tagged `data-zone`, room labels,
 * and door marks tagged `data-door` at the doors' positions. Only static SVG that Vigil's floor-plan
 * sanitiser keeps as it is: shapes, text, groups and data attributes, no scripts, styles or links.
 */
import type { ZoneType } from '../model.js';
import type { FloorLayout, Point, Rect } from './layout.js';

export interface PlanRoom {
  readonly key: string;
  readonly label: string;
  readonly type: ZoneType | 'stair';
  readonly rect: Rect;
}

export interface PlanDoor {
  readonly key: string;
  readonly position: Point;
  readonly kind: 'perimeter' | 'stairwell' | 'interior';
}

const FILL: Readonly<Record<PlanRoom['type'], string>> = {
  public: '#fffde7',
  clinical: '#f1f8e9',
  ed: '#ffebee',
  icu: '#fff3e0',
  or: '#e0f7fa',
  maternity: '#fce4ec',
  nicu: '#f8bbd0',
  pharmacy: '#e8f5e9',
  pharmacy_vault: '#c8e6c9',
  mri_zone_1: '#e3f2fd',
  mri_zone_2: '#bbdefb',
  mri_zone_3: '#90caf9',
  mri_zone_4: '#64b5f6',
  data_centre: '#ede7f6',
  behavioural_health: '#f3e5f5',
  stair: '#eceff1',
};

const DOOR_FILL: Readonly<Record<PlanDoor['kind'], string>> = { perimeter: '#c62828', stairwell: '#2e7d32', interior: '#1565c0' };

const LABEL_SIZE = 11;
const CHAR_WIDTH = LABEL_SIZE * 0.56;

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Breaks a label into lines that fit the room's width (a long word stays whole). */
function wrap(label: string, width: number): string[] {
  const perLine = Math.max(6, Math.floor((width - 8) / CHAR_WIDTH));
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function label(room: { label: string; rect: Rect }): string {
  const { x, y, width, height } = room.rect;
  const lines = wrap(room.label, width);
  const top = y + height / 2 - ((lines.length - 1) * LABEL_SIZE * 1.2) / 2;
  const spans = lines.map((text, i) => `<tspan x="${x + width / 2}" y="${round(top + i * LABEL_SIZE * 1.2)}">${escapeXml(text)}</tspan>`);
  return `<text>${spans.join('')}</text>`;
}

const round = (n: number) => Math.round(n * 100) / 100;

export function drawFloorPlan(
  title: string,
  layout: FloorLayout,
  corridor: PlanRoom,
  rooms: readonly PlanRoom[],
  doors: readonly PlanDoor[],
): string {
  const { width, height } = layout;
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    '<g id="rooms" stroke="#455a64" stroke-width="2">',
  ];
  for (const room of [corridor, ...rooms]) {
    const { x, y, width: w, height: h } = room.rect;
    lines.push(`<rect data-zone="${escapeXml(room.key)}" x="${x}" y="${y}" width="${w}" height="${h}" fill="${FILL[room.type]}"/>`);
  }
  lines.push('</g>', `<g id="labels" font-size="${LABEL_SIZE}" fill="#263238" text-anchor="middle">`);
  for (const room of [corridor, ...rooms]) lines.push(label(room));
  lines.push('</g>', '<g id="doors" stroke="#ffffff" stroke-width="1.5">');
  for (const door of doors) {
    const { x, y } = door.position;
    lines.push(`<circle data-door="${escapeXml(door.key)}" cx="${x}" cy="${y}" r="6" fill="${DOOR_FILL[door.kind]}"/>`);
  }
  lines.push('</g>', '</svg>');
  return lines.join('\n');
}
