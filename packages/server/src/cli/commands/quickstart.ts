/**
 * `vigil quickstart` (what `npm start` runs): the server with embedded storage, a sample hospital
 * seeded on first run, and a first administrator whose one-time password is printed once. Later
 * runs reuse the data directory and seed nothing.
 */
import type { Command } from 'commander';
import { isVigilError } from '@vigil/core';
import { createApp, VERSION, type App } from '../../app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { seedSampleFacility } from '../../modules/facility/index.js';
import { action, type CliContext } from '../context.js';

const ADMIN = 'admin';

async function seedIfEmpty(app: App): Promise<string | null> {
  const sites = await app.facility.sites.list({ limit: 1, sites: 'all' });
  if (sites.items.length > 0) return null;
  const sample = await seedSampleFacility(app.facility, 'system:quickstart');
  return sample.site.name;
}

async function firstAdmin(app: App): Promise<string | null> {
  try {
    const { oneTimePassword } = await app.identity.operators.createAdmin(
      { username: ADMIN, displayName: 'First administrator' },
      'system:quickstart',
    );
    return oneTimePassword;
  } catch (e) {
    if (isVigilError(e) && e.code === 'operators.username_taken') return null;
    throw e;
  }
}

export function registerQuickstartCommand(program: Command, ctx: CliContext): void {
  program
    .command('quickstart')
    .description('start with embedded storage, seeding a sample hospital and a first administrator on first run')
    .option('--no-demo', 'only the sample hospital, without the live simulated hospital')
    .action(
      action(ctx, async () => {
        const stopRequested = ctx.waitForStop();
        // A demo terminal should show the sign-in path, not a JSON line per request.
        const config = loadConfig({ VIGIL_LOG_LEVEL: 'warn', ...ctx.env });
        const app = await createApp(config, { logger: createLogger(config.log.level, ctx.stderr) });
        let url: string;
        try {
          const seeded = await seedIfEmpty(app);
          const password = await firstAdmin(app);
          url = await app.start();
          const out = (line = '') => ctx.stdout.write(`${line}\n`);
          out();
          out(`Vigil ${VERSION} is running (${app.handle.dialect}: ${app.handle.location}).`);
          if (seeded) out(`Seeded the sample hospital "${seeded}".`);
          out();
          out(`  API and its documentation:  ${url}/api/docs`);
          out(`  Health:                     ${url}/api/health`);
          out();
          if (password) {
            out('First sign-in (shown only now):');
            out(`  user "${ADMIN}", one-time password: ${password}`);
            out('  1. POST /api/auth/sign-in with {"username","password"}: you must choose a new password (POST /api/auth/password)');
            out('  2. administrators must enrol TOTP: POST /api/auth/mfa/enrolment, add the otpauth:// URI to an authenticator app,');
            out('     then POST /api/auth/mfa/enrolment/confirm with a code. Every later sign-in asks for a code (POST /api/auth/mfa).');
          } else {
            out(`Sign in as "${ADMIN}" with the password you chose. Another administrator: npm run vigil -- create-admin <name>`);
          }
          out();
          out('Stop with Ctrl-C. Data lives in the data directory; delete it to start afresh.');
        } catch (e) {
          await app.stop();
          throw e;
        }
        const signal = await stopRequested;
        ctx.stdout.write(`${signal} received, stopping…\n`);
        await app.stop();
      }),
    );
}
