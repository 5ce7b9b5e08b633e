/**
 * What Vigil knows about each MQTT device's health: when it was last heard, its battery, whether
 * it is declared offline, and how many of its messages were rejected. In memory: the journal
 * records the changes (first report, battery change, offline, back online), not every heartbeat.
 * Bounded: at most `maxDevices` devices are tracked.
 */
import type { EventDraft } from '@vigil/core';
import { deviceCameOnline, deviceWentOffline } from './events.js';
import type { DeviceEntry } from './mapping.js';
import { derivedEventId } from './translate.js';

export interface DeviceStatus {
  readonly serial: string;
  readonly kind: string;
  readonly lastSeenAt: Date | null;
  readonly battery: number | null;
  readonly online: boolean;
  readonly supervisionSeconds: number | null;
  readonly payloadsRejected: number;
}

interface DeviceState {
  serial: string;
  kind: string;
  /** Start of the current silence: the last message, or when supervision began. */
  quietSince: Date;
  lastSeenAt: Date | null;
  battery: number | null;
  online: boolean;
  offlineSince: Date | null;
  supervisionSeconds: number | null;
  payloadsRejected: number;
  rejectedUnreported: number;
  lastRejectReportAt: Date | null;
}

export interface Sighting {
  /** First message since supervision started. */
  readonly first: boolean;
  /** Set when the device had been declared offline. */
  readonly backFrom: Date | null;
  /** When the device was heard before this message (null: never). */
  readonly previousSeenAt: Date | null;
  readonly batteryChanged: boolean;
}

export class DeviceSupervisor {
  private readonly devices = new Map<string, DeviceState>();
  private readonly registered: ReadonlyMap<string, DeviceEntry>;
  private refusedUnknown = 0;

  constructor(
    private readonly options: {
      registered: readonly DeviceEntry[];
      acceptUnknown: boolean;
      maxDevices: number;
      rejectWindowSeconds: number;
      startedAt: Date;
    },
  ) {
    this.registered = new Map(options.registered.map((d) => [d.serial, d]));
    for (const device of options.registered) {
      this.devices.set(
        device.serial,
        this.fresh(device.serial, device.kind ?? 'unknown', device.supervisionSeconds ?? null, options.startedAt),
      );
    }
  }

  get registry(): ReadonlyMap<string, DeviceEntry> {
    return this.registered;
  }

  get unknownRefused(): number {
    return this.refusedUnknown;
  }

  /** Records a message; null when the device is refused (unknown and not accepted, or over the bound). */
  seen(serial: string, kind: string, supervisionSeconds: number | null, at: Date, battery: number | undefined): Sighting | null {
    const state = this.track(serial, kind, supervisionSeconds, at);
    if (!state) return null;
    const first = state.lastSeenAt === null;
    const previousSeenAt = state.lastSeenAt;
    const backFrom = state.online ? null : state.offlineSince;
    const batteryChanged = battery !== undefined && battery !== state.battery;
    if (state.lastSeenAt === null || at > state.lastSeenAt) state.lastSeenAt = at;
    if (at > state.quietSince) state.quietSince = at;
    state.online = true;
    state.offlineSince = null;
    if (battery !== undefined) state.battery = battery;
    return { first, backFrom, previousSeenAt, batteryChanged };
  }

  /**
   * A message another node of the group handled (sightings.ts): the device is alive, and that
   * node journaled whatever the message meant (its return included), so nothing is reported here.
   */
  heardElsewhere(serial: string, kind: string, supervisionSeconds: number | null, at: Date, battery: number | undefined): void {
    let state = this.devices.get(serial);
    if (!state) {
      if (!this.options.acceptUnknown || this.devices.size >= this.options.maxDevices) return;
      state = this.fresh(serial, kind, supervisionSeconds, at);
      this.devices.set(serial, state);
    }
    if (state.lastSeenAt !== null && state.lastSeenAt >= at) return;
    state.lastSeenAt = at;
    if (at > state.quietSince) state.quietSince = at;
    state.online = true;
    state.offlineSince = null;
    if (battery !== undefined) state.battery = battery;
  }

  /** Online devices silent longer than their supervision interval (plus `graceMs`) at `now`. */
  overdue(now: Date, graceMs = 0): DeviceStatus[] {
    const out: DeviceStatus[] = [];
    for (const state of this.devices.values()) {
      if (!state.online || state.supervisionSeconds === null) continue;
      if (now.getTime() - state.quietSince.getTime() > state.supervisionSeconds * 1000 + graceMs) out.push(status(state));
    }
    return out;
  }

