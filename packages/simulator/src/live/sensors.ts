/**
 * The hospital's MQTT sensors, publishing through the broker exactly as the devices would, on the
 * topics and payloads of Vigil's MQTT device mapping (`mqtt-devices.json` beside this file, the
 * same templates as the server's `devices.example.json`). Each sensor also sends its heartbeat
 * often enough for Vigil's supervision not to declare it offline. Messages are QoS 1 over MQTT
 * 3.1.1, which every broker speaks (a small embedded one included).
 */
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { simulatorError } from '../errors.js';
import type { SensorKind, SensorPlacement } from './sensor-placement.js';

export interface SensorLogger {
  warn(fields: object, message: string): void;
}

export interface SensorNetworkOptions {
  readonly url: string;
  readonly siteId: string;
  readonly placements: readonly SensorPlacement[];
  readonly logger: SensorLogger;
  readonly connectTimeoutMs?: number;
}

/** Heartbeat period per kind, well inside the supervision interval of its mapping. */
const HEARTBEAT_SECONDS: Record<SensorKind, number | null> = {
  panic: 600,
  duress: 600,
  glass_break: 300,
  motion: 300,
  fire_panel: 40,
  nurse_call: null,
  fridge: 120,
  door_contact: 120,
};
const BATTERY = 90;
/** Medication fridges are kept at 2–8 °C; a healthy one hovers around 4.5. */
const FRIDGE_NORMAL_C = 4.5;

