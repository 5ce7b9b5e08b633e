/**
 * A small, realistic hospital for the quick start and the demo: one site in America/Chicago, a
 * two-storey main building with floor plans, the zones a security director would define first
 * (public lobby, emergency department, pharmacy and its vault, the MRI suite by ACR zone,
 * maternity and NICU, the operating suite, a data centre) and fourteen doors with their readers,
 * controllers and egress settings. Everything goes through the service, so it is validated and
 * journaled like an operator's own configuration.
 */
import type { Building, Device, Door, Floor, Site, Zone } from './model.js';
import { FIRST_DOORS, FIRST_ROOMS, GROUND_DOORS, GROUND_ROOMS, drawPlan, type PlanDoor } from './seed-plans.js';
import type { FacilityService } from './service.js';
import type { ZoneType } from './zone-types.js';

export interface SampleFacility {
  readonly site: Site;
  readonly building: Building;
  readonly floors: { readonly ground: Floor; readonly first: Floor };
  readonly zones: Readonly<Record<string, Zone>>;
  readonly doors: readonly Door[];
  readonly devices: readonly Device[];
}

interface ZoneSpec {
  key: string;
  name: string;
  type: ZoneType;
  floor: 'ground' | 'first' | null;
}

const ZONES: readonly ZoneSpec[] = [
  { key: 'lobby', name: 'Main Lobby', type: 'public', floor: 'ground' },
  { key: 'ed', name: 'Emergency Department', type: 'ed', floor: 'ground' },
  { key: 'pharmacy', name: 'Inpatient Pharmacy', type: 'pharmacy', floor: 'ground' },
  { key: 'vault', name: 'Pharmacy Vault', type: 'pharmacy_vault', floor: 'ground' },
  { key: 'data_centre', name: 'Data Centre', type: 'data_centre', floor: 'ground' },
  { key: 'mri_2', name: 'MRI Zone II – Screening', type: 'mri_zone_2', floor: 'ground' },
  { key: 'mri_3', name: 'MRI Zone III – Control Room', type: 'mri_zone_3', floor: 'ground' },
  { key: 'mri_4', name: 'MRI Zone IV – Magnet Room', type: 'mri_zone_4', floor: 'ground' },
  { key: 'stair_a', name: 'Stair A', type: 'public', floor: null },
  { key: 'lift_lobby', name: 'Level 2 Lift Lobby', type: 'public', floor: 'first' },
  { key: 'maternity', name: 'Maternity Unit', type: 'maternity', floor: 'first' },
  { key: 'nicu', name: 'Neonatal ICU', type: 'nicu', floor: 'first' },
  { key: 'or', name: 'Operating Suite', type: 'or', floor: 'first' },
];

interface DoorSpec {
  key: string;
  name: string;
  floor: 'ground' | 'first';
  from: string | null;
  to: string | null;
  entryReader: boolean;
  exitReader: boolean;
  requestToExit: boolean;
  egress?: boolean;
  unlockSeconds?: number;
  heldOpenSeconds?: number;
}

const DOORS: readonly DoorSpec[] = [
  // Main entrance: free exit, badge in after hours.
  {
    key: 'main_entrance',
    name: 'Main Entrance',
    floor: 'ground',
    from: null,
    to: 'lobby',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    egress: true,
    heldOpenSeconds: 120,
  },
  {
    key: 'ambulance',
    name: 'Ambulance Bay Entrance',
    floor: 'ground',
    from: null,
    to: 'ed',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    egress: true,
    heldOpenSeconds: 180,
  },
  {
    key: 'ed_staff',
    name: 'ED Staff Door',
    floor: 'ground',
    from: 'lobby',
    to: 'ed',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    egress: true,
  },
  {
    key: 'pharmacy',
    name: 'Pharmacy Door',
    floor: 'ground',
    from: 'lobby',
    to: 'pharmacy',
    entryReader: true,
    exitReader: true,
    requestToExit: false,
  },
  // Vault: read in and out so every entry and exit is attributed (two-person rule lives in access).
  {
    key: 'vault',
    name: 'Pharmacy Vault Door',
    floor: 'ground',
    from: 'pharmacy',
    to: 'vault',
    entryReader: true,
    exitReader: true,
    requestToExit: false,
    unlockSeconds: 3,
    heldOpenSeconds: 15,
  },
  {
    key: 'data_centre',
    name: 'Data Centre Door',
    floor: 'ground',
    from: 'lobby',
    to: 'data_centre',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    heldOpenSeconds: 20,
  },
  {
    key: 'mri_2',
    name: 'MRI Reception Door',
    floor: 'ground',
    from: 'lobby',
    to: 'mri_2',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
  },
  {
    key: 'mri_3',
    name: 'MRI Zone III Door',
    floor: 'ground',
    from: 'mri_2',
    to: 'mri_3',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
  },
  {
    key: 'mri_4',
    name: 'MRI Magnet Room Door',
    floor: 'ground',
    from: 'mri_3',
    to: 'mri_4',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    heldOpenSeconds: 60,
  },
  {
    key: 'stair_a_exit',
    name: 'Stair A Ground Exit',
    floor: 'ground',
    from: 'stair_a',
    to: null,
    entryReader: false,
    exitReader: false,
    requestToExit: true,
    egress: true,
  },
  // Maternity: exit reader too, so infants can only leave through a supervised, badged exit.
  {
    key: 'maternity',
    name: 'Maternity Unit Entrance',
    floor: 'first',
    from: 'lift_lobby',
    to: 'maternity',
    entryReader: true,
    exitReader: true,
    requestToExit: false,
    unlockSeconds: 4,
    heldOpenSeconds: 20,
  },
  {
    key: 'nicu',
    name: 'NICU Entrance',
    floor: 'first',
    from: 'maternity',
    to: 'nicu',
    entryReader: true,
    exitReader: true,
    requestToExit: false,
    heldOpenSeconds: 20,
  },
  {
    key: 'maternity_stair',
    name: 'Maternity Stair A Door',
    floor: 'first',
    from: 'stair_a',
    to: 'maternity',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    egress: true,
  },
  {
    key: 'or',
    name: 'Operating Suite Entrance',
    floor: 'first',
    from: 'lift_lobby',
    to: 'or',
    entryReader: true,
    exitReader: false,
    requestToExit: true,
    heldOpenSeconds: 45,
  },
];

