/**
 * HTTP client for the server's edge routes. Every request is signed with the agent key (see
 * protocol.ts); failures become `agent.server_unreachable` (no answer) or `agent.server_rejected`
 * (an answer with an error, its problem code in `details.code`).
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { agentError } from '../errors.js';
import {
  EDGE_HEADERS,
  contentDigest,
  signRequest,
  signingString,
  type CommandsResponse,
  type Controls,
  type EdgeEvent,
  type HealthReport,
  type HeartbeatResponse,
  type SnapshotResponse,
} from '../protocol.js';
import type { WiringResponse } from '../wiring.js';

export interface ServerClientOptions {
  readonly url: string;
  readonly privateKey: KeyObject;
  readonly keyId: string;
  readonly timeoutMs: number;
  /** Wall-clock milliseconds for the signature timestamp (the real clock, not a test clock). */
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export type { Controls };

export class ServerClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(private readonly options: ServerClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  heartbeat(report: HealthReport, signal?: AbortSignal): Promise<HeartbeatResponse> {
    return this.request('POST', '/api/edge/heartbeat', report, signal);
  }

  snapshot(signal?: AbortSignal): Promise<SnapshotResponse> {
    return this.request('GET', '/api/edge/snapshot', undefined, signal);
  }

  deliver(events: readonly EdgeEvent[], signal?: AbortSignal): Promise<{ acknowledged: string[] }> {
    return this.request('POST', '/api/edge/events', { events }, signal);
  }

  /** The facility's door wiring for the controller registered under `controllerSerial`. */
  wiring(controllerSerial: string, signal?: AbortSignal): Promise<WiringResponse> {
    return this.request('GET', `/api/edge/wiring?controllerSerial=${encodeURIComponent(controllerSerial)}`, undefined, signal);
  }

  /** Waits up to `waitSeconds` on the server for operator commands. */
  commands(waitSeconds: number, controlsVersion: number, signal?: AbortSignal): Promise<CommandsResponse> {
    const query = `waitSeconds=${waitSeconds}&controlsVersion=${controlsVersion}`;
    return this.request('GET', `/api/edge/commands?${query}`, undefined, signal, waitSeconds * 1000);
  }

  private async request<T>(method: 'GET' | 'POST', pathAndQuery: string, body: unknown, signal?: AbortSignal, extraMs = 0): Promise<T> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const timestamp = new Date(this.now()).toISOString();
    const nonce = randomBytes(16).toString('base64url');
    const digest = contentDigest(payload);
    const headers: Record<string, string> = {
      [EDGE_HEADERS.key]: this.options.keyId,
      [EDGE_HEADERS.timestamp]: timestamp,
      [EDGE_HEADERS.nonce]: nonce,
      [EDGE_HEADERS.digest]: digest,
      [EDGE_HEADERS.signature]: signRequest(this.options.privateKey, signingString(method, pathAndQuery, timestamp, nonce, digest)),
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.options.timeoutMs + extraMs);
    let response: Response;
    try {
      response = await this.fetch(`${this.base}${pathAndQuery}`, {
        method,
        headers,
        ...(body !== undefined ? { body: payload } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw agentError('agent.server_unreachable', `${method} ${pathAndQuery}: ${(error as Error).message}`, { path: pathAndQuery });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      let problem: { code?: string; detail?: string; [key: string]: unknown } = {};
      try {
        problem = JSON.parse(text) as typeof problem;
      } catch {
        // Not a problem document (a proxy's error page): the status says enough.
      }
      throw agentError(
        'agent.server_rejected',
        `${method} ${pathAndQuery}: ${response.status} ${problem.code ?? ''} ${problem.detail ?? ''}`,
        {
          status: response.status,
          code: problem.code ?? null,
          problem,
        },
      );
    }
    return JSON.parse(text) as T;
  }
}
