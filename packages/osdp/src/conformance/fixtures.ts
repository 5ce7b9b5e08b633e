import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePcap, parseTrace } from '../trace/trace.js';
import type { TraceFrame } from '../trace/trace.js';

/** Shared conformance fixtures live beside the repository: <repo>/../shared/fixtures. */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, '../../../../../shared/fixtures/osdp');

export const fixturesPresent = existsSync(FIXTURES_DIR);

export const SKIP_REASON = `OSDP conformance fixtures not found at ${FIXTURES_DIR}; these tests need the shared fixtures folder`;

export function loadTrace(name: string): TraceFrame[] {
  const file = path.join(FIXTURES_DIR, name);
  return name.endsWith('.pcap') ? parsePcap(readFileSync(file)) : parseTrace(readFileSync(file, 'utf8'));
}

export interface RecordedSession {
  readonly name: string;
  readonly secure: boolean;
  /**
   * The card the recording presented (reader 1, Wiegand, 26 bits). The plain one is in the
   * fixtures README; the secure recordings carry theirs encrypted: decrypted with the recorded
   * session keys, the trace holds 26 one-bits and the pcap H10301 FC 123 CN 4567.
   */
  readonly card: string | null;
}

/** The recorded sessions, with what the application did in each. */
export const RECORDED_SESSIONS: readonly RecordedSession[] = [
  { name: 'libosdp-pd101-plain.trace', secure: false, card: '0f63a3ae' },
  { name: 'libosdp-pd101-secure-channel.trace', secure: true, card: 'ffffffc0' },
  { name: 'libosdp-pd101-secure-channel.pcap', secure: true, card: 'bd88eb80' },
  { name: 'sia-open-osdp-pd01-plain.trace', secure: false, card: null },
];
