/**
 * The `vigil` command line: one commander program, one file per command group under commands/.
 * Errors are reported the same way for every command: a VigilError prints `error <code>: <message>`
 * with its details and exits 2; anything unexpected prints its stack and exits 1.
 */
import { Command, CommanderError } from 'commander';
import { isVigilError, type VigilError } from '@vigil/core';
import { VERSION } from '../app.js';
import type { CliContext } from './context.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDatabaseCommands } from './commands/database.js';
import { registerExportCommands } from './commands/export.js';
import { registerIdentityCommands } from './commands/identity.js';
import { registerPeopleCommands } from './commands/people.js';
import { registerServerCommands } from './commands/server.js';
import { registerQuickstartCommand } from './commands/quickstart.js';
import { registerSimCommands } from './commands/sim.js';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_VIGIL_ERROR = 2;

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('vigil')
    .description('Vigil security operations platform. Configuration comes from VIGIL_* environment variables (see docs/configuration.md).')
    .version(VERSION)
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) })
    .exitOverride();
  for (const register of [
    registerServerCommands,
    registerQuickstartCommand,
    registerDatabaseCommands,
    registerAuditCommands,
    registerExportCommands,
    registerIdentityCommands,
    registerPeopleCommands,
    registerSimCommands,
  ]) {
    register(program, ctx);
  }
  return program;
}

function formatDetail(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** `line 12, column 3 (card_number): import.card_out_of_range: …` for one listed problem. */
function describeItem(item: Record<string, unknown>): string {
  const where: string[] = [];
  if (item['line'] !== undefined && item['line'] !== null) where.push(`line ${formatDetail(item['line'])}`);
  if (item['column'] !== undefined && item['column'] !== null) {
    const name = typeof item['columnName'] === 'string' ? ` (${item['columnName']})` : '';
    where.push(`column ${formatDetail(item['column'])}${name}`);
  }
  const code = typeof item['code'] === 'string' ? `${item['code']}: ` : '';
  const message = item['message'] === undefined ? formatDetail(item) : formatDetail(item['message']);
  return `${where.length > 0 ? `${where.join(', ')}: ` : ''}${code}${message}`;
}

/** Prints a VigilError for a person at a terminal: code first (what scripts match on), then details. */
export function describeVigilError(e: VigilError): string {
  const lines = [`error ${e.code}: ${e.message}`];
  for (const [key, value] of Object.entries(e.details)) {
    if (key === 'errors' && Array.isArray(value)) {
      for (const item of value as Record<string, unknown>[]) lines.push(`  ${describeItem(item)}`);
    } else {
      lines.push(`  ${key}: ${formatDetail(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the command line; resolves to the process exit code. */
export async function runProgram(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isVigilError(e)) {
      ctx.stderr.write(describeVigilError(e));
      return EXIT_VIGIL_ERROR;
    }
    ctx.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_UNEXPECTED;
  }
}
