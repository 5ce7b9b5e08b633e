import { CapabilityFunction, NakCode, ReplyCode } from '../constants.js';
import type { RandomSource } from '../clock.js';
import type { Capability, Command, PdIdentity, Reply } from '../commands/types.js';
import { OsdpError } from '../errors.js';
import type { OsdpErrorCode } from '../errors.js';
import type { CheckMode, Frame } from '../frame/frame.js';
import type { SecureSession } from '../secure/session.js';
import { baseKey, CpHandshake } from './handshake.js';
import { nakError, replyEvents, replyFits } from './online-reply.js';
import { emptyStats, frameCommand, refuseCommand, SECURITY_FAULTS, unwrapReply } from './exchange.js';
import type { Exchange, PendingCommand, Step } from './exchange.js';
import type { LinkEvent, LinkTimings, PdPhase, PeripheralConfig, PeripheralStats, PeripheralStatus } from './types.js';

const nextSequence = (sequence: number): number => (sequence % 3) + 1;

/**
 * The control panel's view of one PD: connection phases (ID, CAP, handshake, KEYSET, online),
 * sequence numbers, the secure session and the command queue. It does no I/O and reads no clock:
 * the bus passes `now` in and writes the bytes it returns, which keeps it deterministic.
 */
export class PdLink {
  address: number;
  phase: PdPhase = 'identify';
  online = false;
  identity: PdIdentity | null = null;
  capabilities: readonly Capability[] = [];
  readonly stats: PeripheralStats = emptyStats();

