/**
 * The composition root: the one place that builds every service, in order, from the
 * configuration, and returns symmetric start/stop. Building is separate from listening so tests
 * drive the API with `inject()`. Nothing else in the server constructs services or reads config.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isVigilError, type VigilEvent } from '@vigil/core';
import { eventCatalogue } from './catalogue.js';
import { resolvePaths, type Config } from './kernel/config.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { kernelError } from './kernel/errors.js';
import { InProcessBus, NatsBus, type EventBus } from './bus/index.js';
import { Intake, JournalRelay } from './intake/index.js';
import { loadDeviceMapping, MqttAdapter, sharedGroupOf } from './adapters/mqtt/index.js';
import {
  Checkpointer,
  Journal,
  JournalVerifications,
  journalExported,
  loadOrCreateSigningKey,
  getEvent,
  searchJournal,
  trustedKeys,
} from './modules/audit/index.js';
import { DeviceSightings, FacilityService } from './modules/facility/index.js';
import { createIdentity, SecretBox, type Identity, type ScryptCost } from './modules/identity/index.js';
import { createPeopleModule, type PeopleModule } from './modules/people/index.js';
import { createAccessModule, type AccessModule } from './modules/access/index.js';
import { createAlarms, type AlarmsModule } from './modules/alarms/index.js';
import { AccessDoorCommands, createAutomation, createNotifications, type Automation } from './modules/automation/index.js';
import { openPostgres, openSqlite, ping, type DatabaseHandle } from './storage/database.js';
import { migrateToLatest } from './storage/migrations.js';
import { installationId } from './storage/installation.js';
import { buildApi, type Api } from './api/server.js';
import { facilityWiring } from './edge-embedded/wiring-source.js';
import { EmbeddedEdge } from './edge-embedded/embedded.js';
import { healthRoutes } from './api/routes/health.js';
import { authRoutes } from './api/routes/auth.js';
import { operatorRoutes } from './api/routes/operators.js';
import { tokenRoutes } from './api/routes/tokens.js';
import { facilityRoutes } from './api/routes/facility.js';
import { peopleRoutes } from './api/routes/people.js';
import { edgeRoutes } from './api/routes/access-edge.js';
import { doorControlRoutes } from './api/routes/access-doors.js';
import { accessPolicyRoutes } from './api/routes/access-policy.js';
import { alarmRoutes } from './api/routes/alarms.js';
import { automationRoutes } from './api/routes/automation.js';
import { notificationRoutes } from './api/routes/notifications.js';
import { emergencyRoutes } from './api/routes/emergency.js';
import { consoleRoutes, DEFAULT_CONSOLE_DIR } from './api/console.js';
import { journalRoutes } from './api/routes/journal.js';
import { outputRoutes } from './api/routes/access-outputs.js';
import { pinLockoutRoutes } from './api/routes/access-pin-lockouts.js';
import { eventTypeRoutes } from './api/routes/event-types.js';
import { LiveHub, liveRoutes } from './api/live.js';
import type { Authenticator } from './api/types.js';

export const VERSION = '0.1.0';

export interface AppDependencies {
  logger?: Logger;
  clock?: () => Date;
  /** scrypt cost for new password hashes (tests use a cheap one; stored hashes carry their own). */
  passwordCost?: ScryptCost;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly handle: DatabaseHandle;
  readonly journal: Journal;
  /** Operators, sessions and tokens; the CLI's `create-admin` uses `identity.operators.createAdmin`. */
  readonly identity: Identity;
  /** Sites, buildings, floors, zones, doors and devices; the quick start seeds it with `seedSampleFacility`. */
  readonly facility: FacilityService;
  /** Persons, credentials, training, the HR feed; the CLI's `import` calls `people.importPeopleCsv`. */
  readonly people: PeopleModule;
  /** Access policy, signed snapshots, edge agents, door control. */
  readonly access: AccessModule;
  /** The alarm queue and workflow, procedures, shelving, escalation, incidents. */
  readonly alarms: AlarmsModule;
  /** Rules, correlation, emergency plans and drills, notifications. */
  readonly automation: Automation;
  /** The live WebSocket stream's clients. */
  readonly live: LiveHub;
  readonly api: Api;
  /** Event bus: in-process, or NATS JetStream when `bus.natsUrl` is set. */
  readonly bus: EventBus;
  /** Validates, journals (group commit) and fans out events. */
  readonly intake: Intake;
  /** MQTT sensors, when `mqtt.url` is set. */
  readonly mqtt: MqttAdapter | undefined;
  /** The door controller agent run inside the server, when `edge.embedded.enabled` is set. */
  readonly edge: EmbeddedEdge | undefined;
  /** Starts background work (checkpoints, jobs) and listens; resolves to the URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

export function openDatabase(config: Config): DatabaseHandle {
  const paths = resolvePaths(config);
  fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
  return config.database.url
    ? openPostgres({ url: config.database.url, poolSize: config.database.poolSize })
    : openSqlite({ file: paths.sqliteFile });
}

export async function createApp(config: Config, deps: AppDependencies = {}): Promise<App> {
  const logger = deps.logger ?? createLogger(config.log.level);
  const clock = deps.clock ?? (() => new Date());
  const handle = openDatabase(config);
  try {
    await ping(handle);
    await migrateToLatest(handle.db, { dialect: handle.dialect });

    const catalogue = eventCatalogue();
    const journalKey = loadOrCreateSigningKey(resolvePaths(config).signingKeyFile);
    const checkpointer = new Checkpointer({
      db: handle.db,
      key: journalKey,
      every: config.journal.checkpointEvery,
      intervalSeconds: config.journal.checkpointIntervalSeconds,
      clock,
      onError: (error) => logger.error({ err: error }, 'journal checkpoint failed'),
    });
    const journal = new Journal({ catalogue, clock, afterAppend: checkpointer.afterAppend, dialect: handle.dialect });

    const nodeName = config.bus.nodeName || os.hostname().replace(/[^A-Za-z0-9_-]/g, '_');
    const natsServers = config.bus.natsUrl ? config.bus.natsUrl.split(',').map((s) => s.trim()) : [];
    const bus: EventBus =
      natsServers.length > 0
        ? new NatsBus({ servers: natsServers, subjectPrefix: config.bus.natsSubjectPrefix, nodeName, logger })
        : new InProcessBus({ logger });
    const relay = natsServers.length > 0 ? new JournalRelay({ db: handle.db, bus, logger, clock }) : undefined;
    const intake = new Intake({
      db: handle.db,
      journal,
      catalogue,
      bus,
      logger,
      batchSize: config.intake.batchSize,
      maxDelayMs: config.intake.maxDelayMs,
      queueLimit: config.intake.queueLimit,
      sourceRate: { ratePerSecond: config.intake.sourceRatePerSecond, burst: config.intake.sourceBurst },
      onFanOutFailed: () => relay?.nudge(),
    });
    if (config.mqtt.url && !config.mqtt.devicesFile) {
      throw kernelError('config.invalid', 'VIGIL_MQTT_DEVICES_FILE must name the device mapping when VIGIL_MQTT_URL is set', {
        variable: 'VIGIL_MQTT_DEVICES_FILE',
      });
    }
    const mqttAdapter = config.mqtt.url
      ? new MqttAdapter({
          url: config.mqtt.url,
          clientId: `vigil-${nodeName}`,
          protocolVersion: config.mqtt.protocolVersion === 4 ? 4 : 5,
          sharedGroup: await sharedGroupOf(config.mqtt.sharedGroup, () => installationId(handle.db, clock)),
          mapping: loadDeviceMapping(path.resolve(config.mqtt.devicesFile)),
          intake,
          logger,
          clock,
          // The registry keeps last-seen and battery for devices registered under the sensor's serial.
          onHeard: (serial, at, battery) => void sightings.heard(serial, at, battery),
          onSilent: (serial) => void sightings.silent(serial),
        })
      : undefined;

    const facility = new FacilityService({
      db: handle.db,
      record: journal.record,
      publish: (events) => intake.publishCommitted(events),
      clock,
    });
    const sightings = new DeviceSightings(facility.devices, { minIntervalMs: 60_000, logger });
    const people = createPeopleModule(
      { db: handle.db, record: journal.record, clock, publish: (events) => intake.publishCommitted(events) },
      { hrDropDir: config.hr.dropDir ? path.resolve(config.hr.dropDir) : '', hrPollSeconds: config.hr.pollSeconds, logger },
    );

    const identity = createIdentity({
      db: handle.db,
      record: journal.record,
      clock,
      policy: config.security,
      secretKeyFile: resolvePaths(config).secretKeyFile,
      ...(deps.passwordCost ? { passwordCost: deps.passwordCost } : {}),
      // Roles and tokens may only name sites that exist.
      siteExists: async (site) => {
        try {
          await facility.sites.get(site);
          return true;
        } catch (e) {
          if (isVigilError(e) && e.kind === 'not_found') return false;
          throw e;
        }
      },
    });
    const access = createAccessModule(
      { db: handle.db, record: journal.record, clock, publish: (events) => intake.publishCommitted(events) },
      {
        snapshotSigningKey: loadOrCreateSigningKey(path.join(resolvePaths(config).dataDir, 'access-snapshot.key')),
        validate: (draft) => catalogue.validate(draft),
        agentSupervisionSeconds: config.edge.supervisionSeconds,
        onSupervisionError: (error) => logger.warn({ err: error }, 'edge agent supervision check failed; retrying next check'),
        readerHealth: async (serialNumber, online, reason) => {
          await facility.devices.recordHeartbeat(
            { serialNumber },
            { status: online ? 'online' : 'offline', ...(reason ? { reason } : {}) },
          );
        },
      },
    );
    // Signed agent requests first; anything else is an operator's session or API token.
    const authenticator: Authenticator = {
      authenticate: async (request) => (await access.agents.authenticate(request)) ?? identity.authenticator.authenticate(request),
    };

    const modulePorts = {
      db: handle.db,
      record: journal.record,
      publish: (events: readonly VigilEvent[]) => intake.publishCommitted(events),
      clock,
      logger,
    };
    const notifications = createNotifications({
      ...modulePorts,
      sealer: SecretBox.openOrCreate(resolvePaths(config).secretKeyFile),
      smtpUrl: config.notifications.smtpUrl,
      mailFrom: config.notifications.mailFrom,
      webhookTimeoutMs: config.notifications.webhookTimeoutMs,
      maxAttempts: config.notifications.maxAttempts,
      retryBaseMs: 2000,
    });
    const alarms = createAlarms({ ...modulePorts, escalation: notifications.oncall, maxShelveMinutes: config.alarms.maxShelveMinutes });
    const doorControl = new AccessDoorCommands(access.doors, bus, clock, access.outputs);
    const automation = createAutomation({
      ...modulePorts,
      bus,
      catalogue,
      facility,
      alarms,
      notifications,
      search: (query) => searchJournal(handle.db, query),
      doors: doorControl,
      doorStates: doorControl,
      doorTimeoutMs: config.automation.doorConfirmTimeoutMs,
      doorRetryMs: 2000,
      maxChainFirings: config.automation.ruleChainLimit,
    });
    const publicUrl = config.http.publicUrl || `http://${config.http.host}:${config.http.port}`;
    const capSender = config.notifications.capSender || `vigil@${new URL(publicUrl).hostname}`;
    const live = new LiveHub({ bus, authenticator });
    const verifications = new JournalVerifications({
      db: handle.db,
      record: journal.record,
      clock,
      // As `vigil audit verify` does: this key and the keys trusted in journal-trusted-keys/ (those
      // of a restored journal, confirmed at restore), read at each verification.
      publicKeys: () => trustedKeys({ signingKeyFile: resolvePaths(config).signingKeyFile }, []),
      checkpointEvery: config.journal.checkpointEvery,
      subjectsOf: (type) => catalogue.subjectsOf(type),
    });

    const api = await buildApi({
      logger,
      authenticator,
      bodyLimitBytes: config.http.bodyLimitBytes,
      uploadLimitBytes: config.http.uploadLimitBytes,
      trustProxy: config.http.trustProxy,
      version: VERSION,
      routes: [
        // The WebSocket plugin goes first so it sees every route.
        liveRoutes(live),
        healthRoutes,
        authRoutes({ identity, secureCookies: config.http.publicUrl.startsWith('https://') }),
        operatorRoutes(identity.operators),
        tokenRoutes(identity.tokens),
        facilityRoutes(facility),
        peopleRoutes(people),
        accessPolicyRoutes(access),
        doorControlRoutes(access, access.doors.forOperators(automation.live)),
        outputRoutes(access),
        pinLockoutRoutes(access),
        edgeRoutes(access, facilityWiring(facility)),
        alarmRoutes(alarms),
        automationRoutes(automation),
        notificationRoutes(notifications),
        emergencyRoutes(automation, { capSender, publicUrl }),
        eventTypeRoutes(() => catalogue.definitions()),
        journalRoutes({
          search: (query) => searchJournal(handle.db, query),
          get: (id) => getEvent(handle.db, id),
          verify: (by) => verifications.run(by),
          latestVerification: () => verifications.latest(),
          recordExport: async (by, filters, rows, truncated) => {
            await handle.db
              .transaction()
              .execute((trx) => journal.record(trx, [journalExported.draft({ site: null, source: by }, { filters, rows, truncated })]));
          },
        }),
        consoleRoutes(config.http.consoleDir || DEFAULT_CONSOLE_DIR),
      ],
    });

    const edge = config.edge.embedded.enabled
      ? new EmbeddedEdge({
          settings: config.edge.embedded,
          dataDir: resolvePaths(config).dataDir,
          access,
          inject: (request) => api.inject(request),
          logger,
        })
      : undefined;

    return {
      config,
      logger,
      handle,
      journal,
      identity,
      facility,
      people,
      access,
      alarms,
      automation,
      live,
      api,
      bus,
      intake,
      mqtt: mqttAdapter,
      edge,
      async start() {
        await bus.start();
        checkpointer.start();
        relay?.start();
        mqttAdapter?.start();
        people.hrDrop?.start();
        await automation.start();
        alarms.start();
        access.supervision.start();
        // In-process requests need no listening socket: the doors come up before the API opens.
        await edge?.start();
        return api.listen({ host: config.http.host, port: config.http.port });
      },
      async stop() {
        await edge?.stop();
        await api.close();
        await access.supervision.stop();
        await automation.stop();
        await alarms.stop();
        await people.hrDrop?.stop();
        await mqttAdapter?.stop();
        await intake.stop();
        await relay?.stop();
        await bus.stop();
        await checkpointer.stop();
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
