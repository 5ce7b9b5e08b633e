/**
 * Floor geometry: a corridor across the middle of the floor, rooms in a row above and a row below
 * it, a stairwell at each end. Units keep their columns together, so zones a door joins share a
 * wall, and the door is drawn on that wall: on the corridor wall, on the outline of the building
 * for doors from outside, or on the wall between two zones.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export const MARGIN = 10;
const ROW_HEIGHT = 290;
const CORRIDOR_HEIGHT = 100;
export const PLAN_HEIGHT = MARGIN * 2 + ROW_HEIGHT * 2 + CORRIDOR_HEIGHT;
export const STAIR_WIDTH = 80;
const MIN_WIDTH = 800;

/** A column of zones (ids), drawn one above the other, as wide as its widest zone. */
export interface Column {
  readonly zones: readonly string[];
  readonly width: number;
}

export interface FloorLayout {
  readonly width: number;
  readonly height: number;
  readonly corridor: Rect;
  readonly rooms: ReadonlyMap<string, Rect>;
}

/** The width the rows of these units need (the wider row, stairwell included). */
export function naturalWidth(units: readonly (readonly Column[])[]): number {
  const rows = assignRows(units);
  return Math.max(MIN_WIDTH, widthOf(rows[0]), widthOf(rows[1]));
}

const widthOf = (row: readonly Column[]) => row.reduce((sum, column) => sum + column.width, 0);

/** Units go to whichever row is shorter so far; the top row starts with one stairwell, the bottom row ends with the other. */
function assignRows(units: readonly (readonly Column[])[]): [Column[], Column[]] {
  const rows: [Column[], Column[]] = [[], []];
  for (const unit of units) {
    const target = widthOf(rows[0]) <= widthOf(rows[1]) ? rows[0] : rows[1];
    target.push(...unit);
  }
  rows[0].unshift({ zones: [], width: STAIR_WIDTH });
  rows[1].push({ zones: [], width: STAIR_WIDTH });
  return rows;
}

/**
 * Places the corridor, the two stairwells and the units' columns. Each row is stretched to
 * `inner` (at least its natural width; pass a building's widest floor so all its floors share one
 * outline); the stairwells keep their width, so they sit at the same place on every floor.
 */
export function layoutFloor(
  stairs: readonly [string, string],
  units: readonly (readonly Column[])[],
  inner = naturalWidth(units),
): FloorLayout {
  const [top, bottom] = assignRows(units);
  top[0] = { zones: [stairs[0]], width: STAIR_WIDTH };
  bottom[bottom.length - 1] = { zones: [stairs[1]], width: STAIR_WIDTH };
  const width = Math.max(inner, naturalWidth(units)) + MARGIN * 2;
  const rooms = new Map<string, Rect>();
  placeRow(top, 0, width - MARGIN * 2, MARGIN, false, rooms);
  placeRow(bottom, bottom.length - 1, width - MARGIN * 2, MARGIN + ROW_HEIGHT + CORRIDOR_HEIGHT, true, rooms);
  return {
    width,
    height: PLAN_HEIGHT,
    corridor: { x: MARGIN, y: MARGIN + ROW_HEIGHT, width: width - MARGIN * 2, height: CORRIDOR_HEIGHT },
    rooms,
  };
}

/** Lays a row out left to right; the stairwell (`stair`: its index) keeps its width, rooms share the rest. */
function placeRow(
  row: readonly Column[],
  stair: number,
  inner: number,
  top: number,
  outerAtBottom: boolean,
  rooms: Map<string, Rect>,
): void {
  const natural = widthOf(row) - STAIR_WIDTH;
  const spare = inner - widthOf(row);
  const widths = row.map((column, i) =>
    i === stair || natural === 0 ? column.width : column.width + Math.floor((column.width * spare) / natural),
  );
  const remainder = inner - widths.reduce((a, b) => a + b, 0);
  // The rounding remainder goes to the room next to the stairwell; a row with no rooms leaves it empty beside the stairwell.
  const taker = natural === 0 ? -1 : stair === 0 ? 1 : stair - 1;
  let x = MARGIN + (natural === 0 && stair > 0 ? remainder : 0);
  row.forEach((column, i) => {
    const width = widths[i]! + (i === taker ? remainder : 0);
    const height = ROW_HEIGHT / column.zones.length;
    column.zones.forEach((zone, z) => {
      const slot = outerAtBottom ? column.zones.length - 1 - z : z;
      rooms.set(zone, { x, y: round(top + slot * height), width, height: round(height) });
    });
    x += width;
  });
}

const round = (n: number) => Math.round(n * 100) / 100;

interface Segment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** The wall two rectangles share, or null when they only meet at a corner or not at all. */
export function sharedWall(a: Rect, b: Rect): Segment | null {
  const vertical = a.x + a.width === b.x ? b.x : b.x + b.width === a.x ? a.x : null;
  if (vertical !== null) {
    const top = Math.max(a.y, b.y);
    const bottom = Math.min(a.y + a.height, b.y + b.height);
    if (bottom > top) return { x1: vertical, y1: top, x2: vertical, y2: bottom };
  }
  const horizontal = a.y + a.height === b.y ? b.y : b.y + b.height === a.y ? a.y : null;
  if (horizontal !== null) {
    const left = Math.max(a.x, b.x);
    const right = Math.min(a.x + a.width, b.x + b.width);
    if (right > left) return { x1: left, y1: horizontal, x2: right, y2: horizontal };
  }
  return null;
}

/** The parts of a rectangle's outline that are the building's outside wall. */
export function outsideWalls(room: Rect, floor: { width: number; height: number }): Segment[] {
  const walls: Segment[] = [];
  const right = room.x + room.width;
  const bottom = room.y + room.height;
  if (room.x === MARGIN) walls.push({ x1: MARGIN, y1: room.y, x2: MARGIN, y2: bottom });
  if (right === floor.width - MARGIN) walls.push({ x1: right, y1: room.y, x2: right, y2: bottom });
  if (room.y === MARGIN) walls.push({ x1: room.x, y1: MARGIN, x2: right, y2: MARGIN });
  if (bottom === floor.height - MARGIN) walls.push({ x1: room.x, y1: bottom, x2: right, y2: bottom });
  return walls;
}

/** The `index`-th of `count` doors spread evenly along a wall. */
export function alongWall(wall: Segment, index: number, count: number): Point {
  const t = (index + 1) / (count + 1);
  return { x: round(wall.x1 + (wall.x2 - wall.x1) * t), y: round(wall.y1 + (wall.y2 - wall.y1) * t) };
}

export function wallKey(wall: Segment): string {
  return `${wall.x1},${wall.y1},${wall.x2},${wall.y2}`;
}

export type { Segment };
