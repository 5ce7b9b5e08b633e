/**
 * CSV import of people and credentials (docs/import.md): the file is streamed and every row
 * validated first, then checked against the database, and only a file without a single error is
 * written, in one transaction, so an import either happens completely or not at all.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { newId } from '@vigil/core';
import { CsvError, parse, type InfoRecord, type Options } from 'csv-parse';
import type { PeopleDeps, SiteScope } from '../context.js';
import { isUniqueViolation } from '../context.js';
import { peopleError } from '../errors.js';
import { hashPin } from '../pin.js';
import type { ImportReport } from '../schemas.js';
import { checkAgainstDatabase, loadLookups } from './checks.js';
import { RowValidator, type ImportedPerson } from './validate.js';
import { writeImport } from './write.js';

export interface ImportProgress {
  phase: 'validating' | 'checking' | 'hashing' | 'writing' | 'done';
  /** Data rows read so far (the header excluded). */
  rows: number;
  bytesRead: number;
  /** Size of the file when reading one by path; null for a stream of unknown length. */
  bytesTotal: number | null;
  /** Persons written so far, and how many will be (known from the checking phase on). */
  written: number;
  toWrite: number;
}

export interface ImportOptions {
  dryRun?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Recorded as the events' source: `operator:<id>` from the API, `cli:<user>` from the CLI. */
  source?: string;
  /** Sites the importer may manage people on; rows naming another site are errors. */
  scope?: SiteScope;
  /** Errors listed in the report (all are counted). */
  maxErrors?: number;
}

const PROGRESS_EVERY_ROWS = 2000;
// scrypt runs on libuv's thread pool (4 threads by default): more in flight only queues.
const PIN_HASH_CONCURRENCY = 4;

/** Imports a CSV given as a file path or a stream. Never throws for bad rows: the report lists them. */
export async function importPeopleCsv(deps: PeopleDeps, input: string | Readable, options: ImportOptions = {}): Promise<ImportReport> {
  const dryRun = options.dryRun ?? false;
  const source = options.source ?? 'system:import';
  const bytesTotal = typeof input === 'string' ? (await fs.promises.stat(input)).size : null;
  const stream = typeof input === 'string' ? fs.createReadStream(input) : input;
  const progress: ImportProgress = { phase: 'validating', rows: 0, bytesRead: 0, bytesTotal, written: 0, toWrite: 0 };
  const report = (phase: ImportProgress['phase']) => {
    progress.phase = phase;
    options.onProgress?.({ ...progress });
  };
  const scope = options.scope ?? 'all';
  let lookups;
  try {
    lookups = await loadLookups(deps.db, scope === 'all' ? 'all' : new Set(scope));
  } catch (error) {
    stream.destroy();
    throw error;
  }
  // Counting bytes starts the stream flowing, so only now, together with the parser.
  stream.on('data', (chunk: Buffer | string) => {
    progress.bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
  });
  const validator = new RowValidator(lookups, options.maxErrors ?? 1000);
  await readRows(stream, validator, () => {
    progress.rows = validator.rows;
    report('validating');
  });
  validator.release();
  progress.rows = validator.rows;

  if (validator.errorCount === 0) {
    progress.toWrite = validator.persons.length;
    report('checking');
    await checkAgainstDatabase(deps.db, validator);
  }
  const credentials = validator.persons.reduce((n, p) => n + p.cards.length + (p.pin ? 1 : 0), 0);
  const result: ImportReport = {
    ok: validator.errorCount === 0,
    dryRun,
    rows: validator.rows,
    persons: validator.errorCount === 0 ? validator.persons.length : 0,
    credentials: validator.errorCount === 0 ? credentials : 0,
    errorCount: validator.errorCount,
    errors: validator.errors.sort((a, b) => a.line - b.line || (a.column ?? Infinity) - (b.column ?? Infinity)),
  };
  if (!result.ok || dryRun) {
    report('done');
    return result;
  }

  await hashPins(validator.persons, () => report('hashing'));
  report('writing');
  try {
    await deps.db.transaction().execute((trx) =>
      writeImport(trx, deps.record, validator.persons, {
        source,
        now: deps.clock(),
        correlationId: newId(),
        onProgress: (written) => {
          progress.written = written;
          report('writing');
        },
      }),
    );
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw peopleError(
      'people.import_conflict',
      'A person or card in the file was created by someone else while the import was writing; nothing was written. Run the import again to see which rows.',
    );
  }
  report('done');
  return result;
}

async function readRows(stream: Readable, validator: RowValidator, onRows: () => void): Promise<void> {
  // The parser can fail while records it parsed are still queued, so the last line it got through
  // is tracked as it parses, not as the loop consumes.
  let lastLine = 0;
  const parser = stream.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // Returns the record with its line instead of csv-parse's `info` object per record (cheaper).
      on_record: ((record: string[], context: InfoRecord) => {
        lastLine = context.lines;
        return { record, lines: context.lines };
      }) as unknown as Options['on_record'],
    }),
  ) as AsyncIterable<{ record: string[]; lines: number }> & Readable;
  let header = true;
  try {
    for await (const { record, lines } of parser) {
      // `lines` is the line a record ends on; a quoted field with line breaks started earlier.
      let line = lines;
      for (const field of record) if (field.includes('\n')) line -= field.split('\n').length - 1;
      if (header) {
        header = false;
        if (!validator.header(record)) return;
        continue;
      }
      validator.row(record, line);
      if (validator.rows % PROGRESS_EVERY_ROWS === 0) onRows();
    }
    if (header) validator.error(1, null, 'import.missing_column', 'The file is empty: it needs a header line');
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // The parser only notices at the end of the file; the culprit is the record after the last good one.
      const line = lastLine + 1;
      validator.error(line, null, 'import.malformed_csv', `A quoted field in the record starting at line ${line} is never closed`);
    } else {
      const line = (error as CsvError & { lines?: number }).lines ?? lastLine + 1;
      validator.error(line, null, 'import.malformed_csv', `Malformed CSV at line ${line}: ${error.message}`);
    }
  } finally {
    stream.destroy();
  }
}

async function hashPins(persons: readonly ImportedPerson[], onProgress: () => void): Promise<void> {
  const pending = persons.filter((p) => p.pin);
  for (let i = 0; i < pending.length; i += PIN_HASH_CONCURRENCY) {
    await Promise.all(
      pending.slice(i, i + PIN_HASH_CONCURRENCY).map(async (person) => {
        person.pin!.hash = await hashPin(person.pin!.pin);
        person.pin!.pin = '';
      }),
    );
    onProgress();
  }
}

/** For callers holding the CSV in memory (an API upload). */
export function csvStream(text: string): Readable {
  return Readable.from([text]);
}
