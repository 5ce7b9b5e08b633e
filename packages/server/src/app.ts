/**
 * The composition root: the one place that builds every service, in order, from the
 * configuration, and returns symmetric start/stop. Building is separate from listening so tests
 * drive the API with `inject()`. Nothing else in the server constructs services or reads config.
 */
import fs from 'node:fs';
import { EventCatalogue } from '@vigil/core';
import { resolvePaths, type Config } from './kernel/config.js';
import { createLogger, type Logger } from './kernel/logger.js';
import { Journal } from './modules/audit/index.js';
import { openPostgres, openSqlite, ping, type DatabaseHandle } from './storage/database.js';
import { migrateToLatest } from './storage/migrations.js';
import { buildApi, type Api } from './api/server.js';
import { healthRoutes } from './api/routes/health.js';
import type { Authenticator } from './api/types.js';

export const VERSION = '0.1.0';

export interface AppDependencies {
  logger?: Logger;
  clock?: () => Date;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly handle: DatabaseHandle;
  readonly journal: Journal;
  readonly api: Api;
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

    const catalogue = new EventCatalogue();
    const journal = new Journal({ catalogue, clock });

    const authenticator: Authenticator = { authenticate: () => Promise.resolve(null) };

    const api = await buildApi({
      logger,
      authenticator,
      bodyLimitBytes: config.http.bodyLimitBytes,
      uploadLimitBytes: config.http.uploadLimitBytes,
      trustProxy: config.http.trustProxy,
      version: VERSION,
      routes: [healthRoutes],
    });

    return {
      config,
      logger,
      handle,
      journal,
      api,
      async start() {
        return api.listen({ host: config.http.host, port: config.http.port });
      },
      async stop() {
        await api.close();
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
