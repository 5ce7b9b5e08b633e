/** `vigil migrate`, `vigil backup <file>`, `vigil restore <file>`. */
import { Option, type Command } from 'commander';
import { VERSION } from '../../app.js';
import { resolvePaths } from '../../kernel/config.js';
import { createBackup, restoreBackup, type BackupFormat } from '../../storage/backup.js';
import { currentSchema } from '../../storage/backup-schema.js';
import { migrateToLatest } from '../../storage/migrations.js';
import { action, configOf, describeDatabase, formatCount, plural, withDatabase, type CliContext } from '../context.js';
import { applySignerTrust, parseTrustSigners, planSignerTrust } from './restore-trust.js';

function totalRows(tables: Record<string, number>): number {
  return Object.values(tables).reduce((sum, n) => sum + n, 0);
}

function lastOf(names: readonly string[]): string {
  return names[names.length - 1] ?? '(none)';
}

export function registerDatabaseCommands(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations and list the ones that ran')
    .action(
      action(ctx, () =>
        withDatabase(ctx, async (handle) => {
          const schema = await currentSchema(handle);
          const ran = await migrateToLatest(handle.db, { dialect: handle.dialect, ...(schema ? { schema } : {}) });
          if (ran.length === 0) {
            ctx.stdout.write(`${describeDatabase(handle)} is up to date; no migration ran.\n`);
            return;
          }
          ctx.stdout.write(`Applied ${plural(ran.length, 'migration')} to ${describeDatabase(handle)}:\n`);
          for (const name of ran) ctx.stdout.write(`  ${name}\n`);
        }),
      ),
    );

  program
    .command('backup <file>')
    .description('back up the whole database while the server keeps running (SQLite: online file copy; PostgreSQL: logical export)')
    .addOption(
      new Option(
        '--format <format>',
        'sqlite (a SQLite file, SQLite only) or logical (portable JSON lines, restores into either database)',
      ).choices(['sqlite', 'logical']),
    )
    .option('--gzip', 'compress a logical backup (default when the file name ends in .gz)')
    .option('--force', 'replace the file if it exists')
    .action(
      action(ctx, (file: string, options: { format?: BackupFormat; gzip?: boolean; force?: boolean }) =>
        withDatabase(ctx, async (handle) => {
          const report = await createBackup(handle, {
            file,
            vigilVersion: VERSION,
            force: options.force ?? false,
            ...(options.format ? { format: options.format } : {}),
            ...(options.gzip ? { gzip: true } : {}),
          });
          const tables = Object.keys(report.tables).length;
          ctx.stdout.write(
            `Backed up ${describeDatabase(handle)} to ${file} (${report.format} format): ${plural(tables, 'table')}, ` +
              `${plural(totalRows(report.tables), 'row')}, migrations up to ${lastOf(report.migrations)}.\n`,
          );
          if (report.sha256) ctx.stdout.write(`Content SHA-256: ${report.sha256}\n`);
        }),
      ),
    );

  program
    .command('restore <file>')
    .description(
      'restore a backup into an empty database (the file is checked completely before anything is written); ' +
        'refused, with nothing written, while the backup holds journal signing keys this installation does not trust and ' +
        '--trust-signers does not name them',
    )
    .option('--force', 'replace the content of a non-empty database (it must be migrated exactly like the backup)')
    .option(
      '--trust-signers <key ids>',
      "trust these journal signing keys of the backup (comma-separated key ids as a refused restore lists them, after comparing their fingerprints with the source installation's record)",
    )
    .action(
      action(ctx, async (file: string, options: { force?: boolean; trustSigners?: string }) => {
        // Decided from the file alone, before the database is opened: a refusal leaves the data directory untouched.
        const { signingKeyFile } = resolvePaths(configOf(ctx));
        const signers = await planSignerTrust(file, signingKeyFile, parseTrustSigners(options.trustSigners));
        await withDatabase(ctx, async (handle) => {
          const report = await restoreBackup(handle, file, { force: options.force ?? false });
          const from = report.createdAt ? ` taken ${report.createdAt} from ${report.sourceDialect ?? 'unknown'}` : '';
          ctx.stdout.write(
            `Restored ${file} (${report.format} backup${from}) into ${describeDatabase(handle)}: ` +
              `${plural(Object.keys(report.tables).length, 'table')}, ${plural(totalRows(report.tables), 'row')}.\n`,
          );
          if (report.migratedAfter.length > 0) {
            ctx.stdout.write(
              `Then applied ${plural(report.migratedAfter.length, 'newer migration')}: ${report.migratedAfter.join(', ')}.\n`,
            );
          }
          applySignerTrust(signers, file, signingKeyFile, ctx.stdout);
          const events = report.tables['journal_events'] ?? 0;
          if (events > 0) {
            const unsigned = signers.trusted.length + signers.confirmed.length === 0;
            ctx.stdout.write(
              `The journal holds ${formatCount(events)} events; run \`vigil audit verify\` to check them` +
                `${unsigned ? " (with the source's journal public key: the backup records no signer)" : ''}.\n`,
            );
          }
        });
      }),
    );
}
