/**
 * The door controller agent: builds its parts from the configuration and runs them. Decisions are
 * local (snapshot + rule state in memory, the event written to the local buffer first); the
 * server is only ever talked to by the sync engine, so the doors work the same with or without it.
 */
import path from 'node:path';
import { isVigilError, recordDoorClosed, recordDoorOpened, type EventDraft } from '@vigil/core';
import { createPublicKey } from 'node:crypto';
import { systemClock, type Clock, type Transport } from '@vigil/osdp';
import type { AgentConfig, PointConfig } from './config.js';
import { DoorModes } from './controls.js';
import { DoorAccess } from './door-access.js';
import { DoorController, type DoorFacts } from './door.js';
import { agentStarted, doorClosed, doorForcedOpen, doorHeldOpen, doorOpened, readerCameOnline, readerWentOffline } from './events.js';
import { ReaderFeedback } from './feedback.js';
import { AgentHealth } from './health.js';
import { OsdpInput, OsdpLockOutput } from './io/osdp-io.js';
import { SimulatedIo } from './io/simulated.js';
import type { DoorPositionInput, IoBackend, LockOutput, RequestToExitInput } from './io/types.js';
import { loadOrCreateAgentKey, type AgentKey } from './keys.js';
import { LatencyWindow } from './latency.js';
import { AuxOutputs } from './outputs.js';
import { PinLockoutLifts } from './pin-lockout-lifts.js';
import { PinLockout } from './pin-lockout.js';
import { PolicyRuntime } from './policy.js';
import type { Controls, DoorCommand, HealthReport } from './protocol.js';
import { ReaderHub } from './readers.js';
import { EventRecorder } from './recorder.js';
import { applySnapshot, type SnapshotOutcome } from './snapshot-update.js';
import { AgentStore } from './store.js';
import { ServerClient } from './sync/client.js';
import { SyncEngine } from './sync/engine.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const silent: AgentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface AgentOptions {
  readonly config: AgentConfig;
  /** Time for decisions, door timers and event instants (tests inject one); default: the system clock. */
  readonly clock?: Clock;
  /** The I/O backend for `simulated` points; default: a fresh in-memory one. */
  readonly io?: IoBackend;
  readonly createTransport?: (bus: AgentConfig['readers'][number]['bus']) => Transport;
  readonly fetch?: typeof fetch;
  readonly logger?: AgentLogger;
  /** Don't talk to the server (a controller run purely on its last snapshot, or a test). */
  readonly offline?: boolean;
}

