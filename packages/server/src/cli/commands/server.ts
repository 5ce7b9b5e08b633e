/** `vigil start`: the server in the foreground until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import { createApp, VERSION } from '../../app.js';
import { action, configOf, type CliContext } from '../context.js';

export function registerServerCommands(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('start the server (API and console) with the configuration from VIGIL_* variables; stops cleanly on SIGINT/SIGTERM')
    .action(
      action(ctx, async () => {
        const stopRequested = ctx.waitForStop();
        const app = await createApp(configOf(ctx));
        let url: string;
        try {
          url = await app.start();
        } catch (e) {
          await app.stop();
          throw e;
        }
        ctx.stdout.write(`Vigil ${VERSION} listening on ${url} (database: ${app.handle.dialect} ${app.handle.location})\n`);
        const signal = await stopRequested;
        ctx.stdout.write(`${signal} received, stopping…\n`);
        await app.stop();
        ctx.stdout.write('Vigil stopped.\n');
      }),
    );
}
