/**
 * Writes the generated reference files (OpenAPI document, configuration reference, error codes).
 * `--check` fails when a committed file differs from what the code generates, so the contract
 * shown in review is always the one that runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app.js';
import { configReference, loadConfig } from '../kernel/config.js';
import { createLogger } from '../kernel/logger.js';
import { errorsReference } from '../api/error-catalogue.js';
import { statusOf } from '../api/problem.js';

const root = path.resolve(import.meta.dirname, '../../../..');

async function openApiDocument(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-generate-'));
  try {
    const app = await createApp(loadConfig({}, { dataDir: dir, log: { level: 'silent' } }), { logger: createLogger('silent') });
    await app.api.ready();
    const doc = app.api.swagger();
    await app.stop();
    return `${JSON.stringify(doc, null, 2)}\n`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function generatedFiles(): Promise<Record<string, string>> {
  return {
    'docs/openapi.json': await openApiDocument(),
    'docs/configuration.md': configReference(),
    'docs/errors.md': errorsReference(statusOf),
  };
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const [file, content] of Object.entries(await generatedFiles())) {
    const target = path.join(root, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === content) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale.length > 0) {
    console.error(`Generated files are out of date: ${stale.join(', ')}. Run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
}

await main();
