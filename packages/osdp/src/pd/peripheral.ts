import { bytesEqual } from '../bytes.js';
import { randomBytes } from 'node:crypto';
import type { RandomSource } from '../clock.js';
import { CommandCode, NakCode, ScsType } from '../constants.js';
import { decodeCommand } from '../commands/command-codec.js';
import { encodeReply } from '../commands/reply-codec.js';
import type { Capability, CardRead, Command, PdIdentity, Reply } from '../commands/types.js';
import { TypedEmitter } from '../emitter.js';
import { OsdpError } from '../errors.js';
import { FrameDecoder } from '../frame/decoder.js';
import { encodeFrame } from '../frame/frame.js';
import type { Frame } from '../frame/frame.js';
import { openFrame, sealFrame } from '../secure/seal.js';
import type { SecureSession } from '../secure/session.js';
import type { Transport } from '../transport/transport.js';
import { answerChallenge, answerServerCryptogram } from './handshake.js';
import type { KeyState, PendingHandshake } from './handshake.js';
import { nak, respond } from './respond.js';
import type { PeripheralModel } from './respond.js';
import { defaultCapabilities, defaultClientUid } from './state.js';

/** Commands that ask the reader to do something, reported through the `command` event. */
const APPLICATION_COMMANDS = new Set<Command['type']>(['out', 'led', 'buz', 'text', 'comset']);

export interface PeripheralSecureOptions {
  /** The installed secure channel base key; absent means factory state (install mode only). */
  readonly scbk?: Uint8Array;
  /** Accept SCBK-D and let the CP install a key with osdp_KEYSET. */
  readonly installMode?: boolean;
  /** Refuse every command but ID, CAP and the handshake outside the secure channel. */
  readonly required?: boolean;
}

export interface PeripheralOptions {
  readonly address: number;
  readonly identity: PdIdentity;
  /** Defaults to a single-reader PD; include function 9 to advertise the secure channel. */
  readonly capabilities?: readonly Capability[];
  readonly secure?: PeripheralSecureOptions;
  /** 8-byte client UID sent in osdp_CCRYPT (defaults to vendor, model and serial number). */
  readonly cUid?: Uint8Array;
  /** RND.B source; inject a fixed one to reproduce recorded sessions. */
  readonly random?: RandomSource;
  /** Mark byte on replies: `mirror` (default) answers the way the CP sent. */
  readonly markByte?: 'mirror' | boolean;
  readonly maxFrameLength?: number;
  readonly localStatus?: { tamper: boolean; power: boolean };
  readonly inputs?: readonly number[];
  readonly outputs?: readonly number[];
}

export interface PeripheralEvents {
  /** An application command (OUT, LED, BUZ, TEXT, COMSET, KEYSET) was accepted. */
  command: Command;
  secureChannel: { active: boolean; defaultKey: boolean };
  /** The CP installed a new SCBK with osdp_KEYSET; persist it. */
  keyChanged: { scbk: Uint8Array };
  /** A received frame or message was rejected. */
  error: OsdpError;
}

export interface PeripheralStats {
  commands: number;
  naks: number;
  macFailures: number;
  retransmissions: number;
}

/**
 * A peripheral device emulator: answers a control panel like a reader would, secure channel
 * included. Use it in tests, in the simulator, or as the core of a PD implementation.
 */
export class Peripheral extends TypedEmitter<PeripheralEvents> {
  address: number;
  /** When false the PD ignores everything, as if unplugged. */
  responsive = true;
  /** Number of upcoming commands to answer with osdp_BUSY. */
  busyReplies = 0;
  readonly stats: PeripheralStats = { commands: 0, naks: 0, macFailures: 0, retransmissions: 0 };
  readonly decoder: FrameDecoder;
  private readonly model: PeripheralModel;
  private readonly keyState: KeyState;
  private readonly secureRequired: boolean;
  private readonly cUid: Uint8Array;
  private readonly random: RandomSource;
  private readonly markByte: 'mirror' | boolean;
  private session: SecureSession | null = null;
  private pending: PendingHandshake | null = null;
  private lastSequence = -1;
  private lastCommand: Uint8Array | null = null;
  private lastReply: Uint8Array | null = null;

  constructor(options: PeripheralOptions) {
    super();
    if (!Number.isInteger(options.address) || options.address < 0 || options.address > 0x7e) {
      throw new OsdpError('osdp.invalid_argument', `PD address ${options.address} is outside 0..0x7E`);
    }
    const secureCapable = options.secure !== undefined;
    this.address = options.address;
    this.model = {
      identity: options.identity,
      capabilities: options.capabilities ?? defaultCapabilities(secureCapable),
      localStatus: { ...(options.localStatus ?? { tamper: false, power: false }) },
      inputs: [...(options.inputs ?? [0, 0])],
      outputs: [...(options.outputs ?? [0])],
      reports: [],
    };
    this.keyState = { scbk: options.secure?.scbk?.slice() ?? null, installMode: options.secure?.installMode ?? false };
    if (this.keyState.scbk && this.keyState.scbk.length !== 16) {
      throw new OsdpError('osdp.invalid_argument', 'SCBK must be 16 bytes');
    }
    this.secureRequired = options.secure?.required ?? false;
    this.cUid = options.cUid?.slice() ?? defaultClientUid(options.identity);
    this.random = options.random ?? ((size) => new Uint8Array(randomBytes(size)));
    this.markByte = options.markByte ?? 'mirror';
    this.decoder = new FrameDecoder({ maxFrameLength: options.maxFrameLength });
  }