export class EdgeAgent {
  readonly key: AgentKey;
  readonly store: AgentStore;
  readonly readers: ReaderHub;
  readonly io: IoBackend;
  readonly policy: PolicyRuntime;
  readonly recorder: EventRecorder;
  readonly modes: DoorModes;
  readonly outputs: AuxOutputs;
  readonly doors = new Map<string, DoorAccess>();
  readonly health: AgentHealth;
  readonly sync: SyncEngine | null;
  private readonly clock: Clock;
  private readonly logger: AgentLogger;
  private readonly latency = new LatencyWindow();
  private readonly byReader = new Map<string, DoorAccess>();
  private readonly faultyLocks = new Set<string>();
  private tick: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: AgentOptions) {
    const { config } = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silent;
    this.key = loadOrCreateAgentKey(path.join(config.dataDir, 'agent.key'));
    this.store = new AgentStore(path.join(config.dataDir, 'buffer.db'));
    this.io = options.io ?? new SimulatedIo(this.clock);
    this.readers = new ReaderHub(config.readers, {
      ...config.osdp,
      clock: this.clock,
      ...(options.createTransport ? { createTransport: options.createTransport } : {}),
    });
    this.policy = new PolicyRuntime(this.store, createPublicKey(config.server.snapshotPublicKey));
    this.recorder = new EventRecorder(this.store, config.siteId, `edge:${this.key.keyId}`, this.clock, () => this.sync?.wake());
    this.health = new AgentHealth(this.store);
    const feedback = new ReaderFeedback(this.readers, (reader, error) =>
      this.logger.warn({ reader, err: error }, 'reader feedback failed'),
    );
    const facts = this.doorFacts();
    const { lockout } = config.pinEntry;
    const pinLockout = new PinLockout(
      { attempts: lockout.attempts, windowMs: lockout.windowSeconds * 1000, lockoutMs: lockout.lockoutSeconds * 1000 },
      this.store.pinLockouts(this.clock.now()),
    );
    for (const door of config.doors) {
      const controller = new DoorController(
        door.id,
        { lock: this.lockOf(door.lock), position: door.doorPosition ? this.inputOf(door.doorPosition) : null },
        door.heldOpenSeconds * 1000,
        this.clock,
        facts,
      );
      const access = new DoorAccess(
        {
          policy: this.policy,
          recorder: this.recorder,
          feedback,
          clock: this.clock,
          latency: this.latency,
          pinTimeoutMs: config.pinEntry.timeoutSeconds * 1000,
          pinMaxDigits: config.pinEntry.maxDigits,
          pinLockout,
          bufferFault: (failed, error) => this.health.setAlarm('buffer_unavailable', failed, error),
        },
        door,
        controller,
      );
      this.doors.set(door.id, access);
      for (const reader of [door.entryReader, door.exitReader]) if (reader) this.byReader.set(reader, access);
      if (door.requestToExit) this.inputOf(door.requestToExit).onRequest(() => access.exitRequest());
    }
    const doorOutputs = new Set(
      config.doors.map((door) => outputKey(door.lock.kind === 'osdp' ? door.lock.reader : null, door.lock.point)),
    );
    this.outputs = new AuxOutputs({
      recorder: this.recorder,
      store: this.store,
      clock: this.clock,
      // A door's lock is driven by its decisions and modes alone: an output command on it would
      // release or hold the door behind fire egress, lockdown and the access rules.
      resolve: (reader, point) =>
        doorOutputs.has(outputKey(reader, point))
          ? null
          : reader === null
            ? this.io.lockOutput(point)
            : this.readers.has(reader)
              ? this.lockOf({ kind: 'osdp', reader, point })
              : null,
      bufferFault: (failed, error) => {
        this.health.setAlarm('buffer_unavailable', failed, error);
        if (failed) this.logger.error({ err: error, code: isVigilError(error) ? error.code : undefined }, 'event buffer write failed');
      },
    });
    this.modes = new DoorModes({
      policy: this.policy,
      recorder: this.recorder,
      store: this.store,
      clock: this.clock,
      doors: this.doors,
      outputs: this.outputs,
      pinLockoutLifts: new PinLockoutLifts({
        recorder: this.recorder,
        store: this.store,
        clock: this.clock,
        pinLockout,
        bufferFault: (failed, error) => this.health.setAlarm('buffer_unavailable', failed, error),
      }),
      fault: (message, error) => this.logger.error({ err: error }, message),
    });
    this.wireReaders();
    this.sync = options.offline
      ? null
      : new SyncEngine(
          new ServerClient({
            url: config.server.url,
            privateKey: this.key.privateKey,
            keyId: this.key.keyId,
            timeoutMs: config.server.requestTimeoutSeconds * 1000,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          }),
          {
            health: () => this.healthReport(),
            snapshotVersion: () => this.policy.version,
            controlsVersion: () => this.modes.version,
            applySnapshot: (bytes, announced) => {
              const outcome = this.applySnapshot(bytes, announced);
              if (outcome.status === 'rejected') throw new Error(outcome.code);
            },
            applyControls: (controls) => this.applyControls(controls),
            execute: (command) => this.execute(command),
            pending: (limit) => this.store.pending(limit),
            acknowledge: (ids) => this.store.acknowledge(ids),
            quarantine: (id, reason) => this.store.quarantine(id, reason),
            warn: (message, error) => this.logger.warn({ err: error }, message),
          },
          {
            heartbeatMs: config.server.heartbeatSeconds * 1000,
            commandWaitSeconds: config.server.commandWaitSeconds,
            retryMaxMs: config.server.retryMaxSeconds * 1000,
            batch: config.server.deliveryBatch,
          },
        );
  }

  async start(): Promise<void> {
    const restored = this.policy.restore();
    if (restored) this.health.setAlarm('snapshot_rejected', true, restored);
    this.modes.reapply();
    for (const access of this.doors.values()) access.door.resend();
    this.modes.refresh();
    this.record([
      agentStarted.draft(this.recorder.envelope(), {
        version: AGENT_VERSION,
        snapshotVersion: this.policy.version,
        bufferedEvents: this.store.depth(),
      }),
    ]);
    await this.readers.start();
    // Schedules open and close doors on the minute; a one-second tick follows them closely enough.
    this.tick = setInterval(() => this.modes.refresh(), 1000);
    this.sync?.start();
    this.logger.info({ keyId: this.key.keyId, snapshotVersion: this.policy.version }, 'edge agent started');
  }

  async stop(): Promise<void> {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    await this.sync?.stop();
    for (const access of this.doors.values()) {
      access.cancelPinEntries();
      await access.settled();
      await access.door.settled();
      access.door.dispose();
    }
    await this.readers.stop();
    this.store.close();
  }

  /** Verifies and loads a snapshot (the sync engine's path, public for tests and tools). */
  applySnapshot(bytes: Uint8Array, announcedVersion: number | null = null): SnapshotOutcome {
    const outcome = applySnapshot({ policy: this.policy, recorder: this.recorder, health: this.health }, bytes, announcedVersion);
    if (outcome.status === 'applied') {
      this.modes.reapply();
      this.modes.refresh();
    }
    if (outcome.status === 'rejected') this.logger.warn({ code: outcome.code }, 'snapshot rejected; the last good one stays');
    return outcome;
  }

  applyControls(controls: Controls): void {
    this.modes.apply(controls);
  }

  execute(command: DoorCommand): void {
    this.modes.execute(command);
  }

  healthReport(): HealthReport {
    return this.health.report({
      agentVersion: AGENT_VERSION,
      snapshotVersion: this.policy.version,
      controlsVersion: this.modes.version,
      readers: this.readers.statuses(),
      doors: [...this.doors.values()].map(({ config, door }) => ({
        doorId: config.id,
        open: door.open,
        locked: door.locked,
        mode: this.policy.modeOf(config.id) ?? 'unknown',
        alarm: door.alarm,
      })),
      decisionP99Ms: this.latency.percentile(99),
    });
  }

  private wireReaders(): void {
    this.readers.on('card', ({ reader, bitCount, data, receivedAt }) =>
      this.byReader.get(reader)?.card(reader, bitCount, data, receivedAt),
    );
    this.readers.on('keypad', ({ reader, keys }) => this.byReader.get(reader)?.keypad(reader, keys));
    this.readers.on('online', ({ reader, address, secure }) => {
      this.record([readerCameOnline.draft(this.recorder.envelope(), { reader, address, secure })]);
      // Locks driven through this PD lost whatever state they had while it was away.
      for (const access of this.doors.values()) if (usesReader(access.config.lock, reader)) access.door.resend();
    });
    this.readers.on('offline', ({ reader, address, reason }) =>
      this.record([readerWentOffline.draft(this.recorder.envelope(), { reader, address, reason })]),
    );
  }

  private doorFacts(): DoorFacts {
    const envelope = (door: DoorController) => this.recorder.envelope({ door: door.id });
    const withState = (door: DoorController, open: boolean, draft: EventDraft) => {
      const state = this.policy.state;
      if (state?.snapshot.doorIndex.has(door.id)) (open ? recordDoorOpened : recordDoorClosed)(state, door.id);
      this.record([draft], door.id);
    };
    return {
      opened: (door, cause) => withState(door, true, doorOpened.draft(envelope(door), { cause })),
      closed: (door, openMs, alarm) => withState(door, false, doorClosed.draft(envelope(door), { openMs: Math.round(openMs), alarm })),
      forcedOpen: (door) => withState(door, true, doorForcedOpen.draft(envelope(door), {})),
      heldOpen: (door, limitMs) => this.record([doorHeldOpen.draft(envelope(door), { limitMs })]),
      lockFault: (door, error) => {
        this.faultyLocks.add(door.id);
        this.health.setAlarm('lock_fault', true, error);
        this.logger.error({ door: door.id, err: error }, 'lock command failed');
      },
      lockWritten: (door) => {
        if (!this.faultyLocks.delete(door.id) || this.faultyLocks.size > 0) return;
        this.health.setAlarm('lock_fault', false);
      },
    };
  }

  /** Records agent facts; a buffer failure is raised as a health alarm, never thrown into a device callback. */
  private record(drafts: EventDraft[], doorId?: string): void {
    try {
      this.recorder.record(drafts, doorId ? { delta: this.policy.delta(doorId, []) } : {});
      this.health.setAlarm('buffer_unavailable', false);
    } catch (error) {
      this.health.setAlarm('buffer_unavailable', true, error);
      this.logger.error({ err: error, code: isVigilError(error) ? error.code : undefined }, 'event buffer write failed');
    }
  }

  private lockOf(point: PointConfig): LockOutput {
    return point.kind === 'osdp' ? new OsdpLockOutput(this.readers, point.reader, point.point) : this.io.lockOutput(point.point);
  }

  private inputOf(point: PointConfig): DoorPositionInput & RequestToExitInput {
    if (point.kind === 'osdp') return new OsdpInput(this.readers, point.reader, point.point);
    const io = this.io;
    return {
      get open() {
        return io.doorPosition(point.point).open;
      },
      onChange: (listener) => io.doorPosition(point.point).onChange(listener),
      onRequest: (listener) => io.requestToExit(point.point).onRequest(listener),
    };
  }
}

/** An output of the controller's own I/O (reader null) or of an OSDP reader; inputs are numbered apart and never driven. */
function outputKey(reader: string | null, point: number): string {
  return `${reader ?? ''}#${point}`;
}

function usesReader(point: PointConfig, reader: string): boolean {
  return point.kind === 'osdp' && point.reader === reader;
}