  private sequence = 0;
  private checkMode: CheckMode = 'crc';
  private session: SecureSession | null = null;
  private handshake: CpHandshake | null = null;
  private tryDefaultKey = false;
  private readonly queue: PendingCommand[] = [];
  private exchange: Exchange | null = null;
  private offlineUntil = 0;
  private lastExchangeAt = Number.NEGATIVE_INFINITY;
  private secureRetryAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly config: PeripheralConfig,
    private readonly timings: LinkTimings,
    private readonly random: RandomSource,
    private readonly mark: boolean,
  ) {
    this.address = config.address;
  }

  private get secureConfigured(): boolean {
    return this.config.secure !== undefined;
  }

  private get secureRequired(): boolean {
    return this.secureConfigured && (this.config.secure?.required ?? true);
  }

  status(): PeripheralStatus {
    return {
      address: this.address,
      online: this.online,
      phase: this.phase,
      secure: this.session !== null,
      identity: this.identity,
      capabilities: this.capabilities,
      queued: this.queue.length,
      stats: { ...this.stats },
    };
  }

  enqueue(command: Command): Promise<Reply> {
    const refused = refuseCommand(command, {
      online: this.online,
      secure: this.session !== null,
      queued: this.queue.length,
      queueLimit: this.timings.queueLimit,
      address: this.address,
    });
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => this.queue.push({ command, resolve, reject }));
  }

  /** When this PD next needs the bus. */
  dueAt(): number {
    if (this.exchange) return Number.POSITIVE_INFINITY;
    if (this.phase === 'offline') return this.offlineUntil;
    if (this.phase !== 'online') return Number.NEGATIVE_INFINITY;
    if (this.queue.length > 0) return Number.NEGATIVE_INFINITY;
    return this.lastExchangeAt + this.timings.pollIntervalMs;
  }

  /** Starts the next exchange and returns the bytes to send. */
  begin(now: number): Uint8Array {
    if (this.phase === 'offline') this.restart('identify');
    if (this.phase === 'online' && !this.session && this.secureConfigured && now >= this.secureRetryAt) {
      this.secureRetryAt = Number.POSITIVE_INFINITY;
      this.phase = 'challenge';
    }
    let pending: PendingCommand | null = null;
    let command: Command;
    switch (this.phase) {
      case 'offline':
      case 'identify':
        command = { type: 'id', reportType: 0 };
        break;
      case 'capabilities':
        command = { type: 'cap', reportType: 0 };
        break;
      case 'challenge':
        if (!this.handshake) {
          this.sequence = 0;
          this.handshake = new CpHandshake(this.random(8).slice(0, 8), this.tryDefaultKey);
          this.stats.handshakes++;
        }
        command = { type: 'chlng', rndA: this.handshake.rndA };
        break;
      case 'crypt':
        command = { type: 'scrypt', cryptogram: this.serverCryptogram };
        break;
      case 'set-key':
        command = { type: 'keyset', keyType: 1, key: this.targetKey() };
        break;
      case 'online':
        pending = this.queue.shift() ?? null;
        command = pending?.command ?? { type: 'poll' };
        break;
    }
    let bytes: Uint8Array;
    try {
      bytes = this.frame(command);
    } catch (error) {
      pending?.reject(error instanceof OsdpError ? error : new OsdpError('osdp.invalid_argument', String(error)));
      throw error;
    }
    this.exchange = { command, bytes, sequence: this.sequence, secured: this.session !== null, pending, attempts: 1 };
    this.stats.commandsSent++;
    return bytes;
  }

  private serverCryptogram: Uint8Array = new Uint8Array(16);

  private frame(command: Command): Uint8Array {
    const target = { address: this.address, sequence: this.sequence, checkMode: this.checkMode, mark: this.mark };
    return frameCommand(target, command, this.session, this.handshake?.defaultKey ?? false);
  }

  private targetKey(): Uint8Array {
    const secure = this.config.secure ?? {};
    return baseKey(secure, this.handshake?.cUid ?? new Uint8Array(8));
  }

  /** The reply timer ran out. */
  onTimeout(now: number): Step {
    const exchange = this.exchange;
    if (!exchange) return { events: [], done: true };
    this.stats.timeouts++;
    if (exchange.attempts <= this.timings.maxRetries) {
      exchange.attempts++;
      this.stats.retries++;
      return { events: [], done: false, resendAfterMs: 0 };
    }
    this.exchange = null;
    exchange.pending?.reject(new OsdpError('osdp.reply_timeout', undefined, { address: this.address }));
    return { events: this.goOffline(now, 'osdp.reply_timeout'), done: true };
  }

  /** Building the next frame failed (e.g. a key could not be derived); the PD goes offline. */
  onInternalError(now: number, error: unknown): Step {
    const fault = error instanceof OsdpError ? error : new OsdpError('osdp.invalid_argument', String(error));
    this.exchange = null;
    return { events: this.goOffline(now, fault.code), done: true };
  }

  /** The exchange bytes to send again (after a timeout or osdp_BUSY). */
  get pendingBytes(): Uint8Array | null {
    return this.exchange?.bytes ?? null;
  }

  /** A frame carrying this PD's address and the reply flag arrived. */
  onReply(frame: Frame, now: number): Step {
    const exchange = this.exchange;
    if (!exchange) return { events: [], done: false };
    if (frame.code === ReplyCode.BUSY && !frame.securityBlock && frame.data.length === 0) {
      this.stats.busy++;
      return { events: [], done: false, resendAfterMs: this.timings.busyRetryMs };
    }
    if (frame.sequence !== exchange.sequence) {
      // A late answer to an earlier attempt; keep waiting for the right one.
      this.stats.sequenceErrors++;
      return { events: [], done: false };
    }
    this.exchange = null;
    this.stats.repliesReceived++;
    this.lastExchangeAt = now;

    let reply: Reply;
    try {
      reply = unwrapReply(exchange.secured ? this.session : null, exchange.command, frame);
    } catch (error) {
      const fault = error instanceof OsdpError ? error : new OsdpError('osdp.payload_invalid', String(error));
      return { events: this.rejectReply(exchange, fault, now), done: true };
    }
    this.sequence = nextSequence(this.sequence);
    if (reply.type === 'nak') this.stats.naks++;
    return { events: this.advance(exchange, reply, now), done: true };
  }

  /** A reply failed authentication or decoding. */
  private rejectReply(exchange: Exchange, error: OsdpError, now: number): LinkEvent[] {
    exchange.pending?.reject(error);
    if (!SECURITY_FAULTS.has(error.code)) {
      this.stats.invalidReplies++;
      this.sequence = nextSequence(this.sequence);
      if (this.phase === 'online') return [];
      return this.phase === 'challenge' || this.phase === 'crypt' ? this.handshakeFailed(error, now) : this.goOffline(now, error.code);
    }
    if (error.code === 'osdp.mac_mismatch') this.stats.macFailures++;
    const events: LinkEvent[] = [{ name: 'securityFault', payload: { address: this.address, error } }];
    if (this.phase === 'challenge' || this.phase === 'crypt') return [...events, ...this.handshakeFailed(error, now)];
    return [...events, ...this.rehandshake()];
  }

  /** Drops the session and starts a new handshake (sequence restarts at 0). */
  private rehandshake(): LinkEvent[] {
    const wasSecure = this.session !== null;
    this.session = null;
    this.handshake = null;
    this.tryDefaultKey = false;
    this.phase = 'challenge';
    return wasSecure ? [{ name: 'secureChannel', payload: { address: this.address, active: false, defaultKey: false } }] : [];
  }

  private advance(exchange: Exchange, reply: Reply, now: number): LinkEvent[] {
    const command = exchange.command;
    if (reply.type === 'nak' && reply.error === NakCode.SEQUENCE) {
      exchange.pending?.reject(nakError(command, reply));
      this.restart('identify');
      return replyEvents(this.address, command, reply);
    }
    if (reply.type === 'nak' && reply.error === NakCode.CHECK_CHARACTER && this.checkMode === 'crc') {
      this.checkMode = 'checksum';
      if (exchange.pending) this.queue.unshift(exchange.pending);
      return [];
    }
    switch (this.phase) {
      case 'identify':
        if (reply.type !== 'pdid') return this.goOffline(now, 'osdp.unexpected_reply');
        this.identity = {
          vendorCode: reply.vendorCode,
          model: reply.model,
          version: reply.version,
          serialNumber: reply.serialNumber,
          firmware: reply.firmware,
        };
        this.phase = 'capabilities';
        return [];
      case 'capabilities':
        if (reply.type !== 'pdcap') return this.goOffline(now, 'osdp.unexpected_reply');
        return this.afterCapabilities(reply.capabilities, now);
      case 'challenge':
        if (reply.type !== 'ccrypt' || !this.handshake) return this.handshakeFailed(new OsdpError('osdp.unexpected_reply'), now);
        try {
          this.serverCryptogram = this.handshake.acceptClient(this.config.secure ?? {}, reply.cUid, reply.rndB, reply.cryptogram);
        } catch (error) {
          return this.handshakeFailed(error as OsdpError, now);
        }
        this.phase = 'crypt';
        return [];
      case 'crypt':
        return this.afterServerCryptogram(reply, now);
      case 'set-key':
        if (reply.type !== 'ack') return this.handshakeFailed(new OsdpError('osdp.unexpected_reply'), now);
        this.session = null;
        this.handshake = null;
        this.tryDefaultKey = false;
        this.phase = 'challenge';
        return [{ name: 'keyInstalled', payload: { address: this.address } }];
      case 'online':
        return this.onlineReply(exchange, reply);
      case 'offline':
        return [];
    }
  }

  private afterCapabilities(capabilities: readonly Capability[], now: number): LinkEvent[] {
    this.capabilities = capabilities;
    const check = capabilities.find((c) => c.function === CapabilityFunction.CHECK_CHARACTER_SUPPORT);
    if (check) this.checkMode = check.compliance & 1 ? 'crc' : 'checksum';
    const security = capabilities.find((c) => c.function === CapabilityFunction.COMMUNICATION_SECURITY);
    const pdSecure = ((security?.compliance ?? 0) & 1) === 1;
    if (this.secureConfigured && pdSecure) {
      this.phase = 'challenge';
      this.handshake = null;
      this.tryDefaultKey = false;
      return [];
    }
    if (this.secureRequired) return this.goOffline(now, 'osdp.secure_channel_unavailable');
    return this.goOnline();
  }

  private afterServerCryptogram(reply: Reply, now: number): LinkEvent[] {
    const handshake = this.handshake;
    if (reply.type !== 'rmac_i' || !handshake) return this.handshakeFailed(new OsdpError('osdp.unexpected_reply'), now);
    try {
      this.session = handshake.complete(reply.rmac);
    } catch (error) {
      return this.handshakeFailed(error as OsdpError, now);
    }
    const events: LinkEvent[] = [
      { name: 'secureChannel', payload: { address: this.address, active: true, defaultKey: handshake.defaultKey } },
    ];
    if (handshake.defaultKey) {
      this.phase = 'set-key';
      return events;
    }
    this.handshake = null;
    return [...events, ...this.goOnline()];
  }

  private handshakeFailed(error: OsdpError, now: number): LinkEvent[] {
    this.stats.handshakeFailures++;
    const events: LinkEvent[] = [{ name: 'securityFault', payload: { address: this.address, error } }];
    this.session = null;
    const usedDefault = this.handshake?.defaultKey ?? false;
    this.handshake = null;
    if (!usedDefault && this.config.secure?.installMode) {
      this.tryDefaultKey = true;
      this.phase = 'challenge';
      return events;
    }
    this.tryDefaultKey = false;
    if (this.secureRequired) return [...events, ...this.goOffline(now, 'osdp.secure_channel_unavailable')];
    this.secureRetryAt = now + this.timings.secureRetryMs;
    return [...events, ...this.goOnline()];
  }

  private onlineReply(exchange: Exchange, reply: Reply): LinkEvent[] {
    const command = exchange.command;
    if (!replyFits(command, reply)) {
      this.stats.invalidReplies++;
      exchange.pending?.reject(new OsdpError('osdp.unexpected_reply', `${reply.type} does not answer ${command.type}`));
      return [];
    }
    const events = replyEvents(this.address, command, reply);
    if (reply.type === 'nak') {
      exchange.pending?.reject(nakError(command, reply));
      if (reply.error === NakCode.SECURITY_CONDITION || reply.error === NakCode.ENCRYPTION_REQUIRED) {
        if (this.secureConfigured) return [...events, ...this.rehandshake()];
      }
      return events;
    }
    if (command.type === 'comset' && reply.type === 'com') this.address = reply.address;
    if (command.type === 'keyset') {
      this.session = null;
      this.handshake = null;
      this.phase = 'challenge';
      events.push({ name: 'keyInstalled', payload: { address: this.address } });
    }
    exchange.pending?.resolve(reply);
    return events;
  }

  private goOnline(): LinkEvent[] {
    this.phase = 'online';
    if (this.online) return [];
    this.online = true;
    return [
      {
        name: 'online',
        payload: { address: this.address, secure: this.session !== null, identity: this.identity, capabilities: this.capabilities },
      },
    ];
  }

  private goOffline(now: number, reason: OsdpErrorCode): LinkEvent[] {
    const events: LinkEvent[] = [];
    if (this.session) events.push({ name: 'secureChannel', payload: { address: this.address, active: false, defaultKey: false } });
    this.restart('offline');
    this.offlineUntil = now + this.timings.offlineRetryMs;
    this.failQueue(new OsdpError('osdp.pd_offline', undefined, { address: this.address, reason }));
    if (this.online) {
      this.online = false;
      events.push({ name: 'offline', payload: { address: this.address, reason } });
    }
    return events;
  }

  private restart(phase: PdPhase): void {
    this.phase = phase;
    this.sequence = 0;
    this.session = null;
    this.handshake = null;
    this.tryDefaultKey = false;
    this.checkMode = 'crc';
  }

  failQueue(error: OsdpError): void {
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  /** Abandons the exchange in flight (the control panel is stopping). */
  abort(error: OsdpError): void {
    this.exchange?.pending?.reject(error);
    this.exchange = null;
    this.failQueue(error);
  }
}
