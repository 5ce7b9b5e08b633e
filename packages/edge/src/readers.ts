/**
 * The agent's readers: one OSDP control panel per bus (a TCP endpoint or a serial line, several
 * PDs multi-dropped on it), addressed by reader name. It turns the control panels' events into
 * named-reader events and is the one owner of each bus's I/O.
 */
import {
  CapabilityFunction,
  ControlPanel,
  SerialTransport,
  TcpClientTransport,
  TypedEmitter,
  fromHex,
  type Capability,
  type Clock,
  type Command,
  type PeripheralConfig,
  type Reply,
  type Transport,
} from '@vigil/osdp';
import type { ReaderConfig } from './config.js';

export interface ReaderEvents {
  /** `receivedAt`: performance.now() when the read reached the agent (for its latency figure). */
  card: { reader: string; bitCount: number; data: Uint8Array; receivedAt: number };
  keypad: { reader: string; keys: string };
  online: { reader: string; address: number; secure: boolean };
  offline: { reader: string; address: number; reason: string };
  inputs: { reader: string; inputs: readonly number[] };
}

export interface ReaderStatus {
  readonly name: string;
  readonly address: number;
  readonly online: boolean;
  readonly secure: boolean;
  readonly serialNumber: string | null;
}

export interface ReaderHubOptions {
  readonly pollIntervalMs: number;
  readonly replyTimeoutMs: number;
  readonly offlineRetryMs: number;
  readonly clock: Clock;
  /** Builds a bus transport; defaults to TCP client or serial port per the reader's bus. */
  readonly createTransport?: (bus: ReaderConfig['bus']) => Transport;
}

interface Bus {
  readonly cp: ControlPanel;
  readonly readers: Map<number, ReaderConfig>;
}

function busKey(bus: ReaderConfig['bus']): string {
  return bus.kind === 'tcp' ? `tcp:${bus.host}:${bus.port}` : `serial:${bus.path}`;
}

function defaultTransport(bus: ReaderConfig['bus']): Transport {
  return bus.kind === 'tcp'
    ? new TcpClientTransport({ host: bus.host, port: bus.port, reconnectDelayMs: 500 })
    : new SerialTransport({ path: bus.path, baudRate: bus.baudRate });
}

function peripheralOf(reader: ReaderConfig): PeripheralConfig {
  const secure = reader.secure;
  if (!secure) return { address: reader.address };
  return {
    address: reader.address,
    secure: {
      ...(secure.scbk ? { scbk: fromHex(secure.scbk) } : {}),
      ...(secure.masterKey ? { masterKey: fromHex(secure.masterKey) } : {}),
      installMode: secure.installMode,
      required: secure.required,
    },
  };
}

export class ReaderHub extends TypedEmitter<ReaderEvents> {
  private readonly buses = new Map<string, Bus>();
  private readonly byName = new Map<string, { bus: Bus; config: ReaderConfig }>();
  private readonly capabilities = new Map<string, readonly Capability[]>();
  private readonly secure = new Map<string, boolean>();
  private readonly identitySerial = new Map<string, string>();

  constructor(
    readers: readonly ReaderConfig[],
    private readonly options: ReaderHubOptions,
  ) {
    super();
    const createTransport = options.createTransport ?? defaultTransport;
    for (const config of readers) {
      const key = busKey(config.bus);
      let bus = this.buses.get(key);
      if (!bus) {
        const cp = new ControlPanel({
          transport: createTransport(config.bus),
          peripherals: [],
          pollIntervalMs: options.pollIntervalMs,
          replyTimeoutMs: options.replyTimeoutMs,
          offlineRetryMs: options.offlineRetryMs,
          clock: options.clock,
        });
        bus = { cp, readers: new Map() };
        this.buses.set(key, bus);
        this.wire(bus);
      }
      bus.cp.addPeripheral(peripheralOf(config));
      bus.readers.set(config.address, config);
      this.byName.set(config.name, { bus, config });
    }
  }

  async start(): Promise<void> {
    for (const bus of this.buses.values()) await bus.cp.start();
  }

  async stop(): Promise<void> {
    for (const bus of this.buses.values()) await bus.cp.stop();
  }

  has(reader: string): boolean {
    return this.byName.has(reader);
  }

  isOnline(reader: string): boolean {
    const entry = this.byName.get(reader);
    return entry ? entry.bus.cp.isOnline(entry.config.address) : false;
  }

  /** The reader number on its PD, for LED, buzzer and text commands. */
  readerNumber(reader: string): number {
    return this.byName.get(reader)?.config.readerNumber ?? 0;
  }

  /** Whether the PD reported the capability with a non-zero count (LED, buzzer, text display...). */
  supports(reader: string, fn: (typeof CapabilityFunction)[keyof typeof CapabilityFunction]): boolean {
    return (this.capabilities.get(reader) ?? []).some((c) => c.function === fn && c.count > 0);
  }

  /** Sends a command to the reader's PD; resolves with the reply or rejects with an OsdpError. */
  send(reader: string, command: Command): Promise<Reply> {
    const entry = this.byName.get(reader);
    if (!entry) return Promise.reject(new Error(`unknown reader ${reader}`));
    return entry.bus.cp.send(entry.config.address, command);
  }

  statuses(): ReaderStatus[] {
    return [...this.byName.values()].map(({ bus, config }) => ({
      name: config.name,
      address: config.address,
      online: bus.cp.isOnline(config.address),
      secure: this.secure.get(config.name) ?? false,
      serialNumber: config.serialNumber ?? this.identitySerial.get(config.name) ?? null,
    }));
  }

  private wire(bus: Bus): void {
    const nameOf = (address: number) => bus.readers.get(address)?.name;
    bus.cp.on('card', ({ address, bitCount, data }) => {
      const reader = nameOf(address);
      if (reader) this.emit('card', { reader, bitCount, data, receivedAt: performance.now() });
    });
    bus.cp.on('keypad', ({ address, keys }) => {
      const reader = nameOf(address);
      if (reader) this.emit('keypad', { reader, keys: String.fromCharCode(...keys) });
    });
    bus.cp.on('inputStatus', ({ address, inputs }) => {
      const reader = nameOf(address);
      if (reader) this.emit('inputs', { reader, inputs });
    });
    bus.cp.on('online', ({ address, secure, identity, capabilities }) => {
      const reader = nameOf(address);
      if (!reader) return;
      this.capabilities.set(reader, capabilities);
      this.secure.set(reader, secure);
      if (identity) this.identitySerial.set(reader, String(identity.serialNumber));
      this.emit('online', { reader, address, secure });
      // Inputs report on change only; ask once so door contacts start from the real position.
      if (capabilities.some((c) => c.function === CapabilityFunction.CONTACT_STATUS_MONITORING && c.count > 0)) {
        bus.cp.send(address, { type: 'istat' }).catch(() => undefined);
      }
    });
    bus.cp.on('offline', ({ address, reason }) => {
      const reader = nameOf(address);
      if (reader) this.emit('offline', { reader, address, reason });
    });
  }
}
