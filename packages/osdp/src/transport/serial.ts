import { OsdpError } from '../errors.js';
import { BaseTransport } from './transport.js';

/** The part of a `serialport` port this transport uses (SerialPort and SerialPortMock both fit). */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback: (error: Error | null) => void): void;
  write(data: Buffer): boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface SerialPortSettings {
  readonly path: string;
  readonly baudRate: number;
  readonly autoOpen: false;
}

export interface SerialTransportOptions {
  /** Device, e.g. /dev/ttyUSB0 or COM3. */
  readonly path: string;
  /** OSDP defaults to 9600; 19200, 38400, 57600 and 115200 are common. */
  readonly baudRate?: number;
  /** Builds the port; defaults to `serialport`'s SerialPort (pass SerialPortMock in tests). */
  readonly createPort?: (settings: SerialPortSettings) => SerialPortLike | Promise<SerialPortLike>;
  /** Wait before reopening after the device vanished, e.g. a USB adapter pulled (default 1000 ms). */
  readonly reopenDelayMs?: number;
}

/** Loaded on first use so TCP-only users never load the native serial binding. */
async function defaultCreatePort(settings: SerialPortSettings): Promise<SerialPortLike> {
  const { SerialPort } = await import('serialport');
  return new SerialPort(settings);
}

/**
 * OSDP over an RS-485 serial line (8N1). The adapter handles the driver-enable line; the control
 * panel's one-exchange-at-a-time discipline keeps the bus half-duplex.
 */
export class SerialTransport extends BaseTransport {
  readonly path: string;
  readonly baudRate: number;
  private port: SerialPortLike | null = null;
  private opening: Promise<void> | null = null;
  private closing = false;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly createPort: (settings: SerialPortSettings) => SerialPortLike | Promise<SerialPortLike>;
  private readonly reopenDelayMs: number;

  constructor(options: SerialTransportOptions) {
    super();
    this.path = options.path;
    this.baudRate = options.baudRate ?? 9600;
    if (!Number.isInteger(this.baudRate) || this.baudRate <= 0) {
      throw new OsdpError('osdp.invalid_argument', `baud rate ${this.baudRate} is invalid`);
    }
    this.createPort = options.createPort ?? defaultCreatePort;
    this.reopenDelayMs = options.reopenDelayMs ?? 1000;
  }

  get connected(): boolean {
    return this.port?.isOpen ?? false;
  }

  open(): Promise<void> {
    this.closing = false;
    this.opening ??= this.openPort().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async openPort(): Promise<void> {
    if (this.port) return;
    const port = await this.createPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    if (this.closing) return;
    port.on('data', (chunk) => this.deliver(new Uint8Array(chunk)));
    port.on('error', () => undefined); // surfaced through 'close' or the failed open below
    port.on('close', () => this.onClosed(port));
    this.port = port;
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.port = null;
      throw new OsdpError('osdp.transport_closed', `cannot open ${this.path}: ${(error as Error).message}`);
    }
    this.announce(true);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
      this.announce(false);
    }
  }

  write(data: Uint8Array): void {
    if (this.port?.isOpen) this.port.write(Buffer.from(data));
  }

  private onClosed(port: SerialPortLike): void {
    if (this.port !== port) return;
    this.port = null;
    this.announce(false);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closing || this.reopenTimer) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (!this.closing) this.open().catch(() => this.scheduleReopen());
    }, this.reopenDelayMs);
  }
}
