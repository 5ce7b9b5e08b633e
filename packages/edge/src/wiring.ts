/**
 * Door wiring from the facility: the server derives, for one controller, which reader address on
 * which named OSDP bus reads for which door and which output and inputs drive and sense it. The
 * agent turns that into readers and doors of its own configuration, with the box's buses and I/O
 * backend from its local file. Doors the local file configures itself win (an override for a
 * door being commissioned, or a box that must start before the server has wiring for it).
 */
import { createHash } from 'node:crypto';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { AgentConfig, BusConfig, DoorConfig, PointConfig, ReaderConfig } from './config.js';
import { checkReferences } from './config.js';
import { agentError } from './errors.js';

const closed = { additionalProperties: false } as const;
const Point = Type.Union([Type.Integer({ minimum: 0, maximum: 255 }), Type.Null()]);
const WiredReader = Type.Union([
  Type.Object(
    {
      address: Type.Integer({ minimum: 0, maximum: 126 }),
      serialNumber: Type.Union([Type.String({ maxLength: 80 }), Type.Null()], { description: 'The reader device’s serial, for health.' }),
    },
    closed,
  ),
  Type.Null(),
]);

export const DoorWiringSchema = Type.Object(
  {
    doorId: Type.String({ minLength: 1, maxLength: 128 }),
    name: Type.String({ maxLength: 120 }),
    osdpBus: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
    entryReader: WiredReader,
    exitReader: WiredReader,
    lockOutput: Point,
    doorPositionInput: Point,
    requestToExitInput: Point,
    unlockSeconds: Type.Number({ minimum: 0.1, maximum: 300 }),
    heldOpenSeconds: Type.Number({ minimum: 0.1, maximum: 3600 }),
    egress: Type.Boolean(),
  },
  closed,
);
export type DoorWiring = Static<typeof DoorWiringSchema>;

export const WiringResponseSchema = Type.Object(
  {
    version: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the wiring: changes exactly when the wiring does.' }),
    controllerSerial: Type.String({ maxLength: 80 }),
    doors: Type.Array(DoorWiringSchema, { maxItems: 1024 }),
  },
  closed,
);
export type WiringResponse = Static<typeof WiringResponseSchema>;

const validWiring = Compile(WiringResponseSchema);

export function isWiring(value: unknown): value is WiringResponse {
  return validWiring.Check(value);
}

/** The wiring's version: a digest of its doors in door-id order, so the same wiring always has the same version. */
export function wiringVersion(doors: readonly DoorWiring[]): string {
  const sorted = [...doors].sort((a, b) => (a.doorId < b.doorId ? -1 : a.doorId > b.doorId ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

const endpoint = (bus: BusConfig) => (bus.kind === 'tcp' ? `${bus.host}:${bus.port}` : bus.path);

/**
 * The configuration with the facility's doors merged in. Throws `agent.wiring_bus_unknown`,
 * `agent.wiring_conflict` or `agent.wiring_lock_missing`; the caller keeps its running wiring.
 */
export function applyWiring(config: AgentConfig, wiring: WiringResponse): AgentConfig {
  const buses = new Map(config.buses.map((b) => [b.name, b.bus]));
  const busOf = (name: string | null, doorId: string): BusConfig => {
    const bus = name === null ? undefined : buses.get(name);
    if (!bus) {
      throw agentError('agent.wiring_bus_unknown', `Door ${doorId} is wired to bus ${name ?? '(none)'}, which this agent does not have`, {
        doorId,
        bus: name,
      });
    }
    return bus;
  };
  const readers: ReaderConfig[] = [...config.readers];
  const holders = new Map(config.readers.map((r) => [`${endpoint(r.bus)}#${r.address}`, `reader ${r.name}`]));
  const addReader = (busName: string, bus: BusConfig, address: number, holder: string, serialNumber: string | null): string => {
    const key = `${endpoint(bus)}#${address}`;
    const other = holders.get(key);
    if (other) {
      throw agentError('agent.wiring_conflict', `Address ${address} on bus ${busName} is claimed by ${other} and ${holder}`, {
        bus: busName,
        address,
        claimedBy: [other, holder],
      });
    }
    holders.set(key, holder);
    const name = `${busName}/${address}`;
    readers.push({ name, bus, address, readerNumber: 0, ...(serialNumber ? { serialNumber } : {}) });
    return name;
  };
  const io = config.io;
  const ioReader = io.kind === 'osdp' ? addReader(io.bus, busOf(io.bus, '(I/O module)'), io.address, 'the I/O module', null) : null;
  const point = (n: number): PointConfig => (ioReader ? { kind: 'osdp', reader: ioReader, point: n } : { kind: 'simulated', point: n });

  const local = new Set(config.doors.map((d) => d.id));
  const points = new Map<string, string>();
  const claim = (kind: 'output' | 'input', p: PointConfig | undefined, doorId: string) => {
    if (!p) return;
    const key = `${kind}:${p.kind === 'osdp' ? p.reader : ''}:${p.point}`;
    const other = points.get(key);
    if (other !== undefined && other !== doorId) {
      throw agentError('agent.wiring_conflict', `${kind} ${p.point} is wired to doors ${other} and ${doorId}`, {
        point: p.point,
        kind,
        doors: [other, doorId],
      });
    }
    points.set(key, doorId);
  };
  for (const door of config.doors) {
    claim('output', door.lock, door.id);
    claim('input', door.doorPosition, door.id);
    claim('input', door.requestToExit, door.id);
  }
  const doors: DoorConfig[] = [...config.doors];
  for (const wired of wiring.doors) {
    if (local.has(wired.doorId)) continue;
    if (wired.lockOutput === null) {
      throw agentError('agent.wiring_lock_missing', `Door ${wired.name} has no lock output`, { doorId: wired.doorId });
    }
    const door: DoorConfig = {
      id: wired.doorId,
      lock: point(wired.lockOutput),
      unlockSeconds: wired.unlockSeconds,
      heldOpenSeconds: wired.heldOpenSeconds,
      egress: wired.egress,
    };
    for (const [side, reader] of [
      ['entryReader', wired.entryReader],
      ['exitReader', wired.exitReader],
    ] as const) {
      if (!reader) continue;
      const busName = wired.osdpBus ?? '';
      door[side] = addReader(busName, busOf(wired.osdpBus, wired.doorId), reader.address, `door ${wired.name}`, reader.serialNumber);
    }
    if (wired.doorPositionInput !== null) door.doorPosition = point(wired.doorPositionInput);
    if (wired.requestToExitInput !== null) door.requestToExit = point(wired.requestToExitInput);
    claim('output', door.lock, door.id);
    claim('input', door.doorPosition, door.id);
    claim('input', door.requestToExit, door.id);
    doors.push(door);
  }
  const merged = { ...config, readers, doors };
  checkReferences(merged);
  return merged;
}