  get secureChannelActive(): boolean {
    return this.session !== null;
  }

  /** The key currently installed (changes after an osdp_KEYSET). */
  get scbk(): Uint8Array | null {
    return this.keyState.scbk?.slice() ?? null;
  }

  presentCard(card: { reader?: number; format?: number; bitCount: number; data: Uint8Array }): void {
    const read: CardRead = { reader: card.reader ?? 0, format: card.format ?? 1, bitCount: card.bitCount, data: card.data };
    encodeReply({ type: 'raw', ...read }); // validates before queueing
    this.model.reports.push({ type: 'raw', ...read });
  }

  /** Queues key presses; digits are sent as their ASCII codes, as readers do. */
  pressKeys(keys: string | Uint8Array, reader = 0): void {
    const bytes = typeof keys === 'string' ? Uint8Array.from(keys, (c) => c.charCodeAt(0)) : keys.slice();
    this.model.reports.push({ type: 'keypad', reader, keys: bytes });
  }

  setLocalStatus(status: { tamper: boolean; power: boolean }): void {
    this.model.localStatus = { ...status };
    this.model.reports.push({ type: 'lstatr', ...status });
  }

  setInputs(inputs: readonly number[]): void {
    this.model.inputs = [...inputs];
    this.model.reports.push({ type: 'istatr', inputs: [...inputs] });
  }

  get outputs(): readonly number[] {
    return [...this.model.outputs];
  }

  /** Feeds received bytes; returns the replies to send (already framed). */
  receive(chunk: Uint8Array): Uint8Array[] {
    const replies: Uint8Array[] = [];
    for (const output of this.decoder.push(chunk)) {
      if (output.kind === 'error') {
        this.emit('error', output.error);
        continue;
      }
      const reply = this.handleFrame(output.frame);
      if (reply) replies.push(reply);
    }
    return replies;
  }

  /** Connects the emulator to a transport; returns a function that detaches it. */
  attach(transport: Transport): () => void {
    const offData = transport.onData((chunk) => {
      for (const reply of this.receive(chunk)) transport.write(reply);
    });
    const offConnection = transport.onConnectionChange((connected) => {
      if (connected) return;
      for (const output of this.decoder.reset()) if (output.kind === 'error') this.emit('error', output.error);
    });
    return () => {
      offData();
      offConnection();
    };
  }

  /** Answers one decoded frame; returns the framed reply, or null when the PD stays silent. */
  handleFrame(frame: Frame): Uint8Array | null {
    if (!this.responsive || frame.isReply) return null;
    if (frame.address !== this.address && frame.address !== 0x7f) return null;
    const mark = this.markByte === 'mirror' ? frame.marked : this.markByte;
    const plain = (reply: Reply, sequence = frame.sequence) => {
      const { code, data } = encodeReply(reply);
      if (reply.type === 'nak') this.stats.naks++;
      return encodeFrame({ address: this.address, isReply: true, sequence, checkMode: frame.checkMode, code, data }, { mark });
    };

    if (this.busyReplies > 0) {
      this.busyReplies--;
      return plain({ type: 'busy' }, 0);
    }
    if (frame.sequence === 0) {
      this.dropSession();
      this.lastSequence = -1;
    } else if (frame.sequence === this.lastSequence && this.lastCommand && this.lastReply) {
      if (bytesEqual(frame.bytes, this.lastCommand)) {
        this.stats.retransmissions++;
        return this.lastReply;
      }
    }
    const expected = this.lastSequence === -1 ? 0 : (this.lastSequence % 3) + 1;
    if (frame.sequence !== 0 && frame.sequence !== expected) {
      this.emit('error', new OsdpError('osdp.sequence_mismatch', undefined, { expected, received: frame.sequence }));
      return plain(nak(NakCode.SEQUENCE));
    }

    this.stats.commands++;
    const reply = this.process(frame, plain, mark);
    this.lastSequence = frame.sequence;
    this.lastCommand = frame.bytes;
    this.lastReply = reply;
    return reply;
  }

