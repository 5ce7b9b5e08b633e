/**
 * Scenarios about people and their cards: an employee terminated through the API who still tries
 * their badge, and a cloned card read in two buildings minutes apart.
 */
import type { DoorModel } from '../model.js';
import { buildingOf, castStaff, mayUse } from './cast.js';
import { humanPause } from './door-scenarios.js';
import { entry, type Scenario } from './types.js';

const CARD_READS = ['access.granted', 'access.denied'];

export const terminatedBadge: Scenario = {
  name: 'terminated-badge',
  title: "A terminated employee's badge",
  description:
    'HR terminates an employee (POST /api/people/persons/:id/terminate): every credential is revoked in the same transaction and the controllers receive a new snapshot. The former employee then badges at a door they used daily; the controller refuses the revoked card and the rule "Revoked or terminated badge presented" raises an alarm. The person stays terminated.',
  declares: { alarms: ['revoked_badge'], journal: ['person.terminated', 'access.denied'] },
  applicable: () => null,
  async run(ctx) {
    const [person] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (p, doors) =>
      ctx.hospital.model.doors.some((d) => d.perimeter && doors.has(d.key) && ctx.world.hasDoor(d.key)),
    );
    if (!person) throw new Error('no active staff member left to terminate');
    const model = ctx.hospital.model.doors.find((d) => d.perimeter && ctx.world.hasDoor(d.key) && mayUse(ctx.hospital, person.person, d))!;
    const door = ctx.world.door(model.key);
    const before = ctx.world.snapshotVersions();
    ctx.log(`HR terminates ${person.person.givenName} ${person.person.familyName} (${person.person.employeeId ?? 'no employee id'})`);
    await ctx.api.post(`/api/people/persons/${person.id}/terminate`, { reason: 'Employment ended (simulated HR feed)' });
    ctx.world.departed.add(person.person.key);
    // The door must decide on the policy without this person's card: wait for the new snapshot.
    await ctx.world.ready(60_000, before);
    await humanPause(ctx, 60_000);
    ctx.log(`${person.person.givenName} ${person.person.familyName} badges at ${model.name}`);
    const outcome = await door.enter(person.card);
    if (outcome === 'granted') throw new Error(`${model.name} let in a terminated employee`);
    return {
      alarms: [{ type: 'revoked_badge', priority: 2, doorId: door.id, description: `revoked-badge alarm at ${model.name}` }],
      journal: [
        entry('person.terminated', 'the termination', { subject: person.id }),
        entry('access.denied', `the refusal at ${model.name}`, { door: door.id, subject: person.id }),
      ],
    };
  },
};

export const clonedCard: Scenario = {
  name: 'cloned-card',
  title: 'A card cloned and used in two buildings minutes apart',
  description:
    'A member of staff badges into their own building; minutes later a copy of the same card is presented at another building\'s entrance, further than anyone walks in that time. The rule "Card used in two buildings" alarms on the second read.',
  declares: { alarms: ['cloned_card'], journal: ['access.granted', 'access.denied'] },
  applicable: (hospital) => (hospital.model.buildings.length >= 2 ? null : 'the hospital has a single building'),
  async run(ctx) {
    const perimeter = (door: DoorModel) => door.perimeter && ctx.world.hasDoor(door.key);
    const [owner] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (_, doors) =>
      ctx.hospital.model.doors.some((d) => perimeter(d) && doors.has(d.key)),
    );
    if (!owner) throw new Error('no staff member to play the cloned-card scenario');
    const home = ctx.hospital.model.doors.find((d) => perimeter(d) && mayUse(ctx.hospital, owner.person, d))!;
    const away = ctx.hospital.model.doors.find((d) => perimeter(d) && buildingOf(ctx.world, d) !== buildingOf(ctx.world, home));
    if (!away) throw new Error('no entrance in a second building');
    const homeDoor = ctx.world.door(home.key);
    const awayDoor = ctx.world.door(away.key);
    ctx.log(`${owner.person.givenName} ${owner.person.familyName} badges in at ${home.name}`);
    await homeDoor.enter(owner.card);
    await humanPause(ctx, 90_000);
    ctx.log(`a copy of the same card is presented at ${away.name}`);
    await awayDoor.enter(owner.card);
    return {
      alarms: [{ type: 'cloned_card', priority: 2, doorId: awayDoor.id, description: `cloned-card alarm at ${away.name}` }],
      journal: [
        entry(CARD_READS, `the owner's read at ${home.name}`, { door: homeDoor.id, subject: owner.id }),
        entry(CARD_READS, `the copy's read at ${away.name}`, { door: awayDoor.id, subject: owner.id }),
      ],
    };
  },
};
