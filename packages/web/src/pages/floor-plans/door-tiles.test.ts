import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tilesOf } from './door-tiles.ts';

const plan = { minX: 0, minY: 0, width: 4000, height: 2500 };
const grid = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `door-${i}`, position: { x: (i % 40) * 100 + 50, y: Math.floor(i / 40) * 100 + 50 } }));

describe('door tiles', () => {
  it('puts every door in exactly one tile that covers its position, a few dozen doors per tile', () => {
    const tiles = tilesOf(grid(1000), plan);
    assert.equal(
      tiles.reduce((sum, t) => sum + t.doors.length, 0),
      1000,
    );
    assert.ok(tiles.length >= 12, `${tiles.length} tiles`);
    assert.ok(Math.max(...tiles.map((t) => t.doors.length)) <= 128);
    for (const tile of tiles) {
      for (const door of tile.doors) {
        assert.ok(door.position.x >= tile.viewBox.minX && door.position.x <= tile.viewBox.minX + tile.viewBox.width);
        assert.ok(door.position.y >= tile.viewBox.minY && door.position.y <= tile.viewBox.minY + tile.viewBox.height);
      }
      // The tile's place on the drawn plan is its share of the plan.
      assert.ok(Math.abs(tile.box.left - (100 * tile.viewBox.minX) / plan.width) < 1e-9);
      assert.ok(Math.abs(tile.box.width - (100 * tile.viewBox.width) / plan.width) < 1e-9);
    }
  });

  it('keeps a small floor in one tile, and doors on the plan’s far edge inside it', () => {
    const tiles = tilesOf([{ id: 'edge', position: { x: 4000, y: 2500 } }, ...grid(10)], plan);
    assert.equal(tiles.length, 1);
    assert.equal(tiles[0]?.doors.length, 11);
  });
});
