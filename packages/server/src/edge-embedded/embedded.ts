/**
 * The embedded tier: a door controller agent inside the server process. It is an agent like any
 * other — its own key in its own data directory, registered for one site, every request signed
 * and checked by the same routes — only its requests go to the server's request handling
 * in-process instead of over the network. Its doors decide from its own snapshot and event buffer
 * and never wait for those requests.
 */
import { isVigilError } from '@vigil/core';
import { WiredAgent, loadOrCreateAgentKey, type AgentConfig, type IoBackend } from '@vigil/edge';
import path from 'node:path';
import type { Logger } from '../kernel/logger.js';
import type { AccessModule } from '../modules/access/index.js';
import { injectFetch, type InProcessFetch, type Injector } from './inject-fetch.js';
import { embeddedAgentConfig, type EmbeddedSettings } from './settings.js';

const ACTOR = 'system:edge-embedded';

export interface EmbeddedEdgeOptions {
  readonly settings: EmbeddedSettings;
  /** The server's data directory (the agent's own directory is inside it). */
  readonly dataDir: string;
  readonly access: Pick<AccessModule, 'agents' | 'snapshotPublicKeyPem'>;
  readonly inject: Injector;
  readonly logger: Logger;
  /** The backend of `simulated` I/O (tests look at its lock outputs). */
  readonly io?: IoBackend;
}

export class EmbeddedEdge {
  readonly config: AgentConfig;
  readonly runner: WiredAgent;
  private readonly transport: InProcessFetch;
  private registration: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: EmbeddedEdgeOptions) {
    this.config = embeddedAgentConfig(options.settings, options.dataDir, options.access.snapshotPublicKeyPem);
    this.transport = injectFetch(options.inject);
    this.runner = new WiredAgent({
      config: this.config,
      fetch: this.transport.fetch,
      logger: options.logger.child({ component: 'edge-embedded' }),
      ...(options.io ? { io: options.io } : {}),
    });
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.register();
    await this.runner.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.registration) clearTimeout(this.registration);
    this.registration = null;
    await this.runner.stop();
    // Requests the stopped agent abandoned have let go of the server before it closes.
    await this.transport.settled();
  }

  /**
   * Registers the agent's key for its site the first time, journaled like an operator's
   * registration. A key already registered (or revoked: the server then refuses the agent, as it
   * would any revoked agent) is left as it is. A site not created yet is retried, so the server
   * can start before the integrator has set the site up.
   */
  private async register(): Promise<void> {
    const { settings, access, logger } = this.options;
    const key = loadOrCreateAgentKey(path.join(this.config.dataDir, 'agent.key'));
    try {
      const agent = await access.agents.register(ACTOR, { siteId: settings.siteId, name: settings.name, publicKey: key.publicKeyPem });
      logger.info({ agentId: agent.id, keyId: agent.keyId }, 'embedded door controller registered');
    } catch (error) {
      if (isVigilError(error) && error.code === 'edge.agent_exists') return;
      if (!isVigilError(error) || error.code !== 'access_policy.other_site') throw error;
      logger.warn({ siteId: settings.siteId }, 'the embedded door controller’s site does not exist yet; registration is retried');
      if (!this.stopped) this.registration = setTimeout(() => void this.retry(), settings.wiringPollSeconds * 1000);
    }
  }

  private async retry(): Promise<void> {
    this.registration = null;
    try {
      await this.register();
    } catch (error) {
      this.options.logger.error({ err: error }, 'embedded door controller registration failed');
    }
  }
}