export async function seedSampleFacility(service: FacilityService, actor: string): Promise<SampleFacility> {
  const site = await service.sites.create(actor, {
    name: "St Brigid's Community Hospital",
    timeZone: 'America/Chicago',
    address: '1200 Harbor Street, Springfield, IL 62701',
  });
  const building = await service.buildings.create(actor, { siteId: site.id, name: 'Main Hospital' });
  const ground = await service.floors.create(actor, { buildingId: building.id, name: 'Level 1 – Ground', level: 0 });
  const first = await service.floors.create(actor, { buildingId: building.id, name: 'Level 2', level: 1 });
  const floors = {
    ground: await service.floors.uploadPlan(actor, ground.id, drawPlan('Main Hospital – Level 1', GROUND_ROOMS, GROUND_DOORS)),
    first: await service.floors.uploadPlan(actor, first.id, drawPlan('Main Hospital – Level 2', FIRST_ROOMS, FIRST_DOORS)),
  };

  const zones: Record<string, Zone> = {};
  for (const spec of ZONES) {
    zones[spec.key] = await service.zones.create(actor, {
      siteId: site.id,
      buildingId: building.id,
      floorId: spec.floor ? floors[spec.floor].id : null,
      name: spec.name,
      type: spec.type,
    });
  }

  const devices: Device[] = [];
  const register = async (input: Parameters<FacilityService['devices']['register']>[1]) => {
    const device = await service.devices.register(actor, input);
    devices.push(device);
    return device;
  };
  await register({
    siteId: site.id,
    kind: 'edge_agent',
    name: 'Main Hospital Edge Agent',
    macAddress: '02:00:5e:10:00:01',
    ipAddress: '10.20.0.10',
    manufacturer: 'Vigil',
    model: 'vigil-edge',
  });
  const controllers = {
    ground: await register({
      siteId: site.id,
      kind: 'controller',
      name: 'L1 Door Controller',
      serialNumber: 'DC16-2024-0101',
      macAddress: '02:00:5e:10:01:01',
      ipAddress: '10.20.1.10',
      manufacturer: 'Vigil',
      model: 'DC-16 door controller',
    }),
    first: await register({
      siteId: site.id,
      kind: 'controller',
      name: 'L2 Door Controller',
      serialNumber: 'DC16-2024-0102',
      macAddress: '02:00:5e:10:02:01',
      ipAddress: '10.20.2.10',
      manufacturer: 'Vigil',
      model: 'DC-16 door controller',
    }),
  };

  const positions = new Map<string, PlanDoor>([...GROUND_DOORS, ...FIRST_DOORS].map((d) => [`${d.key}`, d]));
  const nextPoint = { ground: 0, first: 0 };
  let readerSerial = 1000;
  const reader = async (spec: DoorSpec, side: 'entry' | 'exit') =>
    register({
      siteId: site.id,
      kind: 'reader',
      name: `${spec.name} – ${side} reader`,
      serialNumber: `OSDP-RDR-${++readerSerial}`,
      manufacturer: 'Vigil',
      model: 'OSDP multiclass reader',
    });

  const doors: Door[] = [];
  for (const spec of DOORS) {
    const point = nextPoint[spec.floor]++;
    const position = positions.get(spec.key);
    doors.push(
      await service.doors.create(actor, {
        siteId: site.id,
        floorId: floors[spec.floor].id,
        name: spec.name,
        fromZoneId: spec.from ? (zones[spec.from]?.id ?? null) : null,
        toZoneId: spec.to ? (zones[spec.to]?.id ?? null) : null,
        entryReaderId: spec.entryReader ? (await reader(spec, 'entry')).id : null,
        exitReaderId: spec.exitReader ? (await reader(spec, 'exit')).id : null,
        controllerId: controllers[spec.floor].id,
        lockOutput: point,
        doorPositionInput: point * 2,
        requestToExitInput: spec.requestToExit ? point * 2 + 1 : null,
        egress: spec.egress ?? false,
        ...(spec.unlockSeconds !== undefined ? { unlockSeconds: spec.unlockSeconds } : {}),
        ...(spec.heldOpenSeconds !== undefined ? { heldOpenSeconds: spec.heldOpenSeconds } : {}),
        position: position ? { x: position.x, y: position.y } : null,
      }),
    );
  }
  return { site, building, floors, zones, doors, devices };
}
