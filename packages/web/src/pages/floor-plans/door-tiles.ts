/**
 * The door layer is cut into tiles of about `perTile` doors, each drawn as its own SVG on its own
 * compositor layer: a browser repaints the whole of a layer when anything in it changes, so a door
 * changing state then repaints the few dozen markers of its tile rather than every door on the
 * floor. Tiles share the plan's coordinates; markers near an edge overflow their tile, unclipped.
 */
import type { ViewBox } from '../../components/facility.ts';

export interface Placed {
  id: string;
  position: { x: number; y: number };
}

export interface Tile<T extends Placed> {
  key: string;
  /** The tile's part of the plan, in plan units. */
  viewBox: ViewBox;
  /** Its place on the drawn plan, in percent of the plan's width and height. */
  box: { left: number; top: number; width: number; height: number };
  doors: T[];
}

export function tilesOf<T extends Placed>(doors: readonly T[], plan: ViewBox, perTile = 64): Tile<T>[] {
  const wanted = Math.max(1, Math.ceil(doors.length / perTile));
  const columns = Math.max(1, Math.round(Math.sqrt((wanted * plan.width) / plan.height)));
  const rows = Math.max(1, Math.ceil(wanted / columns));
  const width = plan.width / columns;
  const height = plan.height / rows;
  const tiles: Tile<T>[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      tiles.push({
        key: `${column}:${row}`,
        viewBox: { minX: plan.minX + column * width, minY: plan.minY + row * height, width, height },
        box: { left: (100 * column) / columns, top: (100 * row) / rows, width: 100 / columns, height: 100 / rows },
        doors: [],
      });
    }
  }
  const clamp = (value: number, count: number) => Math.min(count - 1, Math.max(0, Math.floor(value)));
  for (const door of doors) {
    const column = clamp((door.position.x - plan.minX) / width, columns);
    const row = clamp((door.position.y - plan.minY) / height, rows);
    tiles[row * columns + column]!.doors.push(door);
  }
  return tiles.filter((tile) => tile.doors.length > 0);
}
