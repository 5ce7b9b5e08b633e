/**
 * A hospital-sized rule set over the MQTT device events, for the ingest benchmark: 1,000 rules of
 * the shapes sites write (a door or zone filter, night hours, "door opened with no badge in the
 * previous 2 s", "five motions in a minute", "glass break with a door or motion in the same zone",
 * any door event in a pharmacy zone, a cooled-down closed-door rule, panic and duress), spread over
 * the device event types the benchmark ingests. Every document passes the rule schema (`parseRule`),
 * so the engine runs exactly what the rule store would give it.
 */
import { compileRule, parseRule, type CompiledRule, type RuleDocument } from '../packages/server/src/modules/automation/index.js';

export interface DevicePlace {
  readonly sites: readonly string[];
  readonly zones: readonly string[];
  readonly doors: readonly string[];
}

const alarm = (type: string, priority: number) => [{ raiseAlarm: { type, priority } }];

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function document(i: number, place: DevicePlace): RuleDocument {
  const site = pick(place.sites, i);
  const zone = pick(place.zones, i * 7);
  const door = pick(place.doors, i * 13);
  const name = `rule ${i}`;
  switch (i % 8) {
    case 0:
      return { name, site, trigger: { event: 'door.contact_opened', where: { door, zone } }, actions: alarm('door_opened', 4) };
    case 1:
      return {
        name,
        site,
        trigger: { event: 'door.contact_opened', where: { door: { in: [door, pick(place.doors, i * 17), pick(place.doors, i * 19)] } } },
        conditions: [{ time: { from: '22:00', to: '05:00' } }],
        actions: alarm('after_hours_door', 3),
      };
    case 2:
      return {
        name,
        site,
        trigger: { event: 'door.contact_opened', where: { door } },
        conditions: [{ absent: { event: ['access.granted', 'door.rex'], same: ['door'], beforeSeconds: 2 } }],
        actions: alarm('door_forced', 2),
      };
    case 3:
      return {
        name,
        site,
        trigger: { event: 'motion.detected', where: { zone } },
        conditions: [{ count: { event: 'motion.detected', same: ['zone'], withinSeconds: 60, atLeast: 5 } }],
        actions: alarm('motion_burst', 4),
      };
    case 4:
      return {
        name,
        site,
        trigger: { event: 'glass_break.detected', where: { zone } },
        conditions: [{ count: { event: ['door.contact_opened', 'motion.detected'], same: ['zone'], withinSeconds: 60, atLeast: 1 } }],
        actions: alarm('break_in', 1),
      };
    case 5:
      return {
        name,
        site,
        trigger: { event: 'door.*', where: { door, source: { prefix: 'device:DC-0' } } },
        conditions: [{ zone: { types: ['pharmacy'] } }],
        actions: alarm('pharmacy_door', 3),
      };
    case 6:
      return {
        name,
        site,
        trigger: { event: 'door.contact_closed', where: { zone, door } },
        cooldown: { seconds: 300, per: ['door'] },
        actions: alarm('door_closed', 5),
      };
    default:
      return { name, site, trigger: { event: ['panic.pressed', 'duress.pressed'], where: { zone } }, actions: alarm('panic', 1) };
  }
}

/** `count` rules compiled as the rule runtime compiles them (sites in Europe/Zurich, zones of five types). */
export function deviceRules(count: number, place: DevicePlace): CompiledRule[] {
  const zoneTypes = ['clinical', 'pharmacy', 'public', 'icu', 'maternity'];
  const zones = new Map(
    place.zones.map((id, n) => [id, { id, siteId: pick(place.sites, n), buildingId: null, type: pick(zoneTypes, n), name: `zone ${n}` }]),
  );
  const ctx = {
    facts: { timeZoneOf: () => 'Europe/Zurich', zone: (id: string) => zones.get(id), door: () => undefined },
    doors: { modeOf: () => undefined },
  };
  return Array.from({ length: count }, (_, i) => {
    const { document: checked } = parseRule({ document: document(i, place) });
    return compileRule(`rule-${i}`, 1, checked, ctx);
  });
}
