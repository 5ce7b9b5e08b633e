/**
 * Scenarios at the doors: a forced vault, a tailgater into the operating suite, a propped door
 * and a burst of refusals at the data centre. Each plays people and door contacts on the live
 * world; the controllers decide and report as they would for real people.
 */
import { delay } from '../live/doors.js';
import type { ProvisionedHospital } from '../model.js';
import { castStaff, doorsInto, hasNoAccess, mayUse } from './cast.js';
import { entry, type Scenario, type ScenarioContext } from './types.js';

/** Zones whose doors need more than a card (a second person, a competency): not for a plain grant. */
const GATED = ['pharmacy', 'pharmacy_vault', 'mri_zone_3', 'mri_zone_4', 'maternity', 'nicu'] as const;

function hasDoorInto(hospital: ProvisionedHospital, type: string, withExitReader = false): boolean {
  const zones = new Set(hospital.model.zones.filter((z) => z.type === type).map((z) => z.key));
  return hospital.model.doors.some((d) => zones.has(d.into) && (!withExitReader || d.hasExitReader));
}

/** Human time ("a few minutes later"), shortened by the pace, never below `floorMs`. */
export function humanPause(ctx: ScenarioContext, ms: number, floorMs = 1500): Promise<void> {
  return delay(Math.max(floorMs, ms / ctx.pace));
}

export const forcedVaultDoor: Scenario = {
  name: 'forced-vault-door',
  title: 'Forced door at the pharmacy vault at 02:00',
  description:
    'In the small hours nobody badges at the pharmacy vault, yet its door contact opens: the door was pried. The controller reports it forced open; the rule "Pharmacy vault door forced" raises a priority-1 alarm (at any hour: the vault is never opened without a badge).',
  declares: { alarms: ['door_forced'], journal: ['door.forced_open', 'door.closed'] },
  applicable: (hospital) => (hasDoorInto(hospital, 'pharmacy_vault') ? null : 'the hospital has no pharmacy vault door'),
  async run(ctx) {
    const model = doorsInto(ctx.world, ['pharmacy_vault'])[0]!;
    const door = ctx.world.door(model.key);
    await door.exclusive(async () => {
      ctx.log(`02:00 at ${model.name}: no badge, but the door is pried open`);
      door.setOpen(true);
      await delay(4000);
      door.setOpen(false);
    });
    return {
      alarms: [{ type: 'door_forced', priority: 1, doorId: door.id, description: `priority-1 door_forced alarm at ${model.name}` }],
      journal: [
        entry('door.forced_open', `${model.name} forced open`, { door: door.id }),
        entry('door.closed', `${model.name} closed again`, { door: door.id }),
      ],
    };
  },
};

export const orTailgating: Scenario = {
  name: 'or-tailgating',
  title: 'Tailgating into the OR suite',
  description:
    'A theatre nurse badges into the operating suite and someone without OR access walks in behind before the door closes. Later the follower badges out; an exit with no entry in the hour before is what the rule "Tailgating into the OR suite" alarms on.',
  declares: { alarms: ['tailgating'], journal: ['access.granted'] },
  applicable: (hospital) => (hasDoorInto(hospital, 'or', true) ? null : 'the hospital has no operating-suite door with an exit reader'),
  async run(ctx) {
    const model = doorsInto(ctx.world, ['or'], (d) => d.hasExitReader)[0]!;
    const door = ctx.world.door(model.key);
    const orDoors = doorsInto(ctx.world, ['or']);
    const [nurse] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (_, doors) => doors.has(model.key));
    // Someone the suite's doors never let in: no badge of theirs can have entered it.
    const [follower] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (p) => hasNoAccess(ctx.hospital, p, orDoors));
    if (!nurse || !follower) throw new Error('no staff to play the OR tailgating scenario');
    ctx.log(
      `${nurse.person.givenName} ${nurse.person.familyName} badges into ${model.name}; ${follower.person.givenName} ${follower.person.familyName} follows`,
    );
    // The follower slips through on the nurse's grant: the door stands open for both.
    const inbound = await door.enter(nurse.card, { openMs: 5000 });
    if (inbound !== 'granted') throw new Error(`the nurse was not let in at ${model.name} (${inbound})`);
    await humanPause(ctx, 120_000);
    ctx.log(`${follower.person.givenName} ${follower.person.familyName} badges out of ${model.name}`);
    await door.leave(follower.card);
    return {
      alarms: [{ type: 'tailgating', priority: 2, doorId: door.id, description: `tailgating alarm at ${model.name}` }],
      journal: [
        entry('access.granted', 'the nurse badged in', { door: door.id, subject: nurse.id, data: { direction: 'entry' } }),
        entry('access.granted', 'the follower badged out with no entry', {
          door: door.id,
          subject: follower.id,
          data: { direction: 'exit' },
        }),
      ],
    };
  },
};

