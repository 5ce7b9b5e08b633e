import { OsdpError } from '../errors.js';
import { ScsType } from '../constants.js';
import { encodeFrame } from '../frame/frame.js';
import type { Frame, FrameFields } from '../frame/frame.js';
import type { Direction, SecureSession } from './session.js';

const EMPTY = new Uint8Array(0);

export interface OpenedMessage {
  readonly code: number;
  readonly data: Uint8Array;
}

/**
 * Builds a frame inside an established secure channel: SCS_15/16 when there is no data,
 * SCS_17/18 with the data encrypted otherwise, and the MAC chained from the previous message.
 */
export function sealFrame(
  session: SecureSession,
  direction: Direction,
  fields: Omit<FrameFields, 'securityBlock'>,
  mark: boolean,
): Uint8Array {
  const data = fields.data ?? EMPTY;
  const encrypted = data.length > 0;
  const type =
    direction === 'command'
      ? encrypted
        ? ScsType.COMMAND_ENCRYPTED
        : ScsType.COMMAND_MAC
      : encrypted
        ? ScsType.REPLY_ENCRYPTED
        : ScsType.REPLY_MAC;
  return encodeFrame(
    {
      ...fields,
      securityBlock: { type, data: EMPTY },
      data: encrypted ? session.encrypt(direction, data) : EMPTY,
    },
    { mark, mac: (authenticated) => session.sign(direction, authenticated) },
  );
}

/**
 * Authenticates (then decrypts) a frame received inside the secure channel. Throws an OsdpError
 * with `osdp.secure_channel_required`, `osdp.mac_mismatch` or `osdp.decrypt_failed`.
 */
export function openFrame(session: SecureSession, direction: Direction, frame: Frame): OpenedMessage {
  const type = frame.securityBlock?.type;
  const [plainType, encryptedType] =
    direction === 'command' ? [ScsType.COMMAND_MAC, ScsType.COMMAND_ENCRYPTED] : [ScsType.REPLY_MAC, ScsType.REPLY_ENCRYPTED];
  if ((type !== plainType && type !== encryptedType) || !frame.mac) {
    throw new OsdpError('osdp.secure_channel_required', 'message is not protected by the secure channel', {
      securityBlockType: type ?? null,
    });
  }
  if (!session.verify(direction, frame.authenticated, frame.mac)) {
    throw new OsdpError('osdp.mac_mismatch', undefined, { code: frame.code, sequence: frame.sequence });
  }
  if (type === plainType) return { code: frame.code, data: frame.data };
  return { code: frame.code, data: session.decrypt(direction, frame.data) };
}
