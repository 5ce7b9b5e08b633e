import { NakCode, ReplyCode, ScsType } from '../constants.js';
import { encodeCommand } from '../commands/command-codec.js';
import { decodeReply } from '../commands/reply-codec.js';
import type { Command, Reply } from '../commands/types.js';
import { OsdpError } from '../errors.js';
import type { OsdpErrorCode } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { openFrame } from '../secure/seal.js';
import type { SecureSession } from '../secure/session.js';
import type { LinkEvent, PeripheralStats } from './types.js';
import { encodeFrame } from '../frame/frame.js';
import type { CheckMode } from '../frame/frame.js';
import { sealFrame } from '../secure/seal.js';

export interface PendingCommand {
  readonly command: Command;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: OsdpError) => void;
}

export interface Exchange {
  readonly command: Command;
  readonly bytes: Uint8Array;
  readonly sequence: number;
  readonly secured: boolean;
  readonly pending: PendingCommand | null;
  attempts: number;
}

/** What the bus should do after a reply or a timeout. */
export interface Step {
  readonly events: LinkEvent[];
  /** The exchange is over; the bus is free. */
  readonly done: boolean;
  /** Send the same bytes again after this delay (retry after timeout or osdp_BUSY). */
  readonly resendAfterMs?: number;
}

/** Frames a command: handshake commands carry SCS_11/SCS_13, others are sealed when a session is up. */
export function frameCommand(
  target: { address: number; sequence: number; checkMode: CheckMode; mark: boolean },
  command: Command,
  session: SecureSession | null,
  defaultKey: boolean,
): Uint8Array {
  const { code, data } = encodeCommand(command);
  const fields = { address: target.address, isReply: false, sequence: target.sequence, checkMode: target.checkMode, code, data };
  if (command.type === 'chlng' || command.type === 'scrypt') {
    const type = command.type === 'chlng' ? ScsType.CHLNG : ScsType.SCRYPT;
    return encodeFrame({ ...fields, securityBlock: { type, data: Uint8Array.of(defaultKey ? 0 : 1) } }, { mark: target.mark });
  }
  if (session) return sealFrame(session, 'command', fields, target.mark);
  return encodeFrame(fields, { mark: target.mark });
}

/** Errors that mean the secure channel can no longer be trusted. */
export const SECURITY_FAULTS: ReadonlySet<OsdpErrorCode> = new Set<OsdpErrorCode>([
  'osdp.mac_mismatch',
  'osdp.decrypt_failed',
  'osdp.secure_channel_required',
  'osdp.cryptogram_mismatch',
]);

/**
 * Authenticates and decodes a reply. `session` is the secure session the command went out under
 * (null when it was sent in plain text). Throws an OsdpError when the reply cannot be trusted.
 */
export function unwrapReply(session: SecureSession | null, command: Command, frame: Frame): Reply {
  const block = frame.securityBlock;
  const handshake = command.type === 'chlng' || command.type === 'scrypt';
  if (session && !handshake) {
    if (block) {
      const { code, data } = openFrame(session, 'reply', frame);
      return decodeReply(code, data);
    }
    const reply = decodeReply(frame.code, frame.data);
    // A PD drops its session after KEYSET or a MAC failure and may then answer in plain text.
    const keysetAck = command.type === 'keyset' && reply.type === 'ack';
    const lostSession = reply.type === 'nak' && (reply.error === NakCode.SECURITY_CONDITION || reply.error === NakCode.ENCRYPTION_REQUIRED);
    if (keysetAck || lostSession) return reply;
    throw new OsdpError('osdp.secure_channel_required', 'plain reply inside the secure channel', { code: frame.code });
  }
  if (handshake && frame.code !== ReplyCode.NAK) {
    const expected = command.type === 'chlng' ? ScsType.CCRYPT : ScsType.RMAC_I;
    if (block?.type !== expected) throw new OsdpError('osdp.unexpected_reply', 'handshake reply without the right security block');
    if (expected === ScsType.RMAC_I && block.data[0] === 0) {
      throw new OsdpError('osdp.cryptogram_mismatch', 'the reader rejected the server cryptogram');
    }
  } else if (block) {
    throw new OsdpError('osdp.unexpected_reply', 'secure reply outside the secure channel');
  }
  return decodeReply(frame.code, frame.data);
}

interface QueueState {
  readonly online: boolean;
  readonly secure: boolean;
  readonly queued: number;
  readonly queueLimit: number;
  readonly address: number;
}

/** Why a command cannot be queued, or null when it can. */
export function refuseCommand(command: Command, state: QueueState): OsdpError | null {
  const { address } = state;
  if (!state.online) return new OsdpError('osdp.pd_offline', undefined, { address });
  if (state.queued >= state.queueLimit) return new OsdpError('osdp.queue_full', undefined, { address });
  if (command.type === 'chlng' || command.type === 'scrypt') {
    return new OsdpError('osdp.invalid_argument', 'the handshake is driven by the control panel');
  }
  if (command.type === 'keyset' && !state.secure) {
    return new OsdpError('osdp.secure_channel_unavailable', 'KEYSET needs the secure channel');
  }
  try {
    encodeCommand(command);
  } catch (error) {
    return error instanceof OsdpError ? error : new OsdpError('osdp.invalid_argument', String(error));
  }
  return null;
}

export function emptyStats(): PeripheralStats {
  return {
    commandsSent: 0,
    repliesReceived: 0,
    retries: 0,
    timeouts: 0,
    naks: 0,
    busy: 0,
    macFailures: 0,
    handshakes: 0,
    handshakeFailures: 0,
    sequenceErrors: 0,
    invalidReplies: 0,
  };
}
