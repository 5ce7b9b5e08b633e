/**
 * The simulator's side of Vigil's public API: JSON over HTTP with a bearer token, a timeout on
 * every request, and every failure turned into a `VigilError` a person can act on. A problem
 * document from Vigil keeps Vigil's own stable code; a Vigil that does not answer, a refused
 * token and a missing permission get the simulator's codes.
 */
import { VigilError, type ErrorKind } from '@vigil/core';
import { simulatorError } from '../errors.js';

export interface VigilClientOptions {
  readonly baseUrl: string;
  readonly token: string;
  /** Per request (default 15 s); a Vigil that does not answer within it counts as unreachable. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

const KIND_BY_STATUS: Record<number, ErrorKind> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

export class VigilClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: VigilClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  get token(): string {
    return this.options.token;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body });
  }

  /** Every item of a cursor-paginated list. */
  async all<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; nextCursor: string | null }>(path, { ...query, limit: 500, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  async request<T>(method: string, path: string, options: { query?: Query | undefined; body?: unknown } = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw unreachable(this.baseUrl, e);
    }
    const text = await response.text();
    if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
    throw problemError(this.baseUrl, method, path, response.status, text);
  }
}

function unreachable(baseUrl: string, e: unknown): VigilError {
  const inner = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const cause = e instanceof Error ? (inner?.code ?? (e.name === 'TimeoutError' ? e.name : (inner?.message ?? e.message))) : String(e);
  const why = cause === 'TimeoutError' ? 'did not answer in time' : `cannot be reached (${cause})`;
  return simulatorError('simulator.vigil_unreachable', `Vigil at ${baseUrl} ${why}. Is it running? Start it with: npm start`, {
    url: baseUrl,
    cause,
  });
}

function problemError(baseUrl: string, method: string, path: string, status: number, text: string): VigilError {
  type Problem = { code?: unknown; detail?: unknown; title?: unknown };
  let problem: Problem | null;
  try {
    problem = JSON.parse(text) as Problem | null;
  } catch {
    problem = null;
  }
  const code = typeof problem?.code === 'string' ? problem.code : null;
  const detail = typeof problem?.detail === 'string' ? problem.detail : typeof problem?.title === 'string' ? problem.title : '';
  if (status === 401) {
    return simulatorError('simulator.credentials_refused', `Vigil at ${baseUrl} refused the API token${detail ? `: ${detail}` : ''}`, {
      url: baseUrl,
      ...(code ? { vigilCode: code } : {}),
    });
  }
  if (status === 403) {
    return simulatorError('simulator.permissions_missing', `The API token may not ${method} ${path}${detail ? `: ${detail}` : ''}`, {
      ...(code ? { vigilCode: code } : {}),
    });
  }
  if (!code) {
    return simulatorError('simulator.unexpected_response', `${method} ${path} answered ${status} without a problem document`, {
      status,
      url: baseUrl,
    });
  }
  return new VigilError(code, KIND_BY_STATUS[status] ?? 'internal', detail || `${method} ${path} failed with ${status}`, { status });
}