export class SensorNetwork {
  private readonly nextHeartbeat = new Map<string, number>();
  private sequence = 0;
  private readonly runId = Date.now().toString(36);
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: MqttClient,
    private readonly options: SensorNetworkOptions,
  ) {
    const now = Date.now();
    // Staggered first heartbeats: every sensor is heard within its period, not all in one burst.
    options.placements.forEach((sensor, i) => {
      const period = HEARTBEAT_SECONDS[sensor.kind];
      if (period !== null) this.nextHeartbeat.set(sensor.serial, now + ((i * 997) % (period * 1000)) / 10);
    });
  }

  static async connect(options: SensorNetworkOptions): Promise<SensorNetwork> {
    const client = mqtt.connect(options.url, {
      clientId: `vigil-sim-${options.siteId.slice(-12)}-${process.pid}`,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 2000,
      connectTimeout: options.connectTimeoutMs ?? 5000,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('no answer')), options.connectTimeoutMs ?? 5000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        client.end(true);
        reject(
          simulatorError('simulator.broker_unreachable', `The MQTT broker at ${redact(options.url)} cannot be reached: ${e.message}`, {
            url: redact(options.url),
          }),
        );
      };
      client.once('connect', () => {
        clearTimeout(timer);
        client.removeListener('error', fail);
        resolve();
      });
      client.once('error', fail);
    });
    client.on('error', (e) => options.logger.warn({ err: e.message }, 'MQTT sensor link error'));
    const network = new SensorNetwork(client, options);
    network.timer = setInterval(() => network.heartbeats(Date.now()), 1000);
    return network;
  }

  get placements(): readonly SensorPlacement[] {
    return this.options.placements;
  }

  /** The first sensor of a kind matching `where`. */
  find(kind: SensorKind, where: (sensor: SensorPlacement) => boolean = () => true): SensorPlacement | undefined {
    return this.options.placements.find((s) => s.kind === kind && where(s));
  }

  press(sensor: SensorPlacement): Promise<void> {
    const kind = sensor.kind === 'duress' ? 'duress' : 'panic';
    return this.json(this.zoneTopic(sensor, kind), { action: 'press', battery: BATTERY, id: randomUUID() });
  }

  glassBreak(sensor: SensorPlacement): Promise<void> {
    return this.json(this.zoneTopic(sensor, 'glass-break'), { event: 'break', battery: BATTERY });
  }

  motion(sensor: SensorPlacement): Promise<void> {
    return this.json(this.zoneTopic(sensor, 'motion'), { occupancy: true, battery: BATTERY });
  }

  /** A fire-panel input going into alarm (`ALARM`) or back to normal (`NORMAL`). */
  firePanel(sensor: SensorPlacement, input: string, state: 'ALARM' | 'NORMAL'): Promise<void> {
    return this.text(`sites/${this.options.siteId}/fire-panel/${sensor.serial}/inputs/${input}`, state);
  }

  nurseCall(
    sensor: SensorPlacement,
    call: { room: string; bed: string; priority: 'routine' | 'staff_assist' | 'emergency' },
  ): Promise<void> {
    return this.json(`sites/${this.options.siteId}/nurse-call/${sensor.serial}`, {
      ...call,
      ts: new Date().toISOString(),
      callId: randomUUID(),
      unit: sensor.zoneId,
    });
  }

  fridgeTemperature(sensor: SensorPlacement, celsius: number): Promise<void> {
    return this.json(`sites/${this.options.siteId}/fridges/${sensor.serial}/temperature`, {
      t: Math.round(celsius * 10) / 10,
      bat: BATTERY,
      ts: Math.floor(Date.now() / 1000),
    });
  }

  contact(sensor: SensorPlacement, open: boolean): Promise<void> {
    return this.json(`sites/${this.options.siteId}/doors/${sensor.doorId}/contact/${sensor.serial}`, {
      state: open ? 'open' : 'closed',
      battery: BATTERY,
      seq: this.nextSequence(),
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client.endAsync();
  }

  private heartbeats(now: number): void {
    for (const sensor of this.options.placements) {
      const due = this.nextHeartbeat.get(sensor.serial);
      const period = HEARTBEAT_SECONDS[sensor.kind];
      if (due === undefined || period === null || due > now) continue;
      this.nextHeartbeat.set(sensor.serial, now + period * 1000);
      this.heartbeat(sensor).catch((e: unknown) =>
        this.options.logger.warn({ err: String(e), serial: sensor.serial }, 'heartbeat not sent'),
      );
    }
  }

  private heartbeat(sensor: SensorPlacement): Promise<void> {
    switch (sensor.kind) {
      case 'panic':
      case 'duress':
        return this.json(this.zoneTopic(sensor, sensor.kind), { action: 'heartbeat', battery: BATTERY, id: randomUUID() });
      case 'glass_break':
        return this.json(this.zoneTopic(sensor, 'glass-break'), { event: 'heartbeat', battery: BATTERY });
      case 'motion':
        return this.json(this.zoneTopic(sensor, 'motion'), { occupancy: false, battery: BATTERY });
      case 'fire_panel':
        return this.text(`sites/${this.options.siteId}/fire-panel/${sensor.serial}/inputs/panel`, 'OK');
      case 'fridge':
        return this.fridgeTemperature(sensor, FRIDGE_NORMAL_C + Math.sin(Date.now() / 600_000) * 0.6);
      case 'door_contact':
        return this.json(`sites/${this.options.siteId}/doors/${sensor.doorId}/contact/${sensor.serial}`, {
          state: 'alive',
          battery: BATTERY,
          seq: this.nextSequence(),
        });
      case 'nurse_call':
        return Promise.resolve();
    }
  }

  private zoneTopic(sensor: SensorPlacement, segment: string): string {
    return `sites/${this.options.siteId}/zones/${sensor.zoneId}/${segment}/${sensor.serial}`;
  }

  /** Unique across runs: Vigil derives the event id from serial and sequence. */
  private nextSequence(): string {
    return `${this.runId}-${++this.sequence}`;
  }

  private async json(topic: string, payload: object): Promise<void> {
    await this.client.publishAsync(topic, JSON.stringify(payload), { qos: 1 });
  }

  private async text(topic: string, payload: string): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1 });
  }
}

/** The broker URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
