/** `vigil audit verify`: checks the journal's hash chain and signed checkpoints. */
import type { Command } from 'commander';
import { eventCatalogue } from '../../catalogue.js';
import { resolvePaths } from '../../kernel/config.js';
import { runAuditVerify } from '../../modules/audit/index.js';
import { action, withDatabase, type CliContext } from '../context.js';
import { progressBar, type Progress } from '../progress.js';

export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program.command('audit').description('the tamper-evident journal');
  audit
    .command('verify')
    .description('verify every journal record and signed checkpoint; exit 0 when intact, 1 naming the first bad record')
    .option('--public-key <file...>', 'further trusted checkpoint public keys (PEM), e.g. keys retired by rotation')
    .action(
      action(ctx, (options: { publicKey?: string[] }) =>
        withDatabase(ctx, async (handle, config) => {
          let bar: Progress | undefined;
          const catalogue = eventCatalogue();
          try {
            return await runAuditVerify(handle, { signingKeyFile: resolvePaths(config).signingKeyFile }, ctx.stdout, {
              publicKeyFiles: options.publicKey ?? [],
              checkpointEvery: config.journal.checkpointEvery,
              subjectsOf: (type) => catalogue.subjectsOf(type),
              onProgress: ({ verified, total }) => {
                bar ??= progressBar(ctx, 'Verifying journal', total, 100_000);
                bar.update(verified, Math.max(total, verified));
              },
            });
          } finally {
            bar?.stop();
          }
        }),
      ),
    );
}
