import type { Capability, CardRead, PdIdentity, Reply } from '../commands/types.js';
import { CapabilityFunction } from '../constants.js';

/** Reports a PD queues until the next osdp_POLL, oldest first. */
export type PendingReport = Extract<Reply, { type: 'raw' | 'keypad' | 'lstatr' | 'istatr' | 'ostatr' }>;

export function cardReport(card: CardRead): PendingReport {
  return { type: 'raw', ...card };
}

/** Capabilities of a typical single-reader PD with an LED, a buzzer and CRC support. */
export function defaultCapabilities(secure: boolean): Capability[] {
  return [
    { function: CapabilityFunction.CONTACT_STATUS_MONITORING, compliance: 1, count: 2 },
    { function: CapabilityFunction.OUTPUT_CONTROL, compliance: 1, count: 1 },
    { function: CapabilityFunction.CARD_DATA_FORMAT, compliance: 1, count: 0 },
    { function: CapabilityFunction.READER_LED_CONTROL, compliance: 1, count: 1 },
    { function: CapabilityFunction.READER_AUDIBLE_OUTPUT, compliance: 1, count: 1 },
    { function: CapabilityFunction.READER_TEXT_OUTPUT, compliance: 1, count: 1 },
    { function: CapabilityFunction.CHECK_CHARACTER_SUPPORT, compliance: 1, count: 0 },
    { function: CapabilityFunction.COMMUNICATION_SECURITY, compliance: secure ? 1 : 0, count: 0 },
    { function: CapabilityFunction.RECEIVE_BUFFER_SIZE, compliance: 0x00, count: 0x04 },
    { function: CapabilityFunction.OSDP_VERSION, compliance: 2, count: 0 },
  ];
}

/**
 * Default client UID: vendor code (3 bytes), model, then the serial number, all as on the wire,
 * which is unique per device as the spec requires.
 */
export function defaultClientUid(identity: PdIdentity): Uint8Array {
  const v = identity.vendorCode;
  const s = identity.serialNumber;
  return Uint8Array.of(
    v & 0xff,
    (v >>> 8) & 0xff,
    (v >>> 16) & 0xff,
    identity.model & 0xff,
    s & 0xff,
    (s >>> 8) & 0xff,
    (s >>> 16) & 0xff,
    (s >>> 24) & 0xff,
  );
}

export function capabilityCount(capabilities: readonly Capability[], fn: number): number | null {
  const found = capabilities.find((c) => c.function === fn);
  return found ? found.count : null;
}
