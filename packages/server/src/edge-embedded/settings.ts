/**
 * The embedded agent's configuration, built from the server's `edge.embedded` settings: the same
 * agent configuration a separate box reads from its file, with its doors left to the facility.
 */
import path from 'node:path';
import { parseAgentConfig, type AgentConfig, type BusConfig } from '@vigil/edge';
import type { Config } from '../kernel/config.js';
import { kernelError } from '../kernel/errors.js';

export type EmbeddedSettings = Config['edge']['embedded'];

/** Requests never leave the process (see inject-fetch.ts); the URL only has to be well-formed. */
export const IN_PROCESS_URL = 'http://embedded.vigil.invalid';

const invalid = (variable: string, message: string) => kernelError('config.invalid', message, { variable });

/** `main=serial:/dev/ttyUSB0@9600,lab=tcp:10.0.4.20:4001` → named buses. */
export function parseBuses(text: string): { name: string; bus: BusConfig }[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const tcp = /^([A-Za-z0-9_-]{1,32})=tcp:(.+):(\d{1,5})$/.exec(entry);
    if (tcp) return { name: tcp[1]!, bus: { kind: 'tcp', host: tcp[2]!, port: Number(tcp[3]) } };
    const serial = /^([A-Za-z0-9_-]{1,32})=serial:([^@]+)(?:@(\d+))?$/.exec(entry);
    if (serial) return { name: serial[1]!, bus: { kind: 'serial', path: serial[2]!, baudRate: Number(serial[3] ?? 9600) } };
    throw invalid('VIGIL_EDGE_OSDP_BUSES', `OSDP bus ${JSON.stringify(entry)} is neither name=tcp:host:port nor name=serial:path[@baud]`);
  });
}

export function embeddedAgentConfig(settings: EmbeddedSettings, dataDir: string, snapshotPublicKeyPem: string): AgentConfig {
  if (!settings.siteId) throw invalid('VIGIL_EDGE_SITE_ID', 'edge.embedded.siteId is required when the embedded agent is enabled');
  if (!settings.controllerSerial) {
    throw invalid('VIGIL_EDGE_CONTROLLER_SERIAL', 'edge.embedded.controllerSerial is required when the embedded agent is enabled');
  }
  const io = /^osdp:([^/]+)\/(\d+)$/.exec(settings.io);
  try {
    return parseAgentConfig({
      siteId: settings.siteId,
      dataDir: path.resolve(dataDir, settings.dataDir),
      server: { url: IN_PROCESS_URL, snapshotPublicKey: snapshotPublicKeyPem, heartbeatSeconds: settings.heartbeatSeconds },
      buses: parseBuses(settings.buses),
      io: io ? { kind: 'osdp', bus: io[1], address: Number(io[2]) } : { kind: 'simulated' },
      wiring: { controllerSerial: settings.controllerSerial, pollSeconds: settings.wiringPollSeconds },
    });
  } catch (error) {
    throw invalid('VIGIL_EDGE_EMBEDDED', `edge.embedded: ${(error as Error).message}`);
  }
}
