/**
 * Runs the agent on the door wiring the facility keeps for its controller. The last good wiring
 * is kept in the data directory next to the last good snapshot, so the box starts and decides
 * without the server; the server is asked for changes in the background, and a changed wiring
 * that fits the box (its buses, its I/O) replaces the running one by restarting the agent on it.
 * A wiring that does not fit is refused with its code and the running doors stay as they are.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isVigilError } from '@vigil/core';
import { EdgeAgent, type AgentLogger, type AgentOptions } from './agent.js';
import type { AgentConfig } from './config.js';
import { agentError } from './errors.js';
import { loadOrCreateAgentKey } from './keys.js';
import { ServerClient } from './sync/client.js';
import { applyWiring, isWiring, type WiringResponse } from './wiring.js';

const silent: AgentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const codeOf = (error: unknown) => (isVigilError(error) ? error.code : 'agent.config_invalid');

export class WiredAgent {
  private current: EdgeAgent | null = null;
  /** The configuration the running agent was started on, to go back to when a new wiring fails to start. */
  private running: AgentConfig;
  private version: string | null = null;
  private refused: { version: string; code: string } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private polling: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly abort = new AbortController();
  private readonly client: ServerClient | null;
  private readonly file: string;
  private readonly logger: AgentLogger;

  constructor(private readonly options: AgentOptions) {
    const { config } = options;
    this.logger = options.logger ?? silent;
    this.running = config;
    this.file = path.join(config.dataDir, 'wiring.json');
    const key = loadOrCreateAgentKey(path.join(config.dataDir, 'agent.key'));
    this.client =
      config.wiring && !options.offline
        ? new ServerClient({
            url: config.server.url,
            privateKey: key.privateKey,
            keyId: key.keyId,
            timeoutMs: config.server.requestTimeoutSeconds * 1000,
            ...(options.fetch ? { fetch: options.fetch } : {}),
          })
        : null;
  }

  /** The running agent (a new one after each wiring change). */
  get agent(): EdgeAgent {
    if (!this.current) throw agentError('agent.config_invalid', 'The agent is not running');
    return this.current;
  }

  /** The version of the facility wiring the doors run on; null: the local file only. */
  get wiringVersion(): string | null {
    return this.version;
  }

  /** The last wiring the server offered that did not fit this box, with its error code. */
  get refusedWiring(): { version: string; code: string } | null {
    return this.refused;
  }

  async start(): Promise<void> {
    this.stopped = false;
    const stored = this.readStored();
    let config = this.options.config;
    if (stored) {
      try {
        config = applyWiring(config, stored);
        this.version = stored.version;
      } catch (error) {
        // The box changed under its stored wiring (a bus renamed): run the local doors until the server answers.
        this.logger.warn({ err: error, code: codeOf(error) }, 'stored wiring does not fit this agent; starting on the local configuration');
      }
    }
    await this.launch(config);
    if (this.client) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.polling;
    await this.current?.stop();
    this.current = null;
  }

  /** Asks the server for the wiring now; resolves once it is applied, unchanged or refused. */
  refresh(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A failed check is logged and the next one still scheduled: a rejection here would end the process.
    this.polling = this.polling
      .then(() => this.poll())
      .catch((error: unknown) => this.logger.error({ err: error, code: codeOf(error) }, 'wiring check failed; checking again later'));
    return this.polling.then(() => this.schedule(this.options.config.wiring!.pollSeconds * 1000));
  }

  private schedule(ms: number): void {
    if (this.stopped || !this.client) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private async poll(): Promise<void> {
    const { client } = this;
    const wiring = this.options.config.wiring;
    if (!client || !wiring || this.stopped) return;
    let offered: WiringResponse;
    try {
      offered = await client.wiring(wiring.controllerSerial, this.abort.signal);
      if (!isWiring(offered)) throw agentError('agent.server_rejected', 'The server answered with a malformed wiring', {});
    } catch (error) {
      if (!this.stopped) this.logger.warn({ err: error, code: codeOf(error) }, 'wiring not fetched; the doors keep their wiring');
      return;
    }
    // With no agent running (even the previous wiring failed to start again) the offer is tried again.
    if (this.current && (offered.version === this.version || offered.version === this.refused?.version)) return;
    let next: AgentConfig;
    try {
      next = applyWiring(this.options.config, offered);
    } catch (error) {
      this.refused = { version: offered.version, code: codeOf(error) };
      this.current?.health.setAlarm('wiring_rejected', true, this.refused.code);
      this.logger.error({ err: error, code: this.refused.code }, 'wiring refused; the doors keep their last good wiring');
      return;
    }
    if (this.stopped) return;
    await this.restart(next, offered);
  }

  /**
   * Moves the doors onto a new wiring. One the agent cannot start on is refused like a wiring that
   * does not fit, and the doors go back to the previous one; only a started wiring is stored, so
   * the box never boots on one that failed.
   */
  private async restart(config: AgentConfig, wiring: WiringResponse): Promise<void> {
    const previous = this.running;
    if (this.current) await this.stopQuietly(this.current);
    try {
      await this.launch(config);
    } catch (error) {
      this.refused = { version: wiring.version, code: codeOf(error) };
      this.logger.error({ err: error, code: this.refused.code }, 'wiring did not start; the doors go back to their last good wiring');
      await this.launch(previous);
      this.agent.health.setAlarm('wiring_rejected', true, this.refused.code);
      return;
    }
    this.version = wiring.version;
    this.refused = null;
    try {
      this.writeStored(wiring);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'wiring applied but not stored; after a restart the box runs its previous wiring until it asks again',
      );
    }
    this.logger.info({ wiringVersion: wiring.version, doors: config.doors.length }, 'door wiring applied');
  }

  /** Starts an agent on `config`; one that fails to start is stopped again, so it holds no reader link or buffer. */
  private async launch(config: AgentConfig): Promise<void> {
    this.current = null;
    const agent = new EdgeAgent({ ...this.options, config });
    try {
      await agent.start();
    } catch (error) {
      await this.stopQuietly(agent);
      throw error;
    }
    this.current = agent;
    this.running = config;
  }

  /** A stop that fails is logged: the next agent starts all the same, the doors need one. */
  private async stopQuietly(agent: EdgeAgent): Promise<void> {
    try {
      await agent.stop();
    } catch (error) {
      this.logger.warn({ err: error }, 'the agent did not stop cleanly');
    }
  }

  private readStored(): WiringResponse | null {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      return null;
    }
    return isWiring(parsed) ? parsed : null;
  }

  /** Written to a temporary file and renamed over, so a power cut never leaves half a wiring. */
  private writeStored(wiring: WiringResponse): void {
    const temporary = `${this.file}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(wiring), { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }
}
