/**
 * Casting for the scenarios: which doors and which people play the parts, chosen from the
 * hospital model in a seeded order, so a scenario with the same seed uses the same door and the
 * same person every time (skipping only people Vigil reports as no longer active).
 */
import type { Random } from '../hospital/random.js';
import type { CardModel, DoorModel, PersonModel, ProvisionedHospital, ZoneType } from '../model.js';
import { buildingOfDoor } from '../live/wiring.js';
import type { VigilClient } from '../live/vigil-client.js';
import type { LiveWorld } from '../live/world.js';

export interface Actor {
  readonly person: PersonModel;
  readonly id: string;
  readonly card: CardModel;
}

export function zoneTypeOf(hospital: ProvisionedHospital): Map<string, ZoneType> {
  return new Map(hospital.model.zones.map((z) => [z.key, z.type]));
}

/** Doors of the live world leading into zones of these types (model order). */
export function doorsInto(world: LiveWorld, types: readonly ZoneType[], where: (door: DoorModel) => boolean = () => true): DoorModel[] {
  const zoneType = zoneTypeOf(world.hospital);
  return world.hospital.model.doors.filter((d) => world.hasDoor(d.key) && types.includes(zoneType.get(d.into)!) && where(d));
}

export function buildingOf(world: LiveWorld, door: DoorModel): string {
  return buildingOfDoor(world.hospital.model).get(door.key) ?? '';
}

/** A schedule that holds at every hour of every day: a grant under it does not depend on the time. */
function aroundTheClock(hospital: ProvisionedHospital, scheduleKey: string): boolean {
  const schedule = hospital.model.schedules.find((s) => s.key === scheduleKey);
  return !!schedule?.intervals.some((i) => i.days.length === 7 && i.start === '00:00' && i.end === '24:00');
}

/** Door keys a person's access groups open; with `anyHour`, only those open around the clock. */
function doorsOf(hospital: ProvisionedHospital, person: PersonModel, anyHour: boolean): Set<string> {
  const groups = new Map(
    hospital.model.accessGroups.filter((g) => !anyHour || aroundTheClock(hospital, g.schedule)).map((g) => [g.key, g.doors]),
  );
  return new Set(person.accessGroups.flatMap((g) => groups.get(g) ?? []));
}

/** The person's groups open the door at every hour (a scenario must not depend on when it runs). */
export function mayUse(hospital: ProvisionedHospital, person: PersonModel, door: DoorModel): boolean {
  return doorsOf(hospital, person, true).has(door.key);
}

/** None of the person's groups opens any of these doors, at any hour. */
export function hasNoAccess(hospital: ProvisionedHospital, person: PersonModel, doors: readonly DoorModel[]): boolean {
  const open = doorsOf(hospital, person, false);
  return !doors.some((d) => open.has(d.key));
}

function actorOf(hospital: ProvisionedHospital, person: PersonModel): Actor | null {
  const id = hospital.ids.persons[person.key];
  const card = person.cards[0];
  return id && card ? { person, id, card } : null;
}

/**
 * The first staff members, in this scenario's seeded order, for whom `fits` holds and whom Vigil
 * reports as active (a scenario may have terminated one earlier).
 */
export async function castStaff(
  api: VigilClient,
  hospital: ProvisionedHospital,
  random: Random,
  count: number,
  fits: (person: PersonModel, doors: ReadonlySet<string>) => boolean,
): Promise<Actor[]> {
  const cast: Actor[] = [];
  for (const person of random.shuffled(hospital.model.persons)) {
    if (cast.length === count) break;
    if (person.kind !== 'staff' || !fits(person, doorsOf(hospital, person, true))) continue;
    const actor = actorOf(hospital, person);
    if (!actor) continue;
    const { status } = await api.get<{ status: string }>(`/api/people/persons/${actor.id}`);
    if (status === 'active') cast.push(actor);
  }
  return cast;
}
