/**
 * `vigil quickstart` (what `npm start` runs): the server with embedded storage, a first
 * administrator whose one-time password is printed once, and the live demo hospital (demo.ts):
 * the simulator's `community` hospital with its devices and scenarios. With `--no-demo`, a
 * sample hospital seeded on first run instead. Later runs reuse the data directory.
 */
import type { Command } from 'commander';
import { isVigilError } from '@vigil/core';
import { createApp, VERSION, type App } from '../../app.js';
import { loadConfig } from '../../kernel/config.js';
import { createLogger } from '../../kernel/logger.js';
import { seedSampleFacility } from '../../modules/facility/index.js';
import { action, type CliContext } from '../context.js';
import {
  DEMO_PRESET,
  DEMO_SCENARIO_MINUTES,
  demoMqttEnv,
  simulatorToken,
  startDemoBroker,
  startDemoSimulator,
  stopDemoSimulator,
} from './demo.js';

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
    .description('start with embedded storage, a first administrator and the live demo hospital (or, with --no-demo, a sample one)')
    .option('--no-demo', 'only the sample hospital, without the live simulated hospital')
    .action(
      action(ctx, async (options: { demo: boolean }) => {
        const stopRequested = ctx.waitForStop();
        // The demo's sensors need a broker; a configured one is used as it is.
        const broker = options.demo && !ctx.env['VIGIL_MQTT_URL'] ? await startDemoBroker() : null;
        // A demo terminal should show the sign-in path, not a JSON line per request.
        const config = loadConfig({ VIGIL_LOG_LEVEL: 'warn', ...ctx.env, ...(broker ? demoMqttEnv(broker) : {}) });
        const app = await createApp(config, { logger: createLogger(config.log.level, ctx.stderr) });
        let url: string;
        let simulator: ReturnType<typeof startDemoSimulator> | null = null;
        try {
          const seeded = options.demo ? null : await seedIfEmpty(app);
          const password = await firstAdmin(app);
          url = await app.start();
          if (options.demo) simulator = startDemoSimulator(app, url, await simulatorToken(app), config.mqtt.url || null, ctx);
          const out = (line = '') => ctx.stdout.write(`${line}\n`);
          out();
          out(`Vigil ${VERSION} is running (${app.handle.dialect}: ${app.handle.location}).`);
          if (seeded) out(`Seeded the sample hospital "${seeded}".`);
          out();
          out(`  Operator console:            ${url}/`);
          out(`  API and its documentation:  ${url}/api/docs`);
          out(`  Health:                     ${url}/api/health`);
          out();
          if (password) {
            out('First sign-in (shown only now):');
            out(`  user "${ADMIN}", one-time password: ${password}`);
            out(`  In the console (${url}/) sign in with it; it then asks for a new password and a TOTP enrolment. Over the API:`);
            out('  1. POST /api/auth/sign-in with {"username","password"}: you must choose a new password (POST /api/auth/password)');
            out('  2. administrators must enrol TOTP: POST /api/auth/mfa/enrolment, add the otpauth:// URI to an authenticator app,');
            out('     then POST /api/auth/mfa/enrolment/confirm with a code. Every later sign-in asks for a code (POST /api/auth/mfa).');
          } else {
            out(`Sign in as "${ADMIN}" with the password you chose. Another administrator: npm run vigil -- create-admin <name>`);
          }
          out();
          if (simulator) {
            out(`Live demo: the simulated "${DEMO_PRESET}" hospital starts below (its first start provisions it, in about ten`);
            out(`seconds); then badges, doors and sensors run live and a scenario plays every ${DEMO_SCENARIO_MINUTES} minutes,`);
            out('the first about 30 s after the hospital is live. Its alarms appear in the console. `--no-demo`: the sample only.');
            out();
          }
          out('Stop with Ctrl-C. Data lives in the data directory; delete it to start afresh.');
        } catch (e) {
          if (simulator) await stopDemoSimulator(simulator);
          await app.stop();
          await broker?.close();
          throw e;
        }
        const signal = await stopRequested;
        ctx.stdout.write(`${signal} received, stopping…\n`);
        if (simulator) await stopDemoSimulator(simulator);
        await app.stop();
        await broker?.close();
      }),
    );
}
