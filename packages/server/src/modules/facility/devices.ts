/**
 * The device registry. A device is known by its serial number or MAC address (its stable id);
 * its IP address and name are attributes that may change, each change journaled under the same
 * id. Health comes from heartbeats and from the silence sweep.
 */
import { newId } from '@vigil/core';
import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Executor } from '../audit/index.js';
import { assertUnused, changes, defined, transact, type FacilityContext } from './context.js';
import { batteryOf } from './battery.js';
import { normaliseIp, normaliseMac, normaliseSerial, stableIdOf } from './device-identity.js';
import { facilityError } from './errors.js';
import { DEVICE_MUTABLE, deviceChanged, deviceHealthChanged, deviceRegistered, deviceRemoved } from './events.js';
import {
  DevicePatchSchema,
  DeviceRegisterSchema,
  HeartbeatSchema,
  assertInput,
  type DevicePatch,
  type DeviceRef,
  type DeviceRegister,
  type Heartbeat,
} from './inputs.js';
import type { Device, DeviceHealth, DeviceKind, ListOptions, Page } from './model.js';
import type { SitesService } from './sites.js';

const HEALTH_SOURCE = 'system:device-health';

export class DevicesService {
  constructor(
    private readonly ctx: FacilityContext,
    private readonly sites: SitesService,
  ) {}

  async get(id: string): Promise<Device> {
    return this.require(this.ctx.db, { id });
  }

  /** Looks a device up by id, serial number or MAC address (normalised first). */
  async find(ref: DeviceRef): Promise<Device> {
    return this.require(this.ctx.db, ref);
  }

  async list(options: ListOptions & { kind?: DeviceKind | undefined; health?: DeviceHealth | undefined }): Promise<Page<Device>> {
    return this.ctx.repo.listDevices(this.ctx.db, options);
  }

  async siteOf(id: string): Promise<string | undefined> {
    return this.ctx.repo.siteIdOf(this.ctx.db, 'devices', id);
  }

  async register(actor: string, input: DeviceRegister): Promise<Device> {
    assertInput(DeviceRegisterSchema, input);
    const serialNumber = input.serialNumber !== undefined ? normaliseSerial(input.serialNumber) : null;
    const macAddress = input.macAddress !== undefined ? normaliseMac(input.macAddress) : null;
    const stableId = stableIdOf(serialNumber, macAddress);
    return transact(this.ctx, async (trx) => {
      await this.sites.require(trx, input.siteId);
      for (const [column, value] of [
        ['serial_number', serialNumber],
        ['mac_address', macAddress],
        ['stable_id', stableId],
      ] as const) {
        const existing = value ? await this.ctx.repo.deviceBy(trx, column, value) : undefined;
        if (existing) {
          throw facilityError('facility.device_already_registered', `${value} is already registered as ${existing.name}`, {
            deviceId: existing.id,
            stableId: existing.stableId,
          });
        }
      }
      const now = this.ctx.clock().toISOString();
      const device: Device = {
        id: newId(),
        stableId,
        serialNumber,
        macAddress,
        siteId: input.siteId,
        kind: input.kind,
        name: input.name.trim(),
        ipAddress: input.ipAddress ? normaliseIp(input.ipAddress) : null,
        manufacturer: input.manufacturer?.trim() || null,
        model: input.model?.trim() || null,
        firmwareVersion: input.firmwareVersion?.trim() || null,
        health: 'unknown',
        healthReason: null,
        healthChangedAt: null,
        lastSeenAt: null,
        battery: null,
        createdAt: now,
        updatedAt: now,
      };
      await this.ctx.repo.insertDevice(trx, device);
      await this.ctx.record(trx, deviceRegistered.draft({ site: device.siteId, source: actor, subject: device.id }, { device }));
      return device;
    });
  }

