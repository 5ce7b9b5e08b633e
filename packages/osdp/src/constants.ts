/** Wire constants of OSDP v2.2 (SIA OSDP specification, sections 5 to 7 and annex D). */

export const SOM = 0x53;
export const MARK = 0xff;
export const BROADCAST_ADDRESS = 0x7f;
export const REPLY_FLAG = 0x80;

export const CONTROL_SEQUENCE_MASK = 0x03;
export const CONTROL_CRC = 0x04;
export const CONTROL_SCB = 0x08;
/** Bits 4..7 of the control byte are reserved and must be zero. */
export const CONTROL_RESERVED = 0xf0;

/** SOM, address, two length bytes and the control byte. */
export const HEADER_LENGTH = 5;

export const CommandCode = {
  POLL: 0x60,
  ID: 0x61,
  CAP: 0x62,
  LSTAT: 0x64,
  ISTAT: 0x65,
  OSTAT: 0x66,
  RSTAT: 0x67,
  OUT: 0x68,
  LED: 0x69,
  BUZ: 0x6a,
  TEXT: 0x6b,
  COMSET: 0x6e,
  KEYSET: 0x75,
  CHLNG: 0x76,
  SCRYPT: 0x77,
} as const;

export const ReplyCode = {
  ACK: 0x40,
  NAK: 0x41,
  PDID: 0x45,
  PDCAP: 0x46,
  LSTATR: 0x48,
  ISTATR: 0x49,
  OSTATR: 0x4a,
  RAW: 0x50,
  FMT: 0x51,
  KEYPAD: 0x53,
  COM: 0x54,
  CCRYPT: 0x76,
  RMAC_I: 0x78,
  BUSY: 0x79,
} as const;

/** osdp_NAK error codes (spec table "NAK error codes"). */
export const NakCode = {
  NONE: 0x00,
  CHECK_CHARACTER: 0x01,
  COMMAND_LENGTH: 0x02,
  UNKNOWN_COMMAND: 0x03,
  SEQUENCE: 0x04,
  SECURITY_CONDITION: 0x05,
  ENCRYPTION_REQUIRED: 0x06,
  BIO_TYPE: 0x07,
  BIO_FORMAT: 0x08,
  UNABLE_TO_PROCESS: 0x09,
} as const;

/** Security control block types SCS_11 to SCS_18. */
export const ScsType = {
  CHLNG: 0x11,
  CCRYPT: 0x12,
  SCRYPT: 0x13,
  RMAC_I: 0x14,
  COMMAND_MAC: 0x15,
  REPLY_MAC: 0x16,
  COMMAND_ENCRYPTED: 0x17,
  REPLY_ENCRYPTED: 0x18,
} as const;

/** osdp_PDCAP function codes. */
export const CapabilityFunction = {
  CONTACT_STATUS_MONITORING: 1,
  OUTPUT_CONTROL: 2,
  CARD_DATA_FORMAT: 3,
  READER_LED_CONTROL: 4,
  READER_AUDIBLE_OUTPUT: 5,
  READER_TEXT_OUTPUT: 6,
  TIME_KEEPING: 7,
  CHECK_CHARACTER_SUPPORT: 8,
  COMMUNICATION_SECURITY: 9,
  RECEIVE_BUFFER_SIZE: 10,
  LARGEST_COMBINED_MESSAGE_SIZE: 11,
  SMART_CARD_SUPPORT: 12,
  READERS: 13,
  BIOMETRICS: 14,
  SECURE_PIN_ENTRY: 15,
  OSDP_VERSION: 16,
} as const;

/** The install-mode key SCBK-D: 0x30, 0x31, ... 0x3F. */
export const SCBK_DEFAULT: Uint8Array = Uint8Array.from({ length: 16 }, (_, i) => 0x30 + i);
