/**
 * Carries what a sensor adapter hears into the device registry: last-seen and the battery a
 * registered device reported. Sensors may talk every few seconds, so a device is written at most
 * once per `minIntervalMs` unless its battery changed; devices the registry does not know are
 * looked up no more often. One write per device at a time; the newest sighting waits its turn.
 * When the adapter declares a device silent, the registry shows it offline too.
 */
import { isVigilError } from '@vigil/core';
import type { Logger } from '../../kernel/logger.js';
import type { DevicesService } from './devices.js';
import type { Heartbeat } from './inputs.js';

interface Sighting {
  readonly at: Date;
  readonly battery: number | undefined;
}

interface Tracked {
  writtenAt: number;
  battery: number | undefined;
  writing: boolean;
  next: Sighting | null;
}

export class DeviceSightings {
  private readonly tracked = new Map<string, Tracked>();

  constructor(
    private readonly devices: Pick<DevicesService, 'recordHeartbeat'>,
    private readonly options: { minIntervalMs: number; logger: Logger },
  ) {}

  /** Notes a message from the device with this serial number; returns once it is written or skipped. */
  async heard(serial: string, at: Date, battery: number | undefined): Promise<void> {
    let state = this.tracked.get(serial);
    if (!state) {
      state = { writtenAt: -Infinity, battery: undefined, writing: false, next: null };
      this.tracked.set(serial, state);
    }
    const batteryChanged = battery !== undefined && battery !== state.battery;
    if (!batteryChanged && at.getTime() - state.writtenAt < this.options.minIntervalMs) return;
    if (state.writing) {
      state.next = { at, battery: battery ?? state.next?.battery };
      return;
    }
    state.writing = true;
    try {
      let sighting: Sighting | null = { at, battery };
      while (sighting) {
        await this.write(serial, sighting);
        state.writtenAt = sighting.at.getTime();
        if (sighting.battery !== undefined) state.battery = sighting.battery;
        sighting = state.next;
        state.next = null;
      }
    } finally {
      state.writing = false;
    }
  }

  /** The adapter found the device silent past its supervision interval: the registry shows it offline. */
  async silent(serial: string): Promise<void> {
    const state = this.tracked.get(serial);
    // Its next message is written at once, bringing it back online.
    if (state) state.writtenAt = -Infinity;
    await this.record(serial, { status: 'offline', reason: 'silent longer than its supervision interval' });
  }

  private write(serial: string, sighting: Sighting): Promise<void> {
    return this.record(serial, {
      status: 'online',
      at: sighting.at,
      ...(sighting.battery === undefined ? {} : { battery: sighting.battery }),
    });
  }

  private async record(serial: string, report: Heartbeat): Promise<void> {
    try {
      await this.devices.recordHeartbeat({ serialNumber: serial }, report);
    } catch (e) {
      // A sensor nobody registered is supervised by the adapter alone; anything else is worth a line.
      if (isVigilError(e) && e.code === 'facility.device_not_found') return;
      this.options.logger.warn({ err: e, serial }, 'device sighting not recorded');
    }
  }
}
