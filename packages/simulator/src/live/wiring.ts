/**
 * How the virtual hospital is wired, as an installer would draw it: one door controller per
 * building, its readers multi-dropped on buses of up to `readersPerBus`, every door's lock, contact
 * and exit button on the controller's I/O points. Pure: the same hospital always gives the same
 * wiring, so reader addresses and serial numbers survive a restart of the simulator.
 */
import type { DoorModel, HospitalModel, ProvisionedHospital } from '../model.js';

export interface ReaderWiring {
  /** The name the controller's configuration gives it (unique per controller). */
  readonly name: string;
  readonly bus: number;
  readonly address: number;
  readonly serialNumber: number;
}

export interface DoorWiring {
  readonly door: DoorModel;
  readonly doorId: string;
  readonly entry: ReaderWiring;
  readonly exit: ReaderWiring | null;
  readonly lockPoint: number;
  readonly positionPoint: number;
  readonly requestToExitPoint: number | null;
}

export interface ControllerWiring {
  readonly building: string;
  readonly name: string;
  readonly buses: number;
  readonly doors: readonly DoorWiring[];
}

/** Addresses 1..30 per bus: an RS-485 line carries 32 unit loads, the controller being one. */
export const DEFAULT_READERS_PER_BUS = 30;

export function buildingOfDoor(model: HospitalModel): Map<string, string> {
  const floors = new Map(model.floors.map((f) => [f.key, f.building]));
  return new Map(model.doors.map((d) => [d.key, floors.get(d.floor) ?? '']));
}

export function wireHospital(hospital: ProvisionedHospital, readersPerBus = DEFAULT_READERS_PER_BUS): ControllerWiring[] {
  const { model } = hospital;
  const buildingOf = buildingOfDoor(model);
  return model.buildings.map((building, buildingIndex) => {
    let bus = 0;
    let address = 0;
    let readers = 0;
    const nextReader = (name: string): ReaderWiring => {
      if (address >= readersPerBus) {
        bus++;
        address = 0;
      }
      address++;
      readers++;
      // Serial numbers are unique across the hospital: building in the high digits.
      return { name, bus, address, serialNumber: (buildingIndex + 1) * 100_000 + readers };
    };
    const doors = model.doors
      .filter((door) => buildingOf.get(door.key) === building.key)
      .map((door, index): DoorWiring => {
        const doorId = hospital.ids.doors[door.key];
        if (!doorId) throw new Error(`door ${door.key} was not provisioned`);
        return {
          door,
          doorId,
          entry: nextReader(`d${index + 1}-in`),
          exit: door.hasExitReader ? nextReader(`d${index + 1}-out`) : null,
          lockPoint: index * 3,
          positionPoint: index * 3 + 1,
          requestToExitPoint: door.hasRequestToExit ? index * 3 + 2 : null,
        };
      });
    return { building: building.key, name: `${building.name} door controller`, buses: readers === 0 ? 0 : bus + 1, doors };
  });
}
