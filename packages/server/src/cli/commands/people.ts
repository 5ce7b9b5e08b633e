/** `vigil import <file>`: people and credentials from CSV (docs/import.md). */
import fs from 'node:fs';
import type { Command } from 'commander';
import { peopleError, type ImportProgress } from '../../modules/people/index.js';
import { action, cliSource, plural, withApp, type CliContext } from '../context.js';
import { progressBar, type Progress } from '../progress.js';

/** Files smaller than this import in a moment; a bar would only flicker. */
const BAR_FROM_BYTES = 1_048_576;

/** One bar per phase: bytes while reading and checking, persons while writing. */
function importProgress(ctx: CliContext, file: string) {
  const big = fs.statSync(file).size >= BAR_FROM_BYTES;
  let phase: ImportProgress['phase'] | undefined;
  let bar: Progress | undefined;
  return {
    update(p: ImportProgress) {
      if (!big) return;
      const writing = p.phase === 'writing';
      if (phase !== p.phase && (p.phase === 'validating' || writing)) {
        bar?.stop();
        bar = progressBar(ctx, writing ? 'Writing  ' : 'Reading  ', writing ? p.toWrite : (p.bytesTotal ?? 0));
      }
      phase = p.phase;
      if (p.phase === 'validating') bar?.update(p.bytesRead);
      else if (writing) bar?.update(p.written);
    },
    stop() {
      bar?.stop();
    },
  };
}

export function registerPeopleCommands(program: Command, ctx: CliContext): void {
  program
    .command('import <file>')
    .description(
      'import people and their cards/PINs from CSV (docs/import.md); every row is checked first and only a file without errors is written, in one transaction',
    )
    .option('--dry-run', 'run every check, including against the database, and report what would be created without writing anything')
    .action(
      action(ctx, (file: string, options: { dryRun?: boolean }) =>
        withApp(ctx, async (app) => {
          const progress = importProgress(ctx, file);
          let report;
          try {
            report = await app.people.importPeopleCsv(file, {
              dryRun: options.dryRun ?? false,
              source: cliSource(),
              onProgress: (p) => progress.update(p),
            });
          } finally {
            progress.stop();
          }
          if (!report.ok) {
            const listed = report.errors.length < report.errorCount ? ` (the first ${report.errors.length} are listed)` : '';
            throw peopleError(
              'people.import_rejected',
              `${file}: ${plural(report.errorCount, 'error')} in ${plural(report.rows, 'row')}${listed}; nothing was written`,
              { errors: report.errors },
            );
          }
          const what = `${plural(report.persons, 'person')} and ${plural(report.credentials, 'credential')}`;
          ctx.stdout.write(
            report.dryRun
              ? `Dry run: ${file} is valid; importing it would create ${what} from ${plural(report.rows, 'row')}. Nothing was written.\n`
              : `Imported ${what} from ${plural(report.rows, 'row')} of ${file}.\n`,
          );
        }),
      ),
    );
}
