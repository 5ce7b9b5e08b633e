// The facility's door wiring merged into an agent's configuration: readers named by bus and
// address, points on the box's I/O backend, local doors winning, and each kind of wiring that
// cannot work refused with its own code.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { parseAgentConfig, type AgentConfig } from './config.js';
import { applyWiring, wiringVersion, type DoorWiring, type WiringResponse } from './wiring.js';

const PEM = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

function config(extra: Record<string, unknown> = {}): AgentConfig {
  return parseAgentConfig({
    siteId: 'site',
    dataDir: '/tmp/unused',
    server: { url: 'http://127.0.0.1:9', snapshotPublicKey: PEM },
    buses: [{ name: 'main', bus: { kind: 'tcp', host: '10.0.4.20', port: 4001 } }],
    ...extra,
  });
}

function door(doorId: string, fields: Partial<DoorWiring> = {}): DoorWiring {
  return {
    doorId,
    name: `Door ${doorId}`,
    osdpBus: 'main',
    entryReader: { address: 1, serialNumber: 'RDR-1' },
    exitReader: null,
    lockOutput: 0,
    doorPositionInput: null,
    requestToExitInput: null,
    unlockSeconds: 5,
    heldOpenSeconds: 30,
    egress: false,
    ...fields,
  };
}

const wiring = (...doors: DoorWiring[]): WiringResponse => ({ version: wiringVersion(doors), controllerSerial: 'BOX-1', doors });

function refusedWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => isVigilError(error) && error.code === code);
}

describe('door wiring from the facility', () => {
  it('names readers by bus and address and puts points on the OSDP I/O module', () => {
    const merged = applyWiring(
      config({ io: { kind: 'osdp', bus: 'main', address: 5 } }),
      wiring(door('a', { exitReader: { address: 2, serialNumber: null }, doorPositionInput: 1, requestToExitInput: 2, unlockSeconds: 3 })),
    );
    assert.deepEqual(
      merged.readers.map((r) => [r.name, r.address, r.serialNumber]),
      [
        ['main/5', 5, undefined],
        ['main/1', 1, 'RDR-1'],
        ['main/2', 2, undefined],
      ],
    );
    const [a] = merged.doors;
    assert.equal(a?.entryReader, 'main/1');
    assert.equal(a?.exitReader, 'main/2');
    assert.deepEqual(a?.lock, { kind: 'osdp', reader: 'main/5', point: 0 });
    assert.deepEqual(a?.requestToExit, { kind: 'osdp', reader: 'main/5', point: 2 });
    assert.equal(a?.unlockSeconds, 3);
  });

  it('lets a door of the local file override the facility’s', () => {
    const local = config({ doors: [{ id: 'a', lock: { kind: 'simulated', point: 7 } }] });
    const merged = applyWiring(local, wiring(door('a'), door('b', { entryReader: { address: 3, serialNumber: null }, lockOutput: 1 })));
    assert.deepEqual(
      merged.doors.map((d) => [d.id, d.lock.point]),
      [
        ['a', 7],
        ['b', 1],
      ],
    );
  });

  it('gives the same wiring the same version whatever the door order', () => {
    const a = door('a');
    const b = door('b', { entryReader: { address: 3, serialNumber: null } });
    assert.equal(wiringVersion([a, b]), wiringVersion([b, a]));
    assert.notEqual(wiringVersion([a]), wiringVersion([{ ...a, unlockSeconds: 6 }]));
  });

  it('refuses an unknown bus, a shared reader address or point, and a door without a lock output', () => {
    refusedWith('agent.wiring_bus_unknown', () => applyWiring(config(), wiring(door('a', { osdpBus: 'west' }))));
    refusedWith('agent.wiring_bus_unknown', () => applyWiring(config({ io: { kind: 'osdp', bus: 'west', address: 5 } }), wiring()));
    refusedWith('agent.wiring_conflict', () => applyWiring(config(), wiring(door('a'), door('b', { lockOutput: 1 }))));
    refusedWith('agent.wiring_conflict', () =>
      applyWiring(config(), wiring(door('a'), door('b', { entryReader: { address: 2, serialNumber: null } }))),
    );
    refusedWith('agent.wiring_conflict', () => applyWiring(config({ io: { kind: 'osdp', bus: 'main', address: 1 } }), wiring(door('a'))));
    refusedWith('agent.wiring_conflict', () =>
      applyWiring(
        config(),
        wiring(
          door('a', { doorPositionInput: 4 }),
          door('b', { entryReader: { address: 2, serialNumber: null }, lockOutput: 1, requestToExitInput: 4 }),
        ),
      ),
    );
    refusedWith('agent.wiring_lock_missing', () => applyWiring(config(), wiring(door('a', { lockOutput: null }))));
  });
});
