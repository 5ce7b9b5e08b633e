/**
 * The automation rules that turn what the scenarios do into alarms. They are ordinary declarative
 * rules of Vigil's rule language (`GET /api/automation/rule-schema`), scoped to the hospital's
 * site and its doors, that a security director could have written: nothing here is special to
 * the simulator except that it writes them for the demo hospital.
 */
import type { ProvisionedHospital, ZoneType } from '../model.js';

export type RuleDocument = Record<string, unknown> & { name: string };

const DENIAL_BURST = { atLeast: 5, withinSeconds: 60 } as const;
/** Longer than any walk between two buildings of a campus takes, shorter than a shift. */
export const CLONE_WINDOW_SECONDS = 180;
/** How far back an exit badge looks for the matching entry badge. */
export const TAILGATE_LOOKBACK_SECONDS = 3600;

export function doorIdsInto(
  hospital: ProvisionedHospital,
  types: readonly ZoneType[],
  where: (hasExitReader: boolean) => boolean = () => true,
): string[] {
  const zones = new Set(hospital.model.zones.filter((z) => types.includes(z.type)).map((z) => z.key));
  return hospital.model.doors
    .filter((d) => zones.has(d.into) && where(d.hasExitReader))
    .map((d) => hospital.ids.doors[d.key])
    .filter((id): id is string => id !== undefined);
}

export function scenarioRules(hospital: ProvisionedHospital): RuleDocument[] {
  const site = hospital.siteId;
  const vault = doorIdsInto(hospital, ['pharmacy_vault']);
  const orExits = doorIdsInto(hospital, ['or'], (hasExitReader) => hasExitReader);
  const dataCentre = doorIdsInto(hospital, ['data_centre']);
  const alarm = (type: string, priority: number, title: string) => ({ raiseAlarm: { type, priority, title } });
  /** A rule that raises one alarm for every event of a type (matching `where`). */
  const onEvent = (
    name: string,
    description: string,
    event: string,
    where: Record<string, unknown> | null,
    raise: [string, number, string],
  ) => ({
    name,
    description,
    site,
    trigger: { event, ...(where ? { where } : {}) },
    actions: [alarm(...raise)],
  });
  const codePink = (drill: boolean) => ({ 'data.activation.kind': 'code_pink', 'data.activation.drill': drill });
  const rules: RuleDocument[] = [
    onEvent(
      'Revoked or terminated badge presented',
      'Someone presented a badge that was revoked, or belongs to a terminated person.',
      'access.denied',
      { 'data.reason': { in: ['access.credential_revoked', 'access.person_terminated'] } },
      ['revoked_badge', 2, 'Revoked badge presented at {door}'],
    ),
    onEvent(
      'Card reader offline',
      'A door controller lost contact with a card reader (power, cable, tamper).',
      'reader.went_offline',
      null,
      ['reader_offline', 3, 'Card reader offline ({source})'],
    ),
    onEvent(
      'Fire-alarm panel in alarm',
      'The fire-alarm panel reported an input in alarm; the panel is the life-safety authority.',
      'fire_panel.alarm_raised',
      null,
      ['fire_alarm', 1, 'Fire alarm ({source})'],
    ),
    onEvent(
      'Code Pink',
      'The Code Pink plan started for real: an infant may be being abducted.',
      'emergency.plan_started',
      codePink(false),
      ['code_pink', 1, 'Code Pink: infant abduction response started'],
    ),
    onEvent(
      'Code Pink drill',
      'A Code Pink drill started: on the queue so the operators exercise it too.',
      'emergency.plan_started',
      codePink(true),
      ['code_pink_drill', 4, 'Code Pink drill started'],
    ),
  ];
  if (vault.length > 0) {
    rules.push(
      onEvent(
        'Pharmacy vault door forced',
        'The controlled-substance vault opened with no badge: the highest priority.',
        'door.forced_open',
        { door: { in: vault } },
        ['door_forced', 1, 'Pharmacy vault door forced: {door}'],
      ),
    );
  }
  if (orExits.length > 0) {
    rules.push({
      name: 'Tailgating into the OR suite',
      description: 'A badge read out of the operating suite with no badge read into it in the hour before: the person followed someone in.',
      site,
      trigger: { event: 'access.granted', where: { door: { in: orExits }, 'data.direction': 'exit', 'data.request': 'card' } },
      conditions: [
        {
          absent: {
            event: 'access.granted',
            where: { 'data.direction': 'entry' },
            same: ['subject', 'zone'],
            beforeSeconds: TAILGATE_LOOKBACK_SECONDS,
          },
        },
      ],
      actions: [alarm('tailgating', 2, 'Tailgating suspected: badged out of {zone} without badging in')],
    });
  }
  if (dataCentre.length > 0) {
    rules.push({
      name: 'Repeated denials at the data centre',
      description: `${DENIAL_BURST.atLeast} or more refusals at one data-centre door within ${DENIAL_BURST.withinSeconds} seconds.`,
      site,
      trigger: { event: 'access.denied', where: { door: { in: dataCentre } } },
      conditions: [{ count: { event: 'access.denied', where: { door: { in: dataCentre } }, same: ['door'], ...DENIAL_BURST } }],
      cooldown: { seconds: 300, per: ['door'] },
      actions: [alarm('repeated_denials', 2, 'Repeated denials at {door}')],
    });
  }
  rules.push(...cloneRules(hospital));
  return rules;
}

/**
 * A card read within the window of a read of the same person's card in another building: one rule
 * for the whole hospital, the building compared with the trigger's through `differ`.
 */
function cloneRules(hospital: ProvisionedHospital): RuleDocument[] {
  if (hospital.model.buildings.length < 2) return [];
  const reads = ['access.granted', 'access.denied'];
  return [
    {
      name: 'Card used in two buildings',
      description: `A card read within ${CLONE_WINDOW_SECONDS / 60} minutes of a read of the same person's card in another building: a cloned card.`,
      site: hospital.siteId,
      trigger: { event: reads, where: { subject: { exists: true } } },
      conditions: [
        {
          count: {
            event: reads,
            where: { subject: { exists: true } },
            same: ['subject'],
            differ: ['building'],
            withinSeconds: CLONE_WINDOW_SECONDS,
            atLeast: 1,
          },
        },
      ],
      cooldown: { seconds: 900, per: ['subject'] },
      actions: [{ raiseAlarm: { type: 'cloned_card', priority: 2, title: 'Card used in two buildings minutes apart: {door}' } }],
    },
  ];
}
