/**
 * Where the hospital's MQTT sensors are, decided from its zones the way a security designer would:
 * panic buttons where staff face the public, duress buttons at the pharmacy and ED desks,
 * glass-break and motion where drugs and servers are, a fire-alarm panel per building, nurse-call
 * stations on the wards, medication-fridge thermometers in the pharmacies, and wireless contacts
 * on stairwell doors. Pure and ordered, so serial numbers are the same on every run.
 */
import type { ProvisionedHospital, ZoneModel, ZoneType } from '../model.js';
import { buildingOfDoor } from './wiring.js';

export type SensorKind = 'panic' | 'duress' | 'glass_break' | 'motion' | 'fire_panel' | 'nurse_call' | 'fridge' | 'door_contact';

export interface SensorPlacement {
  readonly serial: string;
  readonly kind: SensorKind;
  readonly building: string;
  /** Model key and Vigil id of the zone it sits in (null for a building's fire panel). */
  readonly zone: string | null;
  readonly zoneId: string | null;
  /** Vigil id of the door a contact watches. */
  readonly doorId: string | null;
  readonly doorKey: string | null;
}

const BY_ZONE_TYPE: Partial<Record<ZoneType, readonly SensorKind[]>> = {
  public: ['panic'],
  ed: ['panic', 'duress'],
  behavioural_health: ['panic'],
  pharmacy: ['duress', 'glass_break', 'fridge'],
  pharmacy_vault: ['motion'],
  data_centre: ['motion'],
  icu: ['nurse_call'],
  maternity: ['nurse_call'],
  nicu: ['nurse_call'],
};

const PREFIX: Record<SensorKind, string> = {
  panic: 'PB',
  duress: 'DB',
  glass_break: 'GB',
  motion: 'MS',
  fire_panel: 'FP',
  nurse_call: 'NC',
  fridge: 'FR',
  door_contact: 'DC',
};

export function placeSensors(hospital: ProvisionedHospital): SensorPlacement[] {
  const { model, ids } = hospital;
  const buildingOfFloor = new Map(model.floors.map((f) => [f.key, f.building]));
  const counters = new Map<SensorKind, number>();
  const serial = (kind: SensorKind) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    return `SIM-${PREFIX[kind]}-${String(n).padStart(4, '0')}`;
  };
  const out: SensorPlacement[] = [];
  for (const building of model.buildings) {
    out.push({
      serial: serial('fire_panel'),
      kind: 'fire_panel',
      building: building.key,
      zone: null,
      zoneId: null,
      doorId: null,
      doorKey: null,
    });
  }
  const inZone = (zone: ZoneModel, kind: SensorKind): SensorPlacement => ({
    serial: serial(kind),
    kind,
    building: buildingOfFloor.get(zone.floor) ?? '',
    zone: zone.key,
    zoneId: ids.zones[zone.key] ?? null,
    doorId: null,
    doorKey: null,
  });
  for (const zone of model.zones) for (const kind of BY_ZONE_TYPE[zone.type] ?? []) out.push(inZone(zone, kind));
  const buildingOf = buildingOfDoor(model);
  for (const door of model.doors.filter((d) => d.stairwell)) {
    out.push({
      serial: serial('door_contact'),
      kind: 'door_contact',
      building: buildingOf.get(door.key) ?? '',
      zone: door.into,
      zoneId: ids.zones[door.into] ?? null,
      doorId: ids.doors[door.key] ?? null,
      doorKey: door.key,
    });
  }
  return out;
}
