import type { Capability, CommandType, PdIdentity } from '../commands/types.js';
import type { OsdpError, OsdpErrorCode } from '../errors.js';

export interface PeripheralSecureConfig {
  /** The reader's secure channel base key. */
  readonly scbk?: Uint8Array;
  /** Master key from which each reader's SCBK is diversified with its cUID (use instead of `scbk`). */
  readonly masterKey?: Uint8Array;
  /**
   * When the handshake with the real key fails, try SCBK-D and, if the reader accepts it, install
   * the real key with osdp_KEYSET. Turn on only while commissioning readers.
   */
  readonly installMode?: boolean;
  /** Keep the reader offline rather than talk to it in plain text (default true). */
  readonly required?: boolean;
}

export interface PeripheralConfig {
  /** 0x00..0x7E. */
  readonly address: number;
  /** Omit for a reader without secure channel. */
  readonly secure?: PeripheralSecureConfig;
}

export type PdPhase = 'offline' | 'identify' | 'capabilities' | 'challenge' | 'crypt' | 'set-key' | 'online';

export interface PeripheralStats {
  commandsSent: number;
  repliesReceived: number;
  retries: number;
  timeouts: number;
  naks: number;
  busy: number;
  macFailures: number;
  handshakes: number;
  handshakeFailures: number;
  sequenceErrors: number;
  invalidReplies: number;
}

export interface PeripheralStatus {
  readonly address: number;
  readonly online: boolean;
  readonly phase: PdPhase;
  readonly secure: boolean;
  readonly identity: PdIdentity | null;
  readonly capabilities: readonly Capability[];
  readonly queued: number;
  readonly stats: Readonly<PeripheralStats>;
}

export interface ControlPanelEvents {
  online: { address: number; secure: boolean; identity: PdIdentity | null; capabilities: readonly Capability[] };
  offline: { address: number; reason: OsdpErrorCode };
  card: { address: number; reader: number; format: number; bitCount: number; data: Uint8Array };
  keypad: { address: number; reader: number; keys: Uint8Array };
  localStatus: { address: number; tamper: boolean; power: boolean };
  inputStatus: { address: number; inputs: readonly number[] };
  outputStatus: { address: number; outputs: readonly number[] };
  secureChannel: { address: number; active: boolean; defaultKey: boolean };
  /** A new SCBK was installed in the reader with osdp_KEYSET. */
  keyInstalled: { address: number };
  /** Forged, replayed or corrupted secure message, or a failed handshake. */
  securityFault: { address: number; error: OsdpError };
  nak: { address: number; command: CommandType; error: number };
  /** A malformed frame or garbage on the bus (from the stream decoder). */
  frameError: { error: OsdpError };
}

export type LinkEvent = { [K in keyof ControlPanelEvents]: { name: K; payload: ControlPanelEvents[K] } }[keyof ControlPanelEvents];

export interface LinkTimings {
  readonly pollIntervalMs: number;
  readonly maxRetries: number;
  readonly offlineRetryMs: number;
  readonly busyRetryMs: number;
  readonly secureRetryMs: number;
  readonly queueLimit: number;
}
