/** `vigil create-admin`: the first administrator of a new installation. */
import type { Command } from 'commander';
import { action, cliSource, withApp, type CliContext } from '../context.js';

export function registerIdentityCommands(program: Command, ctx: CliContext): void {
  program
    .command('create-admin <username>')
    .description('create an administrator on every site with a one-time password (changed, and TOTP enrolled, at first sign-in)')
    .option('--name <display name>', 'the name shown in the console and the journal (default: the user name)')
    .action(
      action(ctx, (username: string, options: { name?: string }) =>
        withApp(ctx, async (app) => {
          const { operator, oneTimePassword } = await app.identity.operators.createAdmin(
            { username, displayName: options.name ?? username },
            cliSource(),
          );
          ctx.stdout.write(
            `Created administrator ${operator.username} (all sites).\n` +
              `One-time password: ${oneTimePassword}\n` +
              'It is shown only now. At first sign-in it must be replaced and an authenticator app enrolled (TOTP).\n',
          );
        }),
      ),
    );
}
