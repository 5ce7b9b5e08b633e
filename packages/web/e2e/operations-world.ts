/**
 * The operations world the console's end-to-end tests and benchmark run in: the real server with
 * its sample hospital, a signed-in administrator, API calls made with that administrator's own
 * session, and a real door controller agent (`EdgeAgent` from @vigil/edge on the `simulated` I/O
 * backend, in this process) registered through the API and serving the site's doors, so that
 * opening a door contact without a grant reaches the server exactly as it would from a building.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EdgeAgent, SimulatedIo, loadOrCreateAgentKey, parseAgentConfig } from '@vigil/edge';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { firstSignIn, launchBrowser, newPage, startVigil, type RunningVigil } from './harness.js'; // .js: the benchmarks compile this file under NodeNext resolution too

export interface Problem {
  status: number;
  code?: string;
  detail?: string;
}

/** JSON calls with the browser context's session cookie; a refusal throws with the server's problem. */
export class ConsoleApi {
  constructor(private readonly request: APIRequestContext) {}

  static of(context: BrowserContext): ConsoleApi {
    return new ConsoleApi(context.request);
  }

  async call<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
    const response = await this.request.fetch(url, {
      method,
      ...(body === undefined ? {} : { data: body, headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    const payload: unknown = text && (response.headers()['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
    if (!response.ok()) throw new Error(`${method} ${url} answered ${response.status()}: ${text}`);
    return payload as T;
  }

  get<T>(url: string): Promise<T> {
    return this.call<T>('GET', url);
  }

  post<T>(url: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', url, body);
  }

  put<T>(url: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', url, body);
  }

  /** Every item of a cursor-paginated list. */
  async all<T>(url: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator: string = url.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.get(
        `${url}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

export interface SiteDoor {
  id: string;
  name: string;
  floorId: string | null;
  position: { x: number; y: number } | null;
  toZoneId: string | null;
}

export interface SampleSite {
  siteId: string;
  doors: SiteDoor[];
}

export async function sampleSite(api: ConsoleApi): Promise<SampleSite> {
  const sites = await api.all<{ id: string }>('/api/sites');
  const site = sites[0];
  if (!site) throw new Error('the server has no site: was the sample hospital seeded?');
  return { siteId: site.id, doors: await api.all<SiteDoor>(`/api/doors?site=${site.id}`) };
}

/**
 * The rule that turns a forced door into a priority-2 alarm is one of the defaults every
 * installation starts with; this checks it is there and enabled rather than adding a second copy.
 */
export async function forcedDoorAlarmRule(api: ConsoleApi, _siteId: string): Promise<void> {
  const rules = await api.all<{ enabled: boolean; createdBy: string; document: { trigger: { event: unknown } } }>('/api/automation/rules');
  const present = rules.some((r) => r.enabled && r.createdBy === 'system:defaults' && r.document.trigger.event === 'door.forced_open');
  if (!present) throw new Error('the default forced-door rule is missing or disabled');
}

/** Disables the installation's default rule for `event`, as an operator who wants their own would. */
export async function disableDefaultRule(api: ConsoleApi, event: string): Promise<void> {
  const rules = await api.all<{ id: string; version: number; createdBy: string; document: { trigger: { event: unknown } } }>(
    '/api/automation/rules',
  );
  const rule = rules.find((r) => r.createdBy === 'system:defaults' && r.document.trigger.event === event);
  if (!rule) throw new Error(`no default rule for ${event}`);
  await api.post(`/api/automation/rules/${rule.id}/disable`, { version: rule.version });
}

export interface RunningAgent {
  readonly agent: EdgeAgent;
  readonly io: SimulatedIo;
  readonly agentId: string;
  /** Opens (true) or closes a door's contact, as a person pushing the door would. */
  setDoorOpen(doorId: string, open: boolean): void;
  stop(): Promise<void>;
}

export interface AgentOptions {
  /** Wraps the agent's HTTP client (a benchmark notes when events leave for the server). */
  fetch?: typeof fetch;
  heartbeatSeconds?: number;
  /** How long a door may stand open before it reports held open (default 600 s: never, in a test). */
  heldOpenSeconds?: number;
}

/**
 * Registers a new door controller agent for the site through the API and starts it serving the
 * given doors: door n has its lock on simulated point 2n and its contact on point 2n + 1.
 */
export async function startAgent(
  api: ConsoleApi,
  serverUrl: string,
  siteId: string,
  doorIds: readonly string[],
  options: AgentOptions = {},
): Promise<RunningAgent> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-agent-'));
  const key = loadOrCreateAgentKey(path.join(dataDir, 'agent.key'));
  const registered = await api.post<{ agent: { id: string }; snapshotPublicKey: string }>('/api/edge/agents', {
    siteId,
    name: `Console test controller ${path.basename(dataDir)}`,
    publicKey: key.publicKeyPem,
  });
  const contact = new Map(doorIds.map((id, n) => [id, 2 * n + 1]));
  const config = parseAgentConfig({
    siteId,
    dataDir,
    server: {
      url: serverUrl,
      snapshotPublicKey: registered.snapshotPublicKey,
      heartbeatSeconds: options.heartbeatSeconds ?? 1,
      retryMaxSeconds: 1,
      commandWaitSeconds: 5,
    },
    doors: doorIds.map((id, n) => ({
      id,
      lock: { kind: 'simulated', point: 2 * n },
      doorPosition: { kind: 'simulated', point: 2 * n + 1 },
      heldOpenSeconds: options.heldOpenSeconds ?? 600,
    })),
  });
  const io = new SimulatedIo();
  const agent = new EdgeAgent({ config, io, ...(options.fetch ? { fetch: options.fetch } : {}) });
  await agent.start();
  return {
    agent,
    io,
    agentId: registered.agent.id,
    setDoorOpen(doorId, open) {
      const point = contact.get(doorId);
      if (point === undefined) throw new Error(`the agent does not serve door ${doorId}`);
      io.setDoorOpen(point, open);
    },
    async stop() {
      await agent.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Creates an operator with one role on the site and signs them in for the first time in `page`
 * (one-time password, then their own; roles without mandatory MFA need nothing more).
 */
export async function signInNewOperator(api: ConsoleApi, page: Page, username: string, role: string, siteId: string): Promise<void> {
  const created = await api.post<{ oneTimePassword: string }>('/api/operators', {
    username,
    displayName: username.replace(/[._-]/g, ' '),
    roles: [{ role, site: siteId }],
  });
  await page.goto('/');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(created.oneTimePassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('One-time password').fill(created.oneTimePassword);
  await page.getByLabel('New password', { exact: true }).fill('lantern orchard violet compass 42');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

export interface OperationsWorld {
  readonly vigil: RunningVigil;
  readonly browser: Browser;
  /** The administrator's browser context and page, signed in with TOTP. */
  readonly context: BrowserContext;
  readonly page: Page;
  readonly api: ConsoleApi;
  readonly site: SampleSite;
  /** A door controller agent serving every door of the sample site. */
  readonly agent: RunningAgent;
  door(name: string): SiteDoor;
  stop(): Promise<void>;
}

/**
 * The whole world for a test file: the server, a browser, the first administrator signed in,
 * `prepare` run with their session (rules, procedures, plans), then the agent started.
 */
export async function startOperationsWorld(
  prepare: (api: ConsoleApi, site: SampleSite) => Promise<void> = async () => {},
  agentOptions: AgentOptions = {},
): Promise<OperationsWorld> {
  const vigil = await startVigil();
  const cleanup: (() => Promise<void>)[] = [() => vigil.stop()];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    const browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const { context, page } = await newPage(browser, vigil);
    await firstSignIn(page, vigil);
    const api = ConsoleApi.of(context);
    const site = await sampleSite(api);
    await prepare(api, site);
    const agent = await startAgent(
      api,
      vigil.url,
      site.siteId,
      site.doors.map((d) => d.id),
      agentOptions,
    );
    cleanup.push(() => agent.stop());
    const door = (name: string) => {
      const found = site.doors.find((d) => d.name === name);
      if (!found) throw new Error(`the sample site has no door ${name}`);
      return found;
    };
    return { vigil, browser, context, page, api, site, agent, door, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
