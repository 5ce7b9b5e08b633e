/**
 * A generated hospital is one Vigil accepts as it is: names unique where Vigil requires it, every
 * reference resolving, badges valid in their Wiegand format and never shared, competencies named as
 * Vigil's catalogue names them, and everyone who may enter a competency-gated zone trained for it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeWiegand } from '@vigil/core';
import { COMPETENCIES } from '../../../server/src/modules/people/index.js';
import type { HospitalModel, PresetName } from '../model.js';
import { generateHospital } from './generate.js';
import { PRESET_NAMES } from './presets.js';

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

function check(m: HospitalModel): void {
  const keys = (items: readonly { key: string }[]) => new Set(items.map((i) => i.key));
  const floors = keys(m.floors);
  const zones = keys(m.zones);
  const doors = keys(m.doors);
  const groups = keys(m.accessGroups);
  const schedules = keys(m.schedules);
  const departments = keys(m.departments);
  const roles = keys(m.jobRoles);

  // Vigil's uniqueness rules: sites, departments and job roles by name; the rest within their site or building.
  assert.deepEqual(duplicates(m.buildings.map((b) => b.name)), []);
  assert.deepEqual(duplicates(m.floors.map((f) => `${f.building}/${f.name}`)), []);
  assert.deepEqual(duplicates(m.floors.map((f) => `${f.building}/${f.level}`)), []);
  assert.deepEqual(duplicates(m.zones.map((z) => z.name)), []);
  assert.deepEqual(duplicates(m.doors.map((d) => d.name)), []);
  assert.deepEqual(duplicates(m.accessGroups.map((g) => g.name)), []);
  assert.deepEqual(duplicates(m.schedules.map((s) => s.name)), []);
  assert.deepEqual(duplicates(m.departments.map((d) => d.name)), []);
  assert.deepEqual(duplicates(m.jobRoles.map((r) => r.name)), []);
  assert.deepEqual(duplicates(m.persons.map((p) => p.key)), []);
  assert.deepEqual(duplicates(m.persons.flatMap((p) => (p.employeeId ? [p.employeeId] : []))), []);
  assert.deepEqual(duplicates(m.site.holidays.map((h) => h.date)), []);

  for (const zone of m.zones) assert.ok(floors.has(zone.floor), zone.key);
  for (const door of m.doors) {
    assert.ok(floors.has(door.floor) && zones.has(door.into), door.key);
    assert.ok(door.from === null || (zones.has(door.from) && door.from !== door.into), door.key);
    assert.equal(door.perimeter, door.from === null, door.key);
    assert.ok(door.unlockSeconds >= 1 && door.unlockSeconds <= 300 && door.heldOpenSeconds >= 1 && door.heldOpenSeconds <= 3600);
  }
  for (const group of m.accessGroups) {
    assert.ok(schedules.has(group.schedule), group.key);
    assert.ok(group.doors.length > 0 && group.doors.length <= 5000, group.key);
    assert.ok(
      group.doors.every((d) => doors.has(d)),
      group.key,
    );
  }
  for (const person of m.persons) {
    assert.ok(person.department === null || departments.has(person.department), person.key);
    assert.ok(
      person.jobRoles.every((r) => roles.has(r)),
      person.key,
    );
    assert.ok(
      person.accessGroups.every((g) => groups.has(g)),
      person.key,
    );
    assert.ok(person.homeZone === null || zones.has(person.homeZone), person.key);
    // A cleaner's doors open on the shift they work.
    if (person.accessGroups.includes('evs-night')) assert.equal(person.shift, 'night', person.key);
    if (person.accessGroups.includes('evs-day')) assert.equal(person.shift, 'day', person.key);
    for (const record of person.training) {
      assert.ok(Object.hasOwn(COMPETENCIES, record.competency), record.competency);
      assert.match(record.expiresOn, /^\d{4}-\d{2}-\d{2}$/);
    }
  }
}

/** Everyone whose groups open a door into a zone of `types` holds `competency` (current or lapsed). */
function trainedFor(m: HospitalModel, types: readonly string[], competency: string): void {
  const gated = new Set(m.zones.filter((z) => types.includes(z.type)).map((z) => z.key));
  const gatedGroups = new Set(
    m.accessGroups.filter((g) => g.doors.some((d) => gated.has(m.doors.find((x) => x.key === d)!.into))).map((g) => g.key),
  );
  const untrained = m.persons.filter(
    (p) => p.kind === 'staff' && p.accessGroups.some((g) => gatedGroups.has(g)) && !p.training.some((t) => t.competency === competency),
  );
  // Security's all-doors group reaches every zone, including MRI: officers are escorted there, not trained.
  const exempt = new Set(['security-all-doors']);
  assert.deepEqual(
    untrained
      .filter((p) => !p.accessGroups.every((g) => !gatedGroups.has(g) || exempt.has(g)))
      .map((p) => `${p.key} (${p.jobRoles.join()})`),
    [],
    `${competency} for ${types.join(', ')}`,
  );
}

describe('generated hospitals are consistent', () => {
  for (const preset of PRESET_NAMES) {
    const m = generateHospital({ preset: preset satisfies PresetName, seed: 99 });

    it(`${preset}: unique names, resolving references, valid access groups and people`, () => check(m));

    it(`${preset}: badges are valid Wiegand cards, each unique, in a mix of formats`, () => {
      const cards = m.persons.flatMap((p) => p.cards);
      const encoded = cards.map((c) => {
        const e = encodeWiegand(c.format, c);
        return `${e.bitCount}:${e.hex}`;
      });
      assert.deepEqual(duplicates(encoded), []);
      assert.ok(new Set(cards.map((c) => c.format)).size >= 2);
      const badged = m.persons.filter((p) => p.kind === 'staff' || p.kind === 'visitor' || p.kind === 'contractor');
      assert.ok(badged.every((p) => p.cards.length >= 1));
    });

    it(`${preset}: whoever may enter a competency-gated zone is trained for it`, () => {
      trainedFor(m, ['pharmacy', 'pharmacy_vault'], 'controlled_substances');
      trainedFor(m, ['mri_zone_3', 'mri_zone_4'], 'mri_safety');
      trainedFor(m, ['maternity', 'nicu'], 'infant_security');
      const records = m.persons.flatMap((p) => p.training);
      assert.ok(
        records.some((r) => r.expiresOn < '2026-01-01'),
        'some training has lapsed',
      );
    });
  }
});
