/**
 * `vigil-edge --config edge.json`: runs the agent until SIGINT/SIGTERM.
 * `vigil-edge --config edge.json --print-key`: creates the agent key if needed and prints its
 * public key and key id, for registration on the server (POST /api/edge/agents).
 * With `wiring.controllerSerial` in the file, the doors are wired from the facility records.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pino } from 'pino';
import { EdgeAgent } from './agent.js';
import { WiredAgent } from './wired-agent.js';
import { loadAgentConfig } from './config.js';
import { loadOrCreateAgentKey } from './keys.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, 'print-key': { type: 'boolean' }, 'log-level': { type: 'string' } },
  });
  if (!values.config) {
    console.error('usage: vigil-edge --config <file> [--print-key] [--log-level info]');
    process.exit(2);
  }
  const config = loadAgentConfig(values.config);
  if (values['print-key']) {
    const key = loadOrCreateAgentKey(path.join(config.dataDir, 'agent.key'));
    process.stdout.write(`${JSON.stringify({ keyId: key.keyId, publicKey: key.publicKeyPem })}\n`);
    return;
  }
  const logger = pino({ level: values['log-level'] ?? process.env['VIGIL_LOG_LEVEL'] ?? 'info' });
  // With `wiring`, the doors come from the facility (the last good wiring kept for offline starts).
  const agent = config.wiring ? new WiredAgent({ config, logger }) : new EdgeAgent({ config, logger });
  await agent.start();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
