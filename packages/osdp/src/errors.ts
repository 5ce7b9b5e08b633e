/**
 * Stable error codes. Integrators switch on `code`, never on message text, so codes are never
 * renamed once published; each has a one-sentence description for documentation and logs.
 */
export const OSDP_ERROR_CODES = {
  'osdp.garbage_discarded': 'Bytes that could not start a frame were skipped while resynchronising.',
  'osdp.frame_too_short': 'A frame declared a length below the smallest valid OSDP frame.',
  'osdp.frame_too_long': 'A frame declared a length above the configured maximum frame length.',
  'osdp.frame_truncated': 'The stream was reset or disconnected in the middle of a frame.',
  'osdp.crc_mismatch': 'The CRC-16 of a frame did not match its contents.',
  'osdp.checksum_mismatch': 'The 8-bit checksum of a frame did not match its contents.',
  'osdp.malformed_frame': 'The security block or layout of a frame is inconsistent with its length.',
  'osdp.payload_invalid': 'A command or reply payload has the wrong length or out-of-range values.',
  'osdp.unknown_code': 'The command or reply code is not one this library implements.',
  'osdp.mac_mismatch': 'A secure-channel message failed MAC verification (forged, corrupted or replayed).',
  'osdp.decrypt_failed': 'Decrypted secure-channel data did not end with valid 0x80 padding.',
  'osdp.cryptogram_mismatch': 'The peer secure-channel cryptogram did not verify, so the keys differ.',
  'osdp.secure_channel_required': 'A plain message was received where the secure channel is mandatory.',
  'osdp.secure_channel_unavailable': 'The secure channel is required but could not be established.',
  'osdp.sequence_mismatch': 'A message carried a sequence number other than the one expected next.',
  'osdp.unexpected_reply': 'The peripheral answered with a reply that does not fit the command.',
  'osdp.reply_timeout': 'The peripheral did not answer within the reply timeout, retries included.',
  'osdp.nak': 'The peripheral refused the command with an osdp_NAK.',
  'osdp.pd_offline': 'The peripheral is offline, so the command cannot be sent.',
  'osdp.unknown_pd': 'No peripheral with that address is configured on this control panel.',
  'osdp.queue_full': 'The command queue of the peripheral is full.',
  'osdp.transport_closed': 'The transport was closed or is not connected.',
  'osdp.invalid_argument': 'A value passed to the library is out of range or malformed.',
  'osdp.stopped': 'The control panel or peripheral was stopped before the operation completed.',
} as const;

export type OsdpErrorCode = keyof typeof OSDP_ERROR_CODES;

export class OsdpError extends Error {
  override readonly name = 'OsdpError';
  readonly code: OsdpErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: OsdpErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? OSDP_ERROR_CODES[code]);
    this.code = code;
    this.details = details;
  }
}

export function isOsdpError(value: unknown): value is OsdpError {
  return value instanceof OsdpError;
}
