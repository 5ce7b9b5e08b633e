/**
 * Shared set-up for the agent tests: a small signed policy, PD emulators listening on TCP
 * loopback (the agent's control panel connects to them as it would to a serial-to-IP converter),
 * and a helper to wait for what a person at the door would notice.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compileSnapshot,
  encodeWiegand,
  hashPin,
  newId,
  signSnapshot,
  type AccessPolicyInput,
  type CredentialInput,
  type DoorInput,
  type PersonInput,
} from '@vigil/core';
import { Peripheral, TcpServerTransport, fromHex, type Command } from '@vigil/osdp';
import { parseAgentConfig, type AgentConfig } from './config.js';

export const SITE = newId();
export const ZONES = { lobby: newId(), ward: newId(), pharmacy: newId() };
export const DOORS = { main: newId(), records: newId(), stairs: newId(), pharmacy: newId() };
/** Alice's PIN; the policy carries only its scrypt hash, as the server's snapshots do. */
export const ALICE_PIN = '13572468';
const ALICE_PIN_HASH = await hashPin(ALICE_PIN);

export const CARDS = { alice: 101, bob: 102, guard: 103, carol: 104, unknown: 999 } as const;
export type CardName = keyof typeof CARDS;

/** The card as a reader sends it: 26-bit H10301, facility 42, bits left aligned in whole bytes. */
export function cardRead(name: CardName | number): { bitCount: number; data: Uint8Array } {
  const encoded = encodeWiegand('H10301', { facilityCode: 42, cardNumber: typeof name === 'number' ? name : CARDS[name] });
  return { bitCount: encoded.bitCount, data: fromHex(encoded.hex) };
}

export function policy(
  version: number,
  overrides: { doors?: Partial<Record<keyof typeof DOORS, Partial<DoorInput>>> } = {},
): AccessPolicyInput {
  const door = (key: keyof typeof DOORS, toZoneId: string, mode: DoorInput['mode']): DoorInput => ({
    id: DOORS[key],
    siteId: SITE,
    fromZoneId: null,
    toZoneId,
    mode,
    releaseSeconds: 0.3,
    ...overrides.doors?.[key],
  });
  const person = (id: string, extra: Partial<PersonInput> = {}): PersonInput => ({
    id,
    kind: 'staff',
    status: 'active',
    accessGroupIds: ['everywhere'],
    ...extra,
  });
  const credential = (name: CardName, personId: string, extra: Partial<CredentialInput> = {}): CredentialInput => ({
    id: `card-${name}`,
    personId,
    card: { format: 'H10301', facilityCode: 42, cardNumber: CARDS[name] },
    status: 'active',
    ...extra,
  });
  const doors = [
    door('main', ZONES.lobby, 'card_only'),
    door('records', ZONES.lobby, 'card_and_pin'),
    door('stairs', ZONES.lobby, 'card_only'),
    door('pharmacy', ZONES.pharmacy, 'card_only'),
  ];
  return {
    version,
    sites: [{ id: SITE, timeZone: 'Europe/London', holidays: [] }],
    zones: [
      { id: ZONES.lobby, siteId: SITE, securityLevel: 1 },
      { id: ZONES.ward, siteId: SITE, securityLevel: 2 },
      { id: ZONES.pharmacy, siteId: SITE, securityLevel: 2, antiPassback: { mode: 'hard' } },
    ],
    doors,
    persons: [
      person('alice', { pin: { id: 'pin-alice', hash: ALICE_PIN_HASH } }),
      person('bob', { status: 'suspended' }),
      person('guard', { privileges: ['lockdown_override'] }),
      person('carol'),
    ],
    credentials: [credential('alice', 'alice'), credential('bob', 'bob'), credential('guard', 'guard'), credential('carol', 'carol')],
    accessGroups: [{ id: 'everywhere', doors: doors.map((d) => ({ doorId: d.id, scheduleId: 'always' })) }],
    schedules: [{ id: 'always', intervals: [{ days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], start: '00:00', end: '24:00' }] }],
  };
}

export interface SigningKeys {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
}

export function signingKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signedSnapshot(keys: SigningKeys, input: AccessPolicyInput): Buffer {
  return signSnapshot(compileSnapshot(input, { now: new Date() }), keys.privateKey);
}

/** A PD emulator listening on a loopback port, recording the commands the agent sends it. */
export class EmulatedReader {
  readonly pd: Peripheral;
  readonly commands: Command[] = [];
  private constructor(
    readonly transport: TcpServerTransport,
    address: number,
    serialNumber: number,
  ) {
    this.pd = new Peripheral({
      address,
      identity: { vendorCode: 0x0a0017, model: 1, version: 1, serialNumber, firmware: { major: 1, minor: 0, build: 0 } },
      inputs: [0, 0],
      outputs: [0, 0],
    });
    this.pd.attach(transport);
    this.pd.on('command', (command) => this.commands.push(command));
  }

  static async listen(address = 1, serialNumber = 1000 + address): Promise<EmulatedReader> {
    const transport = new TcpServerTransport({ host: '127.0.0.1', port: 0 });
    await transport.open();
    return new EmulatedReader(transport, address, serialNumber);
  }

  get port(): number {
    return this.transport.port;
  }

  present(card: CardName | number): void {
    this.pd.presentCard(cardRead(card));
  }

  /** LED commands whose temporary colour is `color` (1 red, 2 green, 3 amber). */
  leds(color: number): number {
    return this.commands.filter(
      (c) => c.type === 'led' && c.leds.some((l) => l.temporary.controlCode === 2 && l.temporary.onColor === color),
    ).length;
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

export function tempDir(prefix = 'vigil-edge-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(
  dir: string,
  keys: SigningKeys,
  readers: Record<string, EmulatedReader>,
  extra: Record<string, unknown> = {},
): AgentConfig {
  return parseAgentConfig({
    siteId: SITE,
    dataDir: dir,
    server: { url: 'http://127.0.0.1:9', snapshotPublicKey: keys.publicKeyPem, heartbeatSeconds: 0.2, retryMaxSeconds: 0.5 },
    osdp: { pollIntervalMs: 5, replyTimeoutMs: 100, offlineRetryMs: 100 },
    pinEntry: { timeoutSeconds: 2 },
    readers: Object.entries(readers).map(([name, reader]) => ({
      name,
      bus: { kind: 'tcp', host: '127.0.0.1', port: reader.port },
      address: reader.pd.address,
    })),
    doors: [
      {
        id: DOORS.main,
        ...('main-in' in readers ? { entryReader: 'main-in' } : {}),
        lock: { kind: 'simulated', point: 0 },
        doorPosition: { kind: 'simulated', point: 10 },
        requestToExit: { kind: 'simulated', point: 20 },
        heldOpenSeconds: 0.4,
      },
      { id: DOORS.records, ...('records-in' in readers ? { entryReader: 'records-in' } : {}), lock: { kind: 'simulated', point: 1 } },
      { id: DOORS.stairs, lock: { kind: 'simulated', point: 2 }, requestToExit: { kind: 'simulated', point: 22 }, egress: true },
    ],
    ...extra,
  });
}

/** Polls until `check` holds (or throws with `what` after `timeoutMs`). */
export async function eventually(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