  markOffline(serial: string, at: Date): void {
    const state = this.devices.get(serial);
    if (!state || !state.online) return;
    state.online = false;
    state.offlineSince = at;
  }

  /**
   * Counts a rejected message; returns how many to report when a `device.payload_rejected` is due
   * (the first in each window), else null.
   */
  rejected(serial: string, kind: string, at: Date): number | null {
    const state = this.track(serial, kind, null, at) ?? this.devices.get(serial);
    if (!state) return null;
    state.payloadsRejected++;
    state.rejectedUnreported++;
    const last = state.lastRejectReportAt;
    if (last && at.getTime() - last.getTime() < this.options.rejectWindowSeconds * 1000) return null;
    const count = state.rejectedUnreported;
    state.rejectedUnreported = 0;
    state.lastRejectReportAt = at;
    return count;
  }

  /** Puts back a count whose report could not be journaled, so the next report includes it. */
  unreport(serial: string, count: number): void {
    const state = this.devices.get(serial);
    if (!state) return;
    state.rejectedUnreported += count;
    state.lastRejectReportAt = null;
  }

  get(serial: string): DeviceStatus | undefined {
    const state = this.devices.get(serial);
    return state && status(state);
  }

  list(): DeviceStatus[] {
    return [...this.devices.values()].map(status);
  }

  private track(serial: string, kind: string, supervisionSeconds: number | null, at: Date): DeviceState | null {
    const existing = this.devices.get(serial);
    if (existing) {
      if (existing.kind === 'unknown') existing.kind = kind;
      if (existing.supervisionSeconds === null && !this.registered.get(serial)?.supervisionSeconds)
        existing.supervisionSeconds = supervisionSeconds;
      return existing;
    }
    if (!this.options.acceptUnknown || this.devices.size >= this.options.maxDevices) {
      this.refusedUnknown++;
      return null;
    }
    const state = this.fresh(serial, kind, supervisionSeconds, at);
    this.devices.set(serial, state);
    return state;
  }

  private fresh(serial: string, kind: string, supervisionSeconds: number | null, since: Date): DeviceState {
    return {
      serial,
      kind,
      quietSince: since,
      lastSeenAt: null,
      battery: null,
      online: true,
      offlineSince: null,
      supervisionSeconds,
      payloadsRejected: 0,
      rejectedUnreported: 0,
      lastRejectReportAt: null,
    };
  }
}

function status(state: DeviceState): DeviceStatus {
  return {
    serial: state.serial,
    kind: state.kind,
    lastSeenAt: state.lastSeenAt,
    battery: state.battery,
    online: state.online,
    supervisionSeconds: state.supervisionSeconds,
    payloadsRejected: state.payloadsRejected,
  };
}

/**
 * `device.went_offline` for an overdue device. Its id names the silence it ends (the device and
 * when it was last heard), so the nodes of a group that both find the device overdue store it once.
 */
export function wentOfflineDraft(device: DeviceStatus, registered: DeviceEntry | undefined, now: Date): EventDraft {
  return deviceWentOffline.draft(
    {
      id: derivedEventId(device.serial, `went_offline/${device.lastSeenAt?.toISOString() ?? 'never'}`),
      at: now,
      site: registered?.site ?? null,
      zone: registered?.zone ?? null,
      door: registered?.door ?? null,
      source: `device:${device.serial}`,
    },
    { kind: device.kind, lastSeenAt: device.lastSeenAt?.toISOString() ?? null, supervisionSeconds: device.supervisionSeconds ?? 0 },
  );
}

/** `device.came_online` for a device heard again, named by the silence it ends like the offline event. */
export function cameOnlineDraft(
  device: { readonly serial: string; readonly kind: string; readonly offlineSince: Date; readonly lastSeenBefore: Date | null },
  envelope: Omit<EventDraft, 'type' | 'data' | 'id'>,
): EventDraft {
  const id = derivedEventId(device.serial, `came_online/${device.lastSeenBefore?.toISOString() ?? 'never'}`);
  return deviceCameOnline.draft({ ...envelope, id }, { kind: device.kind, offlineSince: device.offlineSince.toISOString() });
}
