// The snapshot compiled from the server's state: what the facility, people and access tables say
// is what a controller decides, a new version appears exactly when the policy changed, and the
// policy's own rules (schedules that compile, doors and schedules of the group's own site) hold.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { createState, decide, encodeWiegand, isVigilError, loadSnapshot, type AccessSnapshot } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { ACTOR, accessUnderTest, uniqueName, type AccessUnderTest } from './testing.js';

function failsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

const card = (cardNumber: number) => {
  const { bitCount, bits } = encodeWiegand('H10301', { facilityCode: 7, cardNumber });
  return { bitCount, bits };
};

eachDatabase('access snapshots from the server state', (t) => {
  let a: AccessUnderTest;
  let siteId: string;
  let ward: string;
  let mri: string;
  let alwaysId: string;
  let ann: string;
  let bob: string;

  const load = async (): Promise<AccessSnapshot> => {
    const stored = await a.access.snapshots.check(siteId);
    assert.ok(stored);
    return loadSnapshot(Buffer.from(stored.bytes, 'base64'), { publicKey: a.publicKey });
  };
  const ask = (s: AccessSnapshot, doorId: string, cardNumber: number) =>
    decide(s, { doorId, kind: 'card', card: card(cardNumber) }, Date.now(), createState(s));

  before(async () => {
    a = accessUnderTest(t().handle.db);
    const site = await a.facility.sites.create(ACTOR, { name: uniqueName('Snapshot site'), timeZone: 'America/Chicago' });
    siteId = site.id;
    const wardZone = await a.facility.zones.create(ACTOR, { siteId, name: 'Ward', type: 'clinical' });
    const mriZone = await a.facility.zones.create(ACTOR, { siteId, name: 'MRI III', type: 'mri_zone_3' });
    ward = (await a.facility.doors.create(ACTOR, { siteId, name: 'Ward door', toZoneId: wardZone.id })).id;
    mri = (await a.facility.doors.create(ACTOR, { siteId, name: 'MRI door', toZoneId: mriZone.id })).id;
    alwaysId = (
      await a.access.schedules.create(ACTOR, {
        siteId,
        name: 'Always',
        intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }],
      })
    ).id;
    const group = await a.access.groups.create(ACTOR, {
      siteId,
      name: 'Radiology',
      doors: [
        { doorId: ward, scheduleId: alwaysId },
        { doorId: mri, scheduleId: alwaysId },
      ],
    });
    for (const [name, number] of [
      ['Ann', 11],
      ['Bob', 12],
    ] as const) {
      const person = await a.persons.create({ kind: 'staff', givenName: name, familyName: 'Tester', sites: [siteId] }, ACTOR);
      await a.credentials.issueCard(person.id, { format: 'H10301', facilityCode: 7, cardNumber: number }, ACTOR);
      await a.access.groups.setPersonAccess(ACTOR, person.id, { groupIds: [group.id], privileges: [] });
      if (name === 'Ann') ann = person.id;
      else bob = person.id;
    }
    const year = 365 * 24 * 3600 * 1000;
    await a.training.record(
      ann,
      {
        competency: 'mri_safety',
        completedAt: new Date(Date.now() - year / 2).toISOString(),
        expiresAt: new Date(Date.now() + year).toISOString(),
      },
      ACTOR,
    );
  });

  it('decides from the server’s groups, schedules, persons, cards and training', async () => {
    const s = await load();
    assert.equal(s.version, 1);
    assert.equal(ask(s, ward, 11).reason, 'access.granted');
    assert.equal(ask(s, mri, 11).reason, 'access.granted', 'Ann holds a current MRI safety record');
    const refused = ask(s, mri, 12);
    assert.equal(refused.reason, 'access.competency_missing');
    assert.equal(refused.detail, 'mri_safety');
    assert.equal(refused.personId, bob);
    assert.equal(ask(s, ward, 99).reason, 'access.unknown_card');
  });

  it('keeps the version while nothing changed and adds one for each change of the policy', async () => {
    assert.equal((await load()).version, 1);
    await a.access.groups.setDoorMode(ACTOR, ward, { mode: 'locked' });
    const locked = await load();
    assert.equal(locked.version, 2);
    assert.equal(ask(locked, ward, 11).reason, 'access.door_locked');
    await a.persons.suspend(bob, 'Under investigation', ACTOR);
    const suspended = await load();
    assert.equal(suspended.version, 3);
    assert.equal(ask(suspended, mri, 12).reason, 'access.person_suspended');
    await a.access.groups.setDoorMode(ACTOR, ward, { mode: 'card_only' });
    assert.equal((await load()).version, 4);
    assert.equal((await load()).version, 4);
  });

  it('refuses schedules that do not compile and groups that reach into another site', async () => {
    await assert.rejects(
      a.access.schedules.create(ACTOR, {
        siteId,
        name: uniqueName('Broken'),
        intervals: [{ days: ['mon'], start: '07:00', end: '07:00' }],
      }),
      (e: unknown) => isVigilError(e) && e.code === 'access_policy.schedule_invalid',
    );
    const other = await a.facility.sites.create(ACTOR, { name: uniqueName('Other site'), timeZone: 'Europe/Paris' });
    const foreignZone = await a.facility.zones.create(ACTOR, { siteId: other.id, name: 'Foreign ward', type: 'clinical' });
    const foreignDoor = (await a.facility.doors.create(ACTOR, { siteId: other.id, name: 'Foreign door', toZoneId: foreignZone.id })).id;
    await assert.rejects(
      a.access.groups.create(ACTOR, { siteId, name: uniqueName('Greedy'), doors: [{ doorId: foreignDoor, scheduleId: alwaysId }] }),
      failsWith('access_policy.other_site'),
    );
    await assert.rejects(a.access.groups.setDoorMode(ACTOR, ward, { mode: 'scheduled' }), failsWith('access_policy.schedule_required'));
    await assert.rejects(a.access.schedules.remove(ACTOR, alwaysId), failsWith('access_policy.schedule_in_use'));
  });

  it('journals policy changes with the actor', async () => {
    const rows = await t()
      .handle.db.selectFrom('journal_events')
      .select(['type', 'source'])
      .where('type', 'in', ['schedule.created', 'access_group.created', 'access_rights.changed', 'door_mode.configured'])
      .execute();
    assert.deepEqual(
      new Set(rows.map((r) => r.type)),
      new Set(['schedule.created', 'access_group.created', 'access_rights.changed', 'door_mode.configured']),
    );
    assert.ok(rows.every((r) => r.source === ACTOR));
  });

  it('carries each holder’s active PIN as the hash the people module stored, and no PIN once it is suspended', async () => {
    const pin = await a.credentials.issuePin(ann, { pin: '48263917' }, ACTOR);
    const { pin_hash } = await t()
      .handle.db.selectFrom('person_credentials')
      .select('pin_hash')
      .where('id', '=', pin.id)
      .executeTakeFirstOrThrow();
    const s = await load();
    assert.deepEqual(s.pins.ids, [pin.id]);
    assert.equal(s.pins.hashes[s.persons.pin[s.persons.ids.indexOf(ann)]!], pin_hash);
    assert.equal(s.persons.pin[s.persons.ids.indexOf(bob)], -1);
    await a.credentials.change(pin.id, 'suspend', 'Forgotten', ACTOR);
    assert.deepEqual((await load()).pins.ids, []);
  });
});
