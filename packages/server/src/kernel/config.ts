/**
 * One schema for all configuration: defaults, documentation and the `VIGIL_*` environment mapping
 * live on each setting, unknown keys (in a file or in the environment) are rejected, and
 * `docs/configuration.md` is generated from this file.
 */
import path from 'node:path';
import { Type, type Static, type TSchema } from '@vigil/core';
import { Compile } from 'typebox/compile';
import { kernelError } from './errors.js';

/** A leaf setting; `env` names the variable that overrides it. */
function setting<T extends TSchema>(schema: T, env: string): T {
  return { ...schema, env };
}

export const ConfigSchema = Type.Object(
  {
    dataDir: setting(
      Type.String({
        default: './data',
        description: 'Directory for the SQLite database, keys and backups. Created with owner-only permissions.',
      }),
      'VIGIL_DATA_DIR',
    ),
    database: Type.Object(
      {
        url: setting(
          Type.String({
            default: '',
            description: 'PostgreSQL connection URL (`postgres://user@host:5432/db`). Empty: embedded SQLite in the data directory.',
          }),
          'VIGIL_DATABASE_URL',
        ),
        sqliteFile: setting(
          Type.String({ default: 'vigil.db', description: 'SQLite file name, relative to the data directory.' }),
          'VIGIL_SQLITE_FILE',
        ),
        poolSize: setting(
          Type.Integer({ default: 10, minimum: 1, maximum: 200, description: 'PostgreSQL connection pool size.' }),
          'VIGIL_DATABASE_POOL_SIZE',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Object(
      {
        host: setting(Type.String({ default: '127.0.0.1', description: 'Interface the API and console listen on.' }), 'VIGIL_HTTP_HOST'),
        port: setting(
          Type.Integer({
            default: 8080,
            minimum: 0,
            maximum: 65535,
            description: 'TCP port of the API and console (0 picks a free port).',
          }),
          'VIGIL_HTTP_PORT',
        ),
        publicUrl: setting(
          Type.String({
            default: '',
            description: 'URL operators use to reach Vigil; `https://` marks session cookies Secure. Empty: derived from host and port.',
          }),
          'VIGIL_PUBLIC_URL',
        ),
        bodyLimitBytes: setting(
          Type.Integer({
            default: 1_048_576,
            minimum: 1024,
            description: 'Largest JSON request body accepted; larger requests get `request.too_large`.',
          }),
          'VIGIL_HTTP_BODY_LIMIT',
        ),
        uploadLimitBytes: setting(
          Type.Integer({ default: 67_108_864, minimum: 1024, description: 'Largest upload (CSV import, floor plan) accepted.' }),
          'VIGIL_HTTP_UPLOAD_LIMIT',
        ),
        trustProxy: setting(
          Type.Boolean({
            default: false,
            description: 'Trust `X-Forwarded-*` headers from a reverse proxy (needed for client IPs behind one).',
          }),
          'VIGIL_TRUST_PROXY',
        ),
        consoleDir: setting(
          Type.String({
            default: '',
            description: 'Directory of the built operator console served at `/`. Empty: `packages/web/dist` of this installation.',
          }),
          'VIGIL_CONSOLE_DIR',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    journal: Type.Object(
      {
        signingKeyFile: setting(
          Type.String({
            default: '',
            description:
              'Ed25519 private key (PEM) that signs journal checkpoints. Empty: `journal-signing.key` in the data directory, generated on first start.',
          }),
          'VIGIL_JOURNAL_SIGNING_KEY',
        ),
        checkpointEvery: setting(
          Type.Integer({ default: 1000, minimum: 1, description: 'Sign a checkpoint after this many events.' }),
          'VIGIL_JOURNAL_CHECKPOINT_EVERY',
        ),
        checkpointIntervalSeconds: setting(
          Type.Integer({
            default: 300,
            minimum: 1,
            description: 'Also sign a checkpoint this often when events have arrived since the last one.',
          }),
          'VIGIL_JOURNAL_CHECKPOINT_INTERVAL',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    security: Type.Object(
      {
        sessionTtlMinutes: setting(
          Type.Integer({ default: 720, minimum: 5, description: 'Operator session lifetime (a 12-hour shift by default).' }),
          'VIGIL_SESSION_TTL_MINUTES',
        ),
        sessionIdleMinutes: setting(
          Type.Integer({ default: 60, minimum: 1, description: 'A session unused this long expires.' }),
          'VIGIL_SESSION_IDLE_MINUTES',
        ),
        loginMaxFailures: setting(
          Type.Integer({ default: 5, minimum: 1, description: 'Failed sign-ins before the account is locked.' }),
          'VIGIL_LOGIN_MAX_FAILURES',
        ),
        lockoutMinutes: setting(
          Type.Integer({ default: 15, minimum: 1, description: 'How long a locked account stays locked.' }),
          'VIGIL_LOCKOUT_MINUTES',
        ),
        loginRatePerMinute: setting(
          Type.Integer({ default: 20, minimum: 1, description: 'Sign-in attempts allowed per client address per minute.' }),
          'VIGIL_LOGIN_RATE_PER_MINUTE',
        ),
        secretKeyFile: setting(
          Type.String({
            default: '',
            description:
              'AES-256 key that encrypts TOTP secrets at rest (owner-only file). Empty: `secrets.key` in the data directory, generated on first start.',
          }),
          'VIGIL_SECRET_KEY_FILE',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    intake: Type.Object(
      {
        batchSize: setting(
          Type.Integer({
            default: 500,
            minimum: 1,
            maximum: 10_000,
            description: 'Most events appended to the journal in one group-commit transaction.',
          }),
          'VIGIL_INTAKE_BATCH_SIZE',
        ),
        maxDelayMs: setting(
          Type.Integer({
            default: 2,
            minimum: 0,
            maximum: 1000,
            description: 'How long an event waits for others to share its commit when the journal writer is idle (0: next tick).',
          }),
          'VIGIL_INTAKE_MAX_DELAY_MS',
        ),
        queueLimit: setting(
          Type.Integer({
            default: 20_000,
            minimum: 1,
            description: 'Events accepted but not yet committed and fanned out; beyond it submissions get `intake.queue_full`.',
          }),
          'VIGIL_INTAKE_QUEUE_LIMIT',
        ),
        sourceRatePerSecond: setting(
          Type.Number({
            default: 50,
            minimum: 0,
            description: 'Sustained events per second accepted from one source (device or actor); 0 disables the limit.',
          }),
          'VIGIL_INTAKE_SOURCE_RATE',
        ),
        sourceBurst: setting(
          Type.Integer({ default: 200, minimum: 1, description: 'Events one source may send at once above its sustained rate.' }),
          'VIGIL_INTAKE_SOURCE_BURST',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    bus: Type.Object(
      {
        natsUrl: setting(
          Type.String({
            default: '',
            description: 'NATS server URL(s), comma-separated (`nats://host:4222`). Empty: the in-process event bus (one node).',
          }),
          'VIGIL_NATS_URL',
        ),
        natsSubjectPrefix: setting(
          Type.String({
            default: 'vigil.events',
            pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$',
            description: 'Subjects are `<prefix>.<site>.<event type>`; the JetStream stream is named after the prefix (`VIGIL_EVENTS`).',
          }),
          'VIGIL_NATS_SUBJECT_PREFIX',
        ),
        nodeName: setting(
          Type.String({
            default: '',
            pattern: '^[A-Za-z0-9_-]*$',
            description: "This node's stable name: its durable NATS consumer and MQTT client id. Empty: the host name.",
          }),
          'VIGIL_NODE_NAME',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    mqtt: Type.Object(
      {
        url: setting(
          Type.String({
            default: '',
            description: 'MQTT broker URL for sensors (`mqtt://user:password@host:1883`, `mqtts://`). Empty: no MQTT devices.',
          }),
          'VIGIL_MQTT_URL',
        ),
        devicesFile: setting(
          Type.String({
            default: '',
            description: 'JSON file of MQTT topic templates, payload mappings and supervised devices (required when the URL is set).',
          }),
          'VIGIL_MQTT_DEVICES_FILE',
        ),
        protocolVersion: setting(
          Type.Integer({
            default: 5,
            minimum: 4,
            maximum: 5,
            description:
              'MQTT protocol: 5, or 4 (3.1.1) for a broker without MQTT 5 (the demo’s embedded broker). With 4 the broker keeps the session with no expiry and may replay retained messages on subscribe.',
          }),
          'VIGIL_MQTT_PROTOCOL_VERSION',
        ),
        sharedGroup: setting(
          Type.String({
            default: 'auto',
            pattern: '^[A-Za-z0-9_-]*$',
            maxLength: 64,
            description:
              'MQTT 5 shared-subscription group: the nodes of one installation subscribe as `$share/<group>/<topic>`, so the broker gives each sensor message to one node and it is journaled once. `auto`: `vigil-<installation id>`, the id generated once and stored in the database, so every node on one database agrees and another installation on the same broker gets a group of its own. Any other name is used as given (nodes of different installations on one broker need different groups). Empty (and always with protocol 4): every node subscribes on its own and journals every message. Upgrading several nodes one by one from a release whose default was `vigil`: nodes in different groups each journal every message until all run the same release, so set `vigil` explicitly during the upgrade or upgrade the nodes together.',
          }),
          'VIGIL_MQTT_SHARED_GROUP',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    hr: Type.Object(
      {
        dropDir: setting(
          Type.String({
            default: '',
            description:
              'Directory the HR system drops termination CSV files into (see docs/import.md); each file is applied all-or-nothing and moved to `processed/` or `failed/`. Empty: off.',
          }),
          'VIGIL_HR_DROP_DIR',
        ),
        pollSeconds: setting(
          Type.Integer({
            default: 60,
            minimum: 1,
            maximum: 3600,
            description: 'How often the HR drop directory is checked for new files.',
          }),
          'VIGIL_HR_POLL_SECONDS',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    alarms: Type.Object(
      {
        maxShelveMinutes: setting(
          Type.Integer({ default: 480, minimum: 1, maximum: 10_080, description: 'Longest an operator may shelve an alarm source.' }),
          'VIGIL_ALARM_MAX_SHELVE_MINUTES',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    automation: Type.Object(
      {
        doorConfirmTimeoutMs: setting(
          Type.Integer({
            default: 10_000,
            minimum: 100,
            maximum: 300_000,
            description: 'How long a door has to confirm a plan’s command before it counts as failed (a fire plan keeps retrying it).',
          }),
          'VIGIL_DOOR_CONFIRM_TIMEOUT_MS',
        ),
        ruleChainLimit: setting(
          Type.Integer({
            default: 10,
            minimum: 1,
            maximum: 1000,
            description:
              'Rule firings allowed in one chain of rule-caused events before the chain is stopped as a loop (and an alarm raised).',
          }),
          'VIGIL_RULE_CHAIN_LIMIT',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    notifications: Type.Object(
      {
        smtpUrl: setting(
          Type.String({
            default: '',
            description: 'SMTP server for e-mail notifications (`smtp://user:password@host:587`, `smtps://`). Empty: no e-mail.',
          }),
          'VIGIL_SMTP_URL',
        ),
        mailFrom: setting(
          Type.String({ default: 'Vigil <vigil@localhost>', description: 'Sender of e-mail notifications.' }),
          'VIGIL_MAIL_FROM',
        ),
        webhookTimeoutMs: setting(
          Type.Integer({
            default: 5000,
            minimum: 100,
            maximum: 60_000,
            description: 'How long a webhook or SMTP server has to answer one delivery attempt.',
          }),
          'VIGIL_NOTIFY_TIMEOUT_MS',
        ),
        maxAttempts: setting(
          Type.Integer({
            default: 8,
            minimum: 1,
            maximum: 50,
            description: 'Delivery attempts (with exponential backoff) before a notification fails.',
          }),
          'VIGIL_NOTIFY_MAX_ATTEMPTS',
        ),
        capSender: setting(
          Type.String({
            default: '',
            maxLength: 200,
            description: 'CAP `sender` of emergency alerts (an address identifying this installation). Empty: `vigil@<public URL host>`.',
          }),
          'VIGIL_CAP_SENDER',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    edge: Type.Object(
      {
        supervisionSeconds: setting(
          Type.Integer({
            default: 60,
            minimum: 5,
            maximum: 86_400,
            description:
              'A door controller agent not heard from for longer than this is declared offline (`edge.agent_offline`); keep it several heartbeats long.',
          }),
          'VIGIL_EDGE_SUPERVISION_SECONDS',
        ),
        embedded: Type.Object(
          {
            enabled: setting(
              Type.Boolean({
                default: false,
                description:
                  'Run a door controller agent inside the server process (the embedded tier): registered under its own key for `edge.embedded.siteId`, wired from the facility, deciding from its own snapshot and event buffer.',
              }),
              'VIGIL_EDGE_EMBEDDED',
            ),
            siteId: setting(
              Type.String({ default: '', description: 'Site the embedded agent serves (required when enabled).' }),
              'VIGIL_EDGE_SITE_ID',
            ),
            name: setting(
              Type.String({
                default: 'Embedded door controller',
                minLength: 1,
                maxLength: 120,
                description: 'Name the agent is registered under.',
              }),
              'VIGIL_EDGE_NAME',
            ),
            controllerSerial: setting(
              Type.String({
                default: '',
                description:
                  'Serial number of the facility device (kind `edge_agent` or `controller`) that stands for this server as the doors’ controller; the doors naming it as controller are the ones it runs (required when enabled).',
              }),
              'VIGIL_EDGE_CONTROLLER_SERIAL',
            ),
            buses: setting(
              Type.String({
                default: '',
                description:
                  'OSDP buses by the names doors use as `osdpBus`, comma-separated: `main=serial:/dev/ttyUSB0@9600`, `lab=tcp:10.0.4.20:4001`.',
              }),
              'VIGIL_EDGE_OSDP_BUSES',
            ),
            io: setting(
              Type.String({
                default: 'simulated',
                pattern: '^(simulated|osdp:[A-Za-z0-9_-]{1,32}/[0-9]{1,3})$',
                description:
                  'Where doors’ lock outputs and inputs are: `osdp:<bus>/<address>` (an OSDP I/O module), or `simulated` (in memory, for demonstrations).',
              }),
              'VIGIL_EDGE_IO',
            ),
            dataDir: setting(
              Type.String({
                default: 'edge',
                description: 'The agent’s key, event buffer, snapshot and wiring; relative to the data directory.',
              }),
              'VIGIL_EDGE_DATA_DIR',
            ),
            heartbeatSeconds: setting(
              Type.Number({ default: 5, minimum: 0.05, maximum: 300, description: 'How often the embedded agent reports its health.' }),
              'VIGIL_EDGE_HEARTBEAT_SECONDS',
            ),
            wiringPollSeconds: setting(
              Type.Number({
                default: 30,
                minimum: 0.05,
                maximum: 3600,
                description: 'How often the embedded agent looks for door wiring changes.',
              }),
              'VIGIL_EDGE_WIRING_POLL_SECONDS',
            ),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: setting(
          Type.Union(
            [
              Type.Literal('fatal'),
              Type.Literal('error'),
              Type.Literal('warn'),
              Type.Literal('info'),
              Type.Literal('debug'),
              Type.Literal('trace'),
              Type.Literal('silent'),
            ],
            {
              default: 'info',
              description: 'Log level. Credentials, PINs, tokens, TOTP secrets and full card numbers are never logged at any level.',
            },
          ),
          'VIGIL_LOG_LEVEL',
        ),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);

export type Config = Static<typeof ConfigSchema>;

/** Environment variables with the prefix that are not settings (used by the test runner). */
const NON_SETTING_ENV = /^VIGIL_TEST_/;

interface Leaf {
  path: string[];
  schema: TSchema & { env: string; default?: unknown; description?: string; type?: string };
}

export function configLeaves(schema: TSchema = ConfigSchema, prefix: string[] = []): Leaf[] {
  const s = schema as TSchema & { properties?: Record<string, TSchema>; env?: string };
  if (s.env) return [{ path: prefix, schema: s as Leaf['schema'] }];
  return Object.entries(s.properties ?? {}).flatMap(([key, child]) => configLeaves(child, [...prefix, key]));
}

function coerce(leaf: Leaf, raw: string): unknown {
  const type = leaf.schema.type;
  if (type === 'integer' || type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw kernelError('config.invalid', `${leaf.schema.env} must be a number`, { variable: leaf.schema.env });
    return n;
  }
  if (type === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw kernelError('config.invalid', `${leaf.schema.env} must be true or false`, { variable: leaf.schema.env });
  }
  return raw;
}

function setPath(target: Record<string, unknown>, keys: string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    node = (typeof next === 'object' && next !== null ? next : (node[key] = {})) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function withDefaults(leaves: Leaf[], into: Record<string, unknown>): Record<string, unknown> {
  const result = structuredClone(into);
  for (const leaf of leaves) {
    let node: unknown = result;
    for (const key of leaf.path) node = (node as Record<string, unknown> | undefined)?.[key];
    if (node === undefined) setPath(result, leaf.path, leaf.schema.default);
  }
  return result;
}

const validator = Compile(ConfigSchema);

/**
 * Builds the configuration: schema defaults, then `values` (a config file or a test's settings),
 * then `VIGIL_*` variables. Throws `config.invalid` naming every bad or unknown key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = {}, values: Record<string, unknown> = {}): Config {
  const leaves = configLeaves();
  const byEnv = new Map(leaves.map((leaf) => [leaf.schema.env, leaf]));
  const merged = structuredClone(values);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('VIGIL_') || NON_SETTING_ENV.test(name) || raw === undefined) continue;
    const leaf = byEnv.get(name);
    if (!leaf) throw kernelError('config.invalid', `Unknown setting ${name}`, { variable: name });
    setPath(merged, leaf.path, coerce(leaf, raw));
  }
  const complete = withDefaults(leaves, merged);
  if (!validator.Check(complete)) {
    const errors = [...validator.Errors(complete)].map((e) => ({ path: e.instancePath, message: e.message }));
    throw kernelError('config.invalid', `Invalid configuration: ${errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}`, {
      errors,
    });
  }
  return complete;
}

/** Absolute paths derived from the configuration. */
export function resolvePaths(config: Config, cwd = process.cwd()) {
  const dataDir = path.resolve(cwd, config.dataDir);
  return {
    dataDir,
    sqliteFile: path.resolve(dataDir, config.database.sqliteFile),
    signingKeyFile: config.journal.signingKeyFile
      ? path.resolve(cwd, config.journal.signingKeyFile)
      : path.join(dataDir, 'journal-signing.key'),
    secretKeyFile: config.security.secretKeyFile ? path.resolve(cwd, config.security.secretKeyFile) : path.join(dataDir, 'secrets.key'),
  };
}

/** The configuration reference, generated into docs/configuration.md (CI checks it is current). */
export function configReference(): string {
  const rows = configLeaves().map((leaf) => {
    const def = leaf.schema.default;
    const shown = def === '' ? '(empty)' : `\`${String(def)}\``;
    return `| \`${leaf.path.join('.')}\` | \`${leaf.schema.env}\` | ${shown} | ${leaf.schema.description ?? ''} |`;
  });
  return [
    '# Configuration reference',
    '',
    'Generated from `packages/server/src/kernel/config.ts` by `npm run generate`; do not edit by hand.',
    '',
    'Every setting can be given in the environment. Unknown `VIGIL_*` variables are rejected at start, so a typo cannot silently fall back to a default.',
    '',
    '| setting | environment | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