  /** Changes mutable attributes. Moving a device to another site is refused while a door uses it. */
  async update(actor: string, id: string, patch: DevicePatch): Promise<Device> {
    assertInput(DevicePatchSchema, patch);
    const given = defined(patch);
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, { id });
      const after: Device = {
        ...before,
        ...(given.siteId !== undefined ? { siteId: given.siteId } : {}),
        ...(given.name !== undefined ? { name: given.name.trim() } : {}),
        ...(given.ipAddress !== undefined ? { ipAddress: given.ipAddress ? normaliseIp(given.ipAddress) : null } : {}),
        ...(given.manufacturer !== undefined ? { manufacturer: given.manufacturer?.trim() || null } : {}),
        ...(given.model !== undefined ? { model: given.model?.trim() || null } : {}),
        ...(given.firmwareVersion !== undefined ? { firmwareVersion: given.firmwareVersion?.trim() || null } : {}),
      };
      if (after.siteId !== before.siteId) {
        await this.sites.require(trx, after.siteId);
        assertUnused(await this.ctx.repo.usage(trx, 'device', id), `Device ${before.name} cannot move to another site: it`);
      }
      return this.store(trx, before, after, actor);
    });
  }

  async remove(actor: string, id: string): Promise<void> {
    await transact(this.ctx, async (trx) => {
      const device = await this.require(trx, { id });
      assertUnused(await this.ctx.repo.usage(trx, 'device', id), `Device ${device.name}`);
      await this.ctx.repo.remove(trx, 'devices', id);
      await this.ctx.record(
        trx,
        deviceRemoved.draft({ site: device.siteId, source: actor, subject: id }, { id, name: device.name, stableId: device.stableId }),
      );
    });
  }

  /**
   * Records that a device reported in (directly, or through the edge agent it hangs off). Updates
   * last-seen (and the battery, when reported); journals a health change, and an IP or firmware
   * change, when there is one (a battery change is journaled by whoever heard it). An
   * `offline` report (an edge agent saying its reader stopped answering) does not count as seen.
   */
  async recordHeartbeat(ref: DeviceRef, report: Heartbeat): Promise<Device> {
    const { at, ...fields } = report;
    assertInput(HeartbeatSchema, fields);
    const ipAddress = fields.ipAddress ? normaliseIp(fields.ipAddress) : undefined;
    return transact(this.ctx, async (trx) => {
      const before = await this.require(trx, ref);
      const when = (at ?? this.ctx.clock()).toISOString();
      const source = `device:${before.stableId}`;
      const reason = fields.status === 'online' ? null : (fields.reason?.trim() ?? null);
      const after: Device = {
        ...before,
        ...(ipAddress !== undefined ? { ipAddress } : {}),
        ...(fields.firmwareVersion !== undefined ? { firmwareVersion: fields.firmwareVersion.trim() } : {}),
        lastSeenAt: fields.status === 'offline' ? before.lastSeenAt : when,
        ...(fields.battery !== undefined ? { battery: batteryOf(fields.battery, when) } : {}),
      };
      const healthChanged = before.health !== fields.status || before.healthReason !== reason;
      if (healthChanged) Object.assign(after, { health: fields.status, healthReason: reason, healthChangedAt: when });
      const stored = await this.store(trx, before, after, source);
      if (healthChanged) await this.recordHealthChange(trx, before, stored, source);
      return stored;
    });
  }

  /**
   * Marks devices that were online or degraded but have sent nothing for `silentSeconds` as
   * offline, one journaled health change each. Run periodically; returns the devices it changed.
   */
  async markSilentDevicesOffline(silentSeconds: number): Promise<Device[]> {
    const now = this.ctx.clock();
    const cutoff = new Date(now.getTime() - silentSeconds * 1000).toISOString();
    return transact(this.ctx, async (trx) => {
      const changed: Device[] = [];
      for (const before of await this.ctx.repo.silentDevices(trx, cutoff)) {
        const after: Device = {
          ...before,
          health: 'offline',
          healthReason: `no heartbeat for ${silentSeconds} s`,
          healthChangedAt: now.toISOString(),
          updatedAt: now.toISOString(),
        };
        await this.ctx.repo.updateDevice(trx, after);
        await this.recordHealthChange(trx, before, after, HEALTH_SOURCE);
        changed.push(after);
      }
      return changed;
    });
  }

  async require(ex: Executor, ref: DeviceRef): Promise<Device> {
    let device: Device | undefined;
    let shown: string;
    if ('id' in ref) {
      device = await this.ctx.repo.findDevice(ex, ref.id);
      shown = ref.id;
    } else if ('serialNumber' in ref) {
      shown = normaliseSerial(ref.serialNumber);
      device = await this.ctx.repo.deviceBy(ex, 'serial_number', shown);
    } else {
      shown = normaliseMac(ref.macAddress);
      device = await this.ctx.repo.deviceBy(ex, 'mac_address', shown);
    }
    if (!device) throw facilityError('facility.device_not_found', `No device ${shown}`, { device: shown });
    return device;
  }

  /** Writes the device; journals `device.changed` when a mutable attribute changed. */
  private async store(trx: Transaction<Database>, before: Device, after: Device, source: string): Promise<Device> {
    const diff = changes(before, after, DEVICE_MUTABLE);
    const touched = diff.changed || JSON.stringify(before) !== JSON.stringify(after);
    if (!touched) return before;
    const stored = diff.changed ? { ...after, updatedAt: this.ctx.clock().toISOString() } : after;
    await this.ctx.repo.updateDevice(trx, stored);
    if (diff.changed) {
      await this.ctx.record(
        trx,
        deviceChanged.draft(
          { site: stored.siteId, source, subject: stored.id },
          { id: stored.id, stableId: stored.stableId, before: diff.before, after: diff.after },
        ),
      );
    }
    return stored;
  }

  private async recordHealthChange(trx: Transaction<Database>, before: Device, after: Device, source: string): Promise<void> {
    await this.ctx.record(
      trx,
      deviceHealthChanged.draft(
        { site: after.siteId, source, subject: after.id },
        {
          id: after.id,
          stableId: after.stableId,
          from: before.health,
          to: after.health,
          reason: after.healthReason,
          lastSeenAt: after.lastSeenAt,
        },
      ),
    );
  }
}
