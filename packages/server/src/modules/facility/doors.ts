/**
 * Doors: the zones they lead between, the readers on each side, the controller points that drive
 * the lock and sense the door, and the timings. The wiring rules here are what an installer
 * checks on site: one reader per door side, one door per controller point, everything on the
 * door's own site.
 */
import { newId } from '@vigil/core';
import type { Executor } from '../audit/index.js';
import { changes, transact, type FacilityContext } from './context.js';
import { facilityError } from './errors.js';
import { DOOR_MUTABLE, doorChanged, doorCreated, doorRemoved } from './events.js';
import { DoorCreateSchema, DoorPatchSchema, assertInput, type DoorCreate, type DoorPatch } from './inputs.js';
import type { Device, DeviceKind, Door, Floor, ListOptions, Page } from './model.js';
import { resolvePlacement } from './placement.js';
import type { SitesService } from './sites.js';

const CONTROLLER_KINDS: readonly DeviceKind[] = ['controller', 'edge_agent'];

export class DoorsService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly sites: SitesService,
  ) {}

  async get(id: string): Promise<Door> {
    return this.require(this.ctx.db, id);
  }

  async list(options: ListOptions & { floorId?: string | undefined; zoneId?: string | undefined }): Promise<Page<Door>> {
    return this.ctx.repo.listDoors(this.ctx.db, options);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return this.ctx.repo.siteIdOf(this.ctx.db, 'doors', id);
  }

  async create(actor: string, input: DoorCreate): Promise<Door> {
    assertInput(DoorCreateSchema, input);
    return transact(this.ctx, async (trx) => {
      await this.sites.require(trx, input.siteId);
      const placement = await resolvePlacement(this.ctx, trx, input.siteId, input.buildingId ?? null, input.floorId ?? null);
      const egress = input.egress ?? false;
      const now = this.ctx.clock().toISOString();
      const door: Door = {
        id: newId(),
        siteId: input.siteId,
        buildingId: placement.buildingId,
        floorId: placement.floorId,
        name: input.name.trim(),
        entryReaderId: input.entryReaderId ?? null,
        exitReaderId: input.exitReaderId ?? null,
        controllerId: input.controllerId ?? null,
        lockOutput: input.lockOutput ?? null,
        doorPositionInput: input.doorPositionInput ?? null,
        requestToExitInput: input.requestToExitInput ?? null,
        osdpBus: input.osdpBus ?? null,
        entryReaderAddress: input.entryReaderAddress ?? null,
        exitReaderAddress: input.exitReaderAddress ?? null,
        // Egress routes default to locks that release when power fails.
        lockFailMode: input.lockFailMode ?? (egress ? 'fail_safe' : 'fail_secure'),
        egress,
        unlockSeconds: input.unlockSeconds ?? 5,
        heldOpenSeconds: input.heldOpenSeconds ?? 30,
        fromZoneId: input.fromZoneId ?? null,
        toZoneId: input.toZoneId ?? null,
        position: input.position ?? null,
        createdAt: now,
        updatedAt: now,
      };
      await this.validate(trx, door, placement.floor);
      await this.ctx.repo.insertDoor(trx, door);
      await this.ctx.record(trx, doorCreated.draft({ site: door.siteId, source: actor, door: door.id }, { door }));
      return door;
    });
  }

  async update(actor: string, id: string, patch: DoorPatch): Promise<Door> {
    assertInput(DoorPatchSchema, patch);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, id);
      // A new floor brings its building; clearing the floor keeps the building.
      const buildingId = patch.buildingId !== undefined ? patch.buildingId : patch.floorId ? null : before.buildingId;
      const floorId = patch.floorId !== undefined ? patch.floorId : before.floorId;
      const placement = await resolvePlacement(this.ctx, trx, before.siteId, buildingId, floorId);
      const pick = <K extends keyof DoorPatch & keyof Door>(key: K): Door[K] =>
        (patch[key] !== undefined ? patch[key] : before[key]) as Door[K];
      const after: Door = {
        ...before,
        buildingId: placement.buildingId,
        floorId: placement.floorId,
        name: patch.name !== undefined ? patch.name.trim() : before.name,
        entryReaderId: pick('entryReaderId'),
        exitReaderId: pick('exitReaderId'),
        controllerId: pick('controllerId'),
        lockOutput: pick('lockOutput'),
        doorPositionInput: pick('doorPositionInput'),
        requestToExitInput: pick('requestToExitInput'),
        osdpBus: pick('osdpBus'),
        entryReaderAddress: pick('entryReaderAddress'),
        exitReaderAddress: pick('exitReaderAddress'),
        lockFailMode: pick('lockFailMode'),
        egress: pick('egress'),
        unlockSeconds: pick('unlockSeconds'),
        heldOpenSeconds: pick('heldOpenSeconds'),
        fromZoneId: pick('fromZoneId'),
        toZoneId: pick('toZoneId'),
        position: pick('position'),
      };
      const diff = changes(before, after, DOOR_MUTABLE);
      if (!diff.changed) return before;
      await this.validate(trx, after, placement.floor);
      const stored = { ...after, updatedAt: this.ctx.clock().toISOString() };
      await this.ctx.repo.updateDoor(trx, stored);
      await this.ctx.record(
        trx,
        doorChanged.draft({ site: stored.siteId, source: actor, door: id }, { id, before: diff.before, after: diff.after }),
      );
      return stored;
    });
  }

  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const door = await this.require(trx, id);
      await this.ctx.repo.remove(trx, 'doors', id);
      await this.ctx.record(trx, doorRemoved.draft({ site: door.siteId, source: actor, door: id }, { id, name: door.name }));
    });
  }

  async require(ex: Executor, id: string): Promise<Door> {
    const door = await this.ctx.repo.findDoor(ex, id);
    if (!door) throw facilityError('facility.door_not_found', `No door ${id}`, { doorId: id });
    return door;
  }

  private async validate(ex: Executor, door: Door, floor: Floor | null): Promise<void> {
    const holder = await this.ctx.repo.doorNamed(ex, door.siteId, door.name);
    if (holder && holder.id !== door.id) {
      throw facilityError('facility.name_taken', `The site already has a door named ${door.name}`, { entity: 'door', name: door.name });
    }
    await this.validateZones(ex, door);
    await this.validateReaders(ex, door);
    await this.validateController(ex, door);
    validatePosition(door, floor);
  }

  private async validateZones(ex: Executor, door: Door): Promise<void> {
    if (!door.fromZoneId && !door.toZoneId) {
      throw facilityError('facility.door_zones_invalid', `Door ${door.name} must lead into or out of at least one zone`, {});
    }
    if (door.fromZoneId === door.toZoneId) {
      throw facilityError('facility.door_zones_invalid', `Door ${door.name} leads from a zone into the same zone`, {
        zoneId: door.toZoneId,
      });
    }
    for (const zoneId of [door.fromZoneId, door.toZoneId]) {
      if (!zoneId) continue;
      const zone = await this.ctx.repo.findZone(ex, zoneId);
      if (!zone) throw facilityError('facility.zone_not_found', `No zone ${zoneId}`, { zoneId });
      if (zone.siteId !== door.siteId) {
        throw facilityError('facility.site_mismatch', `Zone ${zone.name} belongs to another site than door ${door.name}`, { zoneId });
      }
    }
  }

  private async validateReaders(ex: Executor, door: Door): Promise<void> {
    if (door.entryReaderId && door.entryReaderId === door.exitReaderId) {
      throw facilityError('facility.reader_in_use', 'One reader cannot be both the entry and the exit reader', {
        deviceId: door.entryReaderId,
      });
    }
    for (const [side, readerId] of [
      ['entry', door.entryReaderId],
      ['exit', door.exitReaderId],
    ] as const) {
      if (!readerId) continue;
      const reader = await this.siteDevice(ex, readerId, door, ['reader'], `${side} reader`);
      const other = (await this.ctx.repo.doorsUsingDevice(ex, readerId)).find(
        (d) => d.id !== door.id && (d.entryReaderId === readerId || d.exitReaderId === readerId),
      );
      if (other) {
        throw facilityError('facility.reader_in_use', `Reader ${reader.name} already reads for door ${other.name}`, {
          deviceId: readerId,
          doorId: other.id,
        });
      }
    }
  }

  private async validateController(ex: Executor, door: Door): Promise<void> {
    const points = {
      lockOutput: door.lockOutput,
      doorPositionInput: door.doorPositionInput,
      requestToExitInput: door.requestToExitInput,
      osdpBus: door.osdpBus,
      entryReaderAddress: door.entryReaderAddress,
      exitReaderAddress: door.exitReaderAddress,
    };
    const wired = Object.entries(points).filter(([, v]) => v !== null);
    if (!door.controllerId) {
      if (wired.length > 0) {
        throw facilityError('facility.door_wiring_invalid', `${wired.map(([k]) => k).join(', ')} given without a controller`, {
          fields: wired.map(([k]) => k),
        });
      }
      return;
    }
    const controller = await this.siteDevice(ex, door.controllerId, door, CONTROLLER_KINDS, 'controller');
    await this.validateReaderAddresses(ex, door, controller);
    if (door.doorPositionInput !== null && door.doorPositionInput === door.requestToExitInput) {
      throw facilityError(
        'facility.controller_point_in_use',
        `Input ${door.doorPositionInput} cannot be both door position and request-to-exit`,
        {
          input: door.doorPositionInput,
        },
      );
    }
    const inputs = [door.doorPositionInput, door.requestToExitInput].filter((n): n is number => n !== null);
    for (const other of await this.ctx.repo.doorsUsingDevice(ex, controller.id)) {
      if (other.id === door.id || other.controllerId !== controller.id) continue;
      const clash =
        door.lockOutput !== null && other.lockOutput === door.lockOutput
          ? `output ${door.lockOutput}`
          : inputs.find((n) => n === other.doorPositionInput || n === other.requestToExitInput);
      if (clash !== undefined) {
        const point = typeof clash === 'number' ? `input ${clash}` : clash;
        throw facilityError('facility.controller_point_in_use', `${point} of ${controller.name} is already wired to door ${other.name}`, {
          deviceId: controller.id,
          doorId: other.id,
        });
      }
    }
  }

  /** The controller reads the door's readers on one of its buses: each address serves one door side. */
  private async validateReaderAddresses(ex: Executor, door: Door, controller: Device): Promise<void> {
    const addresses = [door.entryReaderAddress, door.exitReaderAddress].filter((n): n is number => n !== null);
    if (addresses.length === 0) return;
    if (door.osdpBus === null) {
      throw facilityError('facility.door_wiring_invalid', `Door ${door.name} gives reader addresses without the OSDP bus they are on`, {
        fields: ['osdpBus'],
      });
    }
    // A door the controller reads for but cannot unlock would refuse everyone silently.
    if (door.lockOutput === null) {
      throw facilityError('facility.door_wiring_invalid', `Door ${door.name} is read by ${controller.name} but has no lock output`, {
        fields: ['lockOutput'],
      });
    }
    if (addresses.length === 2 && addresses[0] === addresses[1]) {
      throw facilityError('facility.reader_address_in_use', `Address ${addresses[0]} cannot be both the entry and the exit reader`, {
        bus: door.osdpBus,
        address: addresses[0],
      });
    }
    for (const other of await this.ctx.repo.doorsUsingDevice(ex, controller.id)) {
      if (other.id === door.id || other.controllerId !== controller.id || other.osdpBus !== door.osdpBus) continue;
      const clash = addresses.find((n) => n === other.entryReaderAddress || n === other.exitReaderAddress);
      if (clash !== undefined) {
        throw facilityError(
          'facility.reader_address_in_use',
          `Address ${clash} on bus ${door.osdpBus} of ${controller.name} is already a reader of door ${other.name}`,
          { deviceId: controller.id, bus: door.osdpBus, address: clash, doorId: other.id },
        );
      }
    }
  }

  private async siteDevice(ex: Executor, id: string, door: Door, kinds: readonly DeviceKind[], role: string): Promise<Device> {
    const device = await this.ctx.repo.findDevice(ex, id);
    if (!device) throw facilityError('facility.device_not_found', `No device ${id} (the door's ${role})`, { deviceId: id });
    if (device.siteId !== door.siteId) {
      throw facilityError('facility.site_mismatch', `Device ${device.name} (the ${role}) is registered on another site`, { deviceId: id });
    }
    if (!kinds.includes(device.kind)) {
      throw facilityError('facility.device_kind_mismatch', `Device ${device.name} is a ${device.kind} and cannot be the door's ${role}`, {
        deviceId: id,
        kind: device.kind,
        expected: kinds,
      });
    }
    return device;
  }
}

function validatePosition(door: Door, floor: Floor | null): void {
  if (!door.position) return;
  if (!floor) {
    throw facilityError('facility.door_position_invalid', `Door ${door.name} has a plan position but is on no floor`, {});
  }
  const box = floor.plan?.viewBox;
  if (!box) return;
  const { x, y } = door.position;
  if (x < box.minX || y < box.minY || x > box.minX + box.width || y > box.minY + box.height) {
    throw facilityError('facility.door_position_invalid', `Position (${x}, ${y}) lies outside the plan of floor ${floor.name}`, {
      position: door.position,
      viewBox: box,
    });
  }
}
