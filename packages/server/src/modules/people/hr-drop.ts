/**
 * The HR drop directory: the HR system writes CSV files of terminations (column `employee_id`,
 * optional `reason`, other columns ignored) into a directory; this job polls it and applies each
 * file all-or-nothing. A file is claimed by renaming it into `processing/` (so several server
 * nodes can poll one shared directory), then moved to `processed/` or to `failed/` next to a
 * `.errors.txt` report naming line and column of every problem. If the database is unreachable
 * the file goes back to be retried. Re-applying a file is harmless: persons already terminated
 * are skipped, which is also what makes recovering `processing/` after a crash safe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isVigilError, newId } from '@vigil/core';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import type { HrErrorCode } from './import/columns.js';
import type { HrItemError, HrTerminationItem, HrTerminations } from './hr-feed.js';

export interface JobLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface HrDropJobOptions {
  dir: string;
  pollMs: number;
  /** Files changed more recently than this are left for the next poll: they may still be being written. */
  settleMs?: number;
  terminations: HrTerminations;
  logger: JobLogger;
  clock: () => Date;
}

export interface DropOutcome {
  file: string;
  status: 'processed' | 'failed' | 'retry';
  terminated: number;
  errors: number;
}

interface LineError {
  line: number;
  column: number | null;
  columnName: string | null;
  code: HrErrorCode;
  message: string;
}

export const HR_FEED_SOURCE = 'system:hr-feed';

export class HrDropJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;

  constructor(private readonly options: HrDropJobOptions) {}

  start(): void {
    if (!this.stopped) return;
    for (const sub of ['processing', 'processed', 'failed']) fs.mkdirSync(path.join(this.options.dir, sub), { recursive: true });
    for (const name of fs.readdirSync(path.join(this.options.dir, 'processing'))) {
      fs.renameSync(path.join(this.options.dir, 'processing', name), path.join(this.options.dir, name));
    }
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One poll: every settled `.csv` file in the directory, in name order. */
  async runOnce(): Promise<DropOutcome[]> {
    const { dir } = this.options;
    for (const sub of ['processing', 'processed', 'failed']) await fs.promises.mkdir(path.join(dir, sub), { recursive: true });
    const names = (await fs.promises.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map((e) => e.name)
      .sort();
    const outcomes: DropOutcome[] = [];
    const settledBefore = this.options.clock().getTime() - (this.options.settleMs ?? 2000);
    for (const name of names) {
      if (this.stopped && this.running !== null) break; // stop() was called during this poll
      const file = path.join(dir, name);
      const stat = await fs.promises.stat(file).catch(() => null);
      if (!stat || stat.mtimeMs > settledBefore) continue;
      const claimed = path.join(dir, 'processing', name);
      try {
        await fs.promises.rename(file, claimed);
      } catch {
        continue; // another node claimed it first
      }
      outcomes.push(await this.process(name, claimed));
    }
    return outcomes;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runOnce()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'HR drop directory poll failed'))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async process(name: string, claimed: string): Promise<DropOutcome> {
    const { dir, logger } = this.options;
    const stamp = `${this.options.clock().toISOString().replace(/[:.]/g, '-')}_${name}`;
    const parsed = parseDrop(await fs.promises.readFile(claimed, 'utf8'));
    let errors = parsed.errors;
    let terminated = 0;
    if (errors.length === 0) {
      try {
        const result = await this.options.terminations.terminateBatch(parsed.items, {
          source: HR_FEED_SOURCE,
          scope: 'all',
          correlationId: newId(),
        });
        terminated = result.terminated.length;
        logger.info({ file: name, terminated, alreadyTerminated: result.alreadyTerminated.length }, 'HR drop file applied');
      } catch (error) {
        if (isVigilError(error) && error.code === 'people.hr_batch_rejected') {
          errors = (error.details['errors'] as HrItemError[]).map((e) => ({
            line: parsed.lines[e.index] ?? 0,
            column: parsed.employeeIdColumn,
            columnName: 'employee_id',
            code: e.code,
            message: e.message,
          }));
        } else {
          // Not the file's fault (database unreachable, disk full): put it back for the next poll.
          await fs.promises.rename(claimed, path.join(dir, name));
          logger.error({ err: error, file: name }, 'HR drop file could not be applied; will retry');
          return { file: name, status: 'retry', terminated: 0, errors: 0 };
        }
      }
    }
    if (errors.length === 0) {
      await fs.promises.rename(claimed, path.join(dir, 'processed', stamp));
      return { file: name, status: 'processed', terminated, errors: 0 };
    }
    const report = errors
      .map((e) => `line ${e.line}${e.column === null ? '' : `, column ${e.column} (${e.columnName})`}: ${e.code}: ${e.message}`)
      .join('\n');
    await fs.promises.writeFile(
      path.join(dir, 'failed', `${stamp}.errors.txt`),
      `${name}: rejected, nothing was applied (${errors.length} error${errors.length === 1 ? '' : 's'})\n${report}\n`,
    );
    await fs.promises.rename(claimed, path.join(dir, 'failed', stamp));
    logger.warn({ file: name, errors: errors.length }, 'HR drop file rejected');
    return { file: name, status: 'failed', terminated: 0, errors: errors.length };
  }
}

/** Reads a drop file into termination items, with the line each came from. */
export function parseDrop(text: string): {
  items: HrTerminationItem[];
  lines: number[];
  errors: LineError[];
  employeeIdColumn: number | null;
} {
  const items: HrTerminationItem[] = [];
  const lines: number[] = [];
  const errors: LineError[] = [];
  let records: { record: string[]; info: { lines: number } }[];
  let lastLine = 0;
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      on_record: (record, context) => {
        lastLine = context.lines;
        return record;
      },
    }) as unknown as typeof records;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // An unclosed quote is only noticed at the end of the file: name the record where it opened.
    const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastLine + 1 : ((error as CsvError & { lines?: number }).lines ?? lastLine + 1);
    const message = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'A quoted field in this record is never closed' : error.message;
    return { items, lines, errors: [{ line, column: null, columnName: null, code: 'hr.malformed_csv', message }], employeeIdColumn: null };
  }
  const [header, ...rows] = records;
  const names = header?.record.map((n) => n.trim().toLowerCase()) ?? [];
  const idIndex = names.indexOf('employee_id');
  const reasonIndex = names.indexOf('reason');
  if (idIndex < 0) {
    errors.push({
      line: 1,
      column: null,
      columnName: 'employee_id',
      code: 'hr.missing_column',
      message: 'The header line has no employee_id column',
    });
    return { items, lines, errors, employeeIdColumn: null };
  }
  for (const { record, info } of rows) {
    const employeeId = record[idIndex] ?? '';
    if (!employeeId) {
      errors.push({
        line: info.lines,
        column: idIndex + 1,
        columnName: 'employee_id',
        code: 'hr.required',
        message: 'The employee id is empty',
      });
      continue;
    }
    const reason = reasonIndex >= 0 ? record[reasonIndex] : undefined;
    items.push({ employeeId, reason: reason ? reason.slice(0, 500) : undefined });
    lines.push(info.lines);
  }
  return { items, lines, errors, employeeIdColumn: idIndex + 1 };
}