  private process(frame: Frame, plain: (reply: Reply) => Uint8Array, mark: boolean): Uint8Array {
    const blockType = frame.securityBlock?.type;
    if (blockType === ScsType.CHLNG || blockType === ScsType.SCRYPT) return this.handshake(frame, plain, mark);

    let code = frame.code;
    let data = frame.data;
    const session = this.session;
    if (frame.securityBlock) {
      if (!session) return plain(nak(NakCode.SECURITY_CONDITION));
      try {
        ({ code, data } = openFrame(session, 'command', frame));
      } catch (error) {
        return this.securityFault(error, plain);
      }
    } else if (session) {
      this.emit('error', new OsdpError('osdp.secure_channel_required', 'plain command while the secure channel is up'));
      return plain(nak(NakCode.SECURITY_CONDITION));
    } else if (this.secureRequired && code !== CommandCode.ID && code !== CommandCode.CAP) {
      return plain(nak(NakCode.ENCRYPTION_REQUIRED));
    }

    let command: Command;
    try {
      command = decodeCommand(code, data);
    } catch (error) {
      const unknown = error instanceof OsdpError && error.code === 'osdp.unknown_code';
      return this.answer(nak(unknown ? NakCode.UNKNOWN_COMMAND : NakCode.COMMAND_LENGTH), frame, mark);
    }
    if (command.type === 'keyset') return this.keyset(command, frame, mark);
    if (command.type === 'chlng' || command.type === 'scrypt') {
      return this.answer(nak(NakCode.SECURITY_CONDITION), frame, mark);
    }
    const reply = respond(this.model, command);
    const bytes = this.answer(reply, frame, mark);
    if (reply.type !== 'nak' && APPLICATION_COMMANDS.has(command.type)) this.emit('command', command);
    if (command.type === 'comset' && reply.type === 'com') this.address = command.address;
    return bytes;
  }

  /** Frames a reply the way the command came: sealed inside the secure channel, else plain. */
  private answer(reply: Reply, frame: Frame, mark: boolean): Uint8Array {
    const { code, data } = encodeReply(reply);
    if (reply.type === 'nak') this.stats.naks++;
    const fields = { address: this.address, isReply: true, sequence: frame.sequence, checkMode: frame.checkMode, code, data };
    if (this.session && frame.securityBlock) return sealFrame(this.session, 'reply', fields, mark);
    return encodeFrame(fields, { mark });
  }

  private keyset(command: Extract<Command, { type: 'keyset' }>, frame: Frame, mark: boolean): Uint8Array {
    if (!this.session) return this.answer(nak(NakCode.ENCRYPTION_REQUIRED), frame, mark);
    if (command.keyType !== 1 || command.key.length !== 16) return this.answer(nak(NakCode.COMMAND_LENGTH), frame, mark);
    const bytes = this.answer({ type: 'ack' }, frame, mark);
    // The new key takes effect after the ACK went out under the old session.
    this.keyState.scbk = command.key.slice();
    this.keyState.installMode = false;
    this.dropSession();
    this.emit('command', command);
    this.emit('keyChanged', { scbk: command.key.slice() });
    return bytes;
  }

  private handshake(frame: Frame, plain: (reply: Reply) => Uint8Array, mark: boolean): Uint8Array {
    const block = frame.securityBlock;
    if (!block || (this.keyState.scbk === null && !this.keyState.installMode)) {
      return plain(nak(NakCode.SECURITY_CONDITION));
    }
    const useDefaultKey = block.data[0] === 0;
    if (frame.code === CommandCode.CHLNG && block.type === ScsType.CHLNG && frame.data.length === 8) {
      this.dropSession();
      const answer = answerChallenge(this.keyState, useDefaultKey, frame.data, this.cUid, this.random);
      if (!answer) return plain(nak(NakCode.SECURITY_CONDITION));
      this.pending = answer.pending;
      return this.handshakeReply(answer.reply, ScsType.CCRYPT, useDefaultKey ? 0 : 1, frame, mark);
    }
    if (frame.code === CommandCode.SCRYPT && block.type === ScsType.SCRYPT && frame.data.length === 16 && this.pending) {
      const pending = this.pending;
      this.pending = null;
      const result = answerServerCryptogram(pending, frame.data);
      if (!result) {
        this.emit('error', new OsdpError('osdp.cryptogram_mismatch'));
        return plain(nak(NakCode.SECURITY_CONDITION));
      }
      const bytes = this.handshakeReply({ type: 'rmac_i', rmac: result.rmac }, ScsType.RMAC_I, 1, frame, mark);
      this.session = result.session;
      this.emit('secureChannel', { active: true, defaultKey: pending.defaultKey });
      return bytes;
    }
    return plain(nak(NakCode.SECURITY_CONDITION));
  }

  private handshakeReply(reply: Reply, type: number, status: number, frame: Frame, mark: boolean): Uint8Array {
    const { code, data } = encodeReply(reply);
    return encodeFrame(
      {
        address: this.address,
        isReply: true,
        sequence: frame.sequence,
        checkMode: frame.checkMode,
        securityBlock: { type, data: Uint8Array.of(status) },
        code,
        data,
      },
      { mark },
    );
  }

  private securityFault(error: unknown, plain: (reply: Reply) => Uint8Array): Uint8Array {
    const fault = error instanceof OsdpError ? error : new OsdpError('osdp.mac_mismatch');
    if (fault.code === 'osdp.mac_mismatch') this.stats.macFailures++;
    this.dropSession();
    this.emit('error', fault);
    return plain(nak(NakCode.SECURITY_CONDITION));
  }

  private dropSession(): void {
    this.pending = null;
    if (!this.session) return;
    this.session = null;
    this.emit('secureChannel', { active: false, defaultKey: false });
  }
}
