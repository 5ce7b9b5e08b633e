/**
 * Where an export goes: stdout, or a file written atomically (`<file>.partial`, renamed when
 * complete) with owner-only permissions, since exports hold personal data and security events.
 * Writes respect back-pressure, and a closed pipe (`vigil export … | head`) ends the export quietly.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { CliContext } from './context.js';

export interface Sink {
  write(text: string): Promise<void>;
  /** Flushes and, for a file, moves it into place. */
  close(): Promise<void>;
  /** Discards a partial file after an error. */
  abort(): void;
  /** True once the reader went away (EPIPE): stop producing. */
  readonly closed: boolean;
}

/** `events.once` rejects when the stream errors; the error handler above already recorded it. */
function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => undefined,
    () => undefined,
  );
}

export function openSink(ctx: CliContext, file: string | undefined): Sink {
  const partial = file ? `${file}.partial` : undefined;
  const stream: Writable = partial ? fs.createWriteStream(partial, { mode: 0o600 }) : ctx.stdout;
  let closed = false;
  let failure: Error | undefined;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else failure = e;
  });
  const rethrow = () => {
    if (failure) throw failure;
  };
  return {
    get closed() {
      return closed;
    },
    async write(text) {
      rethrow();
      if (closed) return;
      if (!stream.write(text)) await Promise.race([settled(once(stream, 'drain')), settled(once(stream, 'close'))]);
      rethrow();
    },
    async close() {
      if (!partial || !file) return;
      const finished = once(stream, 'close');
      stream.end();
      await finished;
      rethrow();
      fs.renameSync(partial, file);
    },
    abort() {
      if (!partial) return;
      stream.destroy();
      fs.rmSync(partial, { force: true });
    },
  };
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, or line break. Text starting with
 * = + - @ or a tab gets a leading apostrophe, so a spreadsheet shows it instead of running it as a
 * formula (OWASP "CSV injection"): names and event data can come from outside. JSON lines keep
 * every value exactly.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly (string | number | null)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
