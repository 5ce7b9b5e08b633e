/**
 * The generated hospitals as a user of the simulator meets them: the same preset and seed give the
 * same hospital, each preset has about the size it promises and every kind of zone the scenarios
 * need, and nonsense input is refused with a code and a message that says what would work.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import type { HospitalModel, PresetName, ZoneType } from '../model.js';
import { generateHospital } from './generate.js';
import { PRESETS, PRESET_NAMES } from './presets.js';

const ZONE_TYPES: readonly ZoneType[] = [
  'public',
  'clinical',
  'icu',
  'maternity',
  'nicu',
  'pharmacy',
  'pharmacy_vault',
  'or',
  'mri_zone_1',
  'mri_zone_2',
  'mri_zone_3',
  'mri_zone_4',
  'data_centre',
  'behavioural_health',
  'ed',
];

const models = new Map<PresetName, HospitalModel>(PRESET_NAMES.map((preset) => [preset, generateHospital({ preset, seed: 7 })]));
const model = (preset: PresetName) => models.get(preset)!;

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (e) {
    assert.ok(isVigilError(e), `expected a VigilError, got ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  assert.fail('expected the input to be refused');
}

describe('generateHospital', () => {
  it('gives the same hospital for the same preset and seed', () => {
    assert.deepStrictEqual(generateHospital({ preset: 'community', seed: 7 }), model('community'));
    assert.deepStrictEqual(
      generateHospital({ preset: 'clinic', seed: 4_294_967_295 }),
      generateHospital({ preset: 'clinic', seed: 4_294_967_295 }),
    );
  });

  it('gives a different hospital for a different seed', () => {
    const other = generateHospital({ preset: 'community', seed: 8 });
    const a = model('community');
    assert.notDeepStrictEqual(other.persons, a.persons);
    assert.notDeepStrictEqual(
      other.persons.map((p) => p.cards),
      a.persons.map((p) => p.cards),
    );
    assert.notDeepStrictEqual(
      other.floors.map((f) => f.planSvg),
      a.floors.map((f) => f.planSvg),
    );
  });

  for (const preset of PRESET_NAMES) {
    it(`builds a ${preset} of the promised size, within 15%`, () => {
      const target = PRESETS[preset];
      const m = model(preset);
      const staff = m.persons.filter((p) => p.kind === 'staff').length;
      assert.equal(m.buildings.length, target.buildings);
      assert.ok(Math.abs(m.doors.length - target.doors) <= target.doors * 0.15, `${m.doors.length} doors, target ${target.doors}`);
      assert.ok(Math.abs(staff - target.staff) <= target.staff * 0.15, `${staff} staff, target ${target.staff}`);
      assert.ok(m.persons.some((p) => p.kind === 'visitor') && m.persons.some((p) => p.kind === 'contractor'));
    });

    it(`gives a ${preset} every zone type, stairwells, perimeter and egress doors`, () => {
      const m = model(preset);
      const types = new Set(m.zones.map((z) => z.type));
      assert.deepEqual(
        ZONE_TYPES.filter((t) => !types.has(t)),
        [],
      );
      for (const building of m.buildings) {
        const floors = new Set(m.floors.filter((f) => f.building === building.key).map((f) => f.key));
        const doors = m.doors.filter((d) => floors.has(d.floor));
        assert.ok(
          doors.some((d) => d.perimeter && !d.stairwell),
          `${building.name} has an entrance`,
        );
        assert.ok(
          doors.some((d) => d.stairwell && d.perimeter && d.egress),
          `${building.name} has a stair discharge`,
        );
      }
      // Fire egress frees only egress doors; the vault never is one.
      const vaults = new Set(m.zones.filter((z) => z.type === 'pharmacy_vault').map((z) => z.key));
      assert.ok(m.doors.filter((d) => vaults.has(d.into)).every((d) => !d.egress && d.hasExitReader));
    });
  }

  it('refuses an unknown preset and names the valid ones', () => {
    const { code, message } = refusal(() => generateHospital({ preset: 'hospice' as PresetName, seed: 1 }));
    assert.equal(code, 'simulator.unknown_preset');
    for (const preset of PRESET_NAMES) assert.match(message, new RegExp(preset));
    assert.equal(refusal(() => generateHospital({ preset: undefined as unknown as PresetName, seed: 1 })).code, 'simulator.unknown_preset');
  });

  it('refuses a seed that is not a whole number from 0 to 2^32 - 1', () => {
    for (const seed of [-1, 1.5, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY, 1e300, '7' as unknown as number]) {
      assert.equal(refusal(() => generateHospital({ preset: 'clinic', seed })).code, 'simulator.invalid_seed', `seed ${String(seed)}`);
    }
    assert.doesNotThrow(() => generateHospital({ preset: 'clinic', seed: 0 }));
  });
});