export const proppedDoor: Scenario = {
  name: 'propped-door',
  title: 'A door propped open',
  description:
    'A member of staff badges through and wedges the door open behind them. Past its held-open limit the controller reports it held open; the rule "Door held open" raises an alarm. Then someone closes it.',
  declares: { alarms: ['door_held_open'], journal: ['access.granted', 'door.held_open', 'door.closed'] },
  applicable: () => null,
  async run(ctx) {
    const candidates = doorsInto(ctx.world, ['clinical', 'icu', 'ed', 'data_centre', 'or', 'behavioural_health'], (d) => !d.perimeter)
      .filter((d) => !GATED.includes(ctx.hospital.model.zones.find((z) => z.key === d.into)!.type as (typeof GATED)[number]))
      .sort((a, b) => a.heldOpenSeconds - b.heldOpenSeconds);
    const [person] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (_, doors) => candidates.some((d) => doors.has(d.key)));
    if (!person) throw new Error('no staff to play the propped-door scenario');
    const model = candidates.find((d) => mayUse(ctx.hospital, person.person, d))!;
    const door = ctx.world.door(model.key);
    ctx.log(`${person.person.givenName} ${person.person.familyName} props ${model.name} open (limit ${model.heldOpenSeconds} s)`);
    await door.exclusive(async () => {
      const signal = await door.present(door.entryReader, person.card);
      if (signal !== 'green') throw new Error(`${model.name} did not let the person in (${signal ?? 'no answer'})`);
      door.setOpen(true);
      // The limit is the controller's, measured on real time: it is never shortened.
      await delay(model.heldOpenSeconds * 1000 + 3000);
      door.setOpen(false);
    });
    return {
      alarms: [{ type: 'door_held_open', priority: 3, doorId: door.id, description: `held-open alarm at ${model.name}` }],
      journal: [
        entry('access.granted', 'the badge that opened it', { door: door.id, subject: person.id }),
        entry('door.held_open', `${model.name} held open past its limit`, { door: door.id }),
        entry('door.closed', `${model.name} closed again`, { door: door.id }),
      ],
    };
  },
};

export const DENIAL_BURST_ATTEMPTS = 6;

export const dataCentreDenials: Scenario = {
  name: 'data-centre-denials',
  title: 'A burst of denials at the data centre',
  description: `Someone without data-centre access tries the data-centre door ${DENIAL_BURST_ATTEMPTS} times in a row. Each try is refused at the door; the rule "Repeated denials at the data centre" alarms on the fifth within a minute.`,
  declares: { alarms: ['repeated_denials'], journal: ['access.denied'] },
  applicable: (hospital) => (hasDoorInto(hospital, 'data_centre') ? null : 'the hospital has no data centre'),
  async run(ctx) {
    const model = doorsInto(ctx.world, ['data_centre'])[0]!;
    const door = ctx.world.door(model.key);
    const dataCentre = doorsInto(ctx.world, ['data_centre']);
    const [intruder] = await castStaff(ctx.api, ctx.hospital, ctx.random, 1, (p) => hasNoAccess(ctx.hospital, p, dataCentre));
    if (!intruder) throw new Error('no staff without data-centre access to play the denial burst');
    ctx.log(`${intruder.person.givenName} ${intruder.person.familyName} tries ${model.name} ${DENIAL_BURST_ATTEMPTS} times`);
    for (let i = 0; i < DENIAL_BURST_ATTEMPTS; i++) {
      const outcome = await door.enter(intruder.card);
      if (outcome === 'granted') throw new Error(`${model.name} let in someone without data-centre access`);
      await delay(800);
    }
    return {
      alarms: [{ type: 'repeated_denials', priority: 2, doorId: door.id, description: `repeated-denials alarm at ${model.name}` }],
      journal: [
        entry('access.denied', `${DENIAL_BURST_ATTEMPTS} refusals at ${model.name}`, {
          door: door.id,
          subject: intruder.id,
          atLeast: DENIAL_BURST_ATTEMPTS,
        }),
      ],
    };
  },
};
