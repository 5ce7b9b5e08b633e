/**
 * Virtual card readers: OSDP peripherals multi-dropped on a TCP "serial-to-IP converter" that the
 * building's door controller connects to, as a real RS-485 bus of readers would be wired. One
 * frame decoder per bus hands each frame to the reader it is addressed to (all of them for a
 * broadcast), so a bus of 30 readers decodes every frame once, not 30 times.
 */
import { encodeWiegand } from '@vigil/core';
import { BROADCAST_ADDRESS, FrameDecoder, Peripheral, TcpServerTransport, fromHex, type Command } from '@vigil/osdp';
import type { CardModel } from '../model.js';

/** What a person at the reader notices after presenting a card. */
export type ReaderSignal = 'green' | 'red';

const LED_RED = 1;
const LED_GREEN = 2;
const VENDOR_CODE = 0x5a1e51;

export class VirtualReader {
  readonly pd: Peripheral;
  private readonly signalListeners = new Set<(signal: ReaderSignal) => void>();

  constructor(
    /** The name the controller knows it by (as in its configuration and its events). */
    readonly name: string,
    readonly address: number,
    readonly serialNumber: number,
  ) {
    this.pd = new Peripheral({
      address,
      identity: { vendorCode: VENDOR_CODE, model: 1, version: 1, serialNumber, firmware: { major: 1, minor: 0, build: 0 } },
      inputs: [0, 0],
      outputs: [0, 0],
    });
    this.pd.on('command', (command) => this.onCommand(command));
  }

  /** The card's bits as the reader sends them upstream (osdp_RAW, Wiegand bit order). */
  present(card: CardModel): void {
    const encoded = encodeWiegand(card.format, { facilityCode: card.facilityCode, cardNumber: card.cardNumber });
    this.pd.presentCard({ bitCount: encoded.bitCount, data: fromHex(encoded.hex) });
  }

  /** Power cut (false) or restored (true): an unpowered reader answers nothing. */
  setPowered(powered: boolean): void {
    this.pd.responsive = powered;
  }

  get powered(): boolean {
    return this.pd.responsive;
  }

  /** Resolves with the next green or red flash, or null when none comes within `timeoutMs`. */
  nextSignal(timeoutMs: number): Promise<ReaderSignal | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.signalListeners.delete(listener);
        resolve(null);
      }, timeoutMs);
      const listener = (signal: ReaderSignal) => {
        clearTimeout(timer);
        this.signalListeners.delete(listener);
        resolve(signal);
      };
      this.signalListeners.add(listener);
    });
  }

  private onCommand(command: Command): void {
    if (command.type !== 'led') return;
    for (const led of command.leds) {
      // A temporary flash (control code 2) is the grant or refusal feedback; steady colours are idle states.
      if (led.temporary.controlCode !== 2) continue;
      const signal = led.temporary.onColor === LED_GREEN ? 'green' : led.temporary.onColor === LED_RED ? 'red' : null;
      if (signal) for (const listener of [...this.signalListeners]) listener(signal);
    }
  }
}

/** One multi-drop bus: a listening TCP port and the readers wired to it (addresses 0..126). */
export class ReaderBus {
  private readonly decoder = new FrameDecoder();
  private readonly readers = new Map<number, VirtualReader>();

  private constructor(private readonly transport: TcpServerTransport) {
    transport.onData((chunk) => this.receive(chunk));
    transport.onConnectionChange((connected) => {
      if (!connected) this.decoder.reset();
    });
  }

  static async listen(host = '127.0.0.1'): Promise<ReaderBus> {
    const transport = new TcpServerTransport({ host, port: 0 });
    await transport.open();
    return new ReaderBus(transport);
  }

  get port(): number {
    return this.transport.port;
  }

  get size(): number {
    return this.readers.size;
  }

  attach(reader: VirtualReader): void {
    if (this.readers.has(reader.address)) throw new Error(`address ${reader.address} is taken on this bus`);
    this.readers.set(reader.address, reader);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  private receive(chunk: Uint8Array): void {
    for (const output of this.decoder.push(chunk)) {
      // Line noise is the control panel's problem to retry; a reader just stays silent.
      if (output.kind !== 'frame' || output.frame.isReply) continue;
      const { address } = output.frame;
      const targets = address === BROADCAST_ADDRESS ? [...this.readers.values()] : [this.readers.get(address)];
      for (const reader of targets) {
        const reply = reader?.pd.handleFrame(output.frame);
        if (reply) this.transport.write(reply);
      }
    }
  }
}
