/**
 * The console's one door to the API: JSON over fetch with the session cookie, problem+json errors
 * turned into `ApiError` with the server's stable `code`, so every screen can show the server's
 * own message and react to codes (`auth.required` → sign-in) instead of HTTP statuses.
 */

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.code = problem.code;
    this.status = problem.status;
    this.problem = problem;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function parse(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) return response.json();
  return response.text();
}

/** Listeners told when the server says the session is gone, so the shell can return to sign-in. */
const sessionLost = new Set<() => void>();
export function onSessionLost(listener: () => void): () => void {
  sessionLost.add(listener);
  return () => sessionLost.delete(listener);
}

async function request<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; raw?: BodyInit; contentType?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] = options.contentType ?? 'application/octet-stream';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      type: 'urn:vigil:error:console.unreachable',
      title: 'Vigil cannot be reached',
      status: 0,
      detail: 'The server did not answer. Check the network connection; the console retries on its own.',
      code: 'console.unreachable',
    });
  }
  const payload = await parse(response);
  if (!response.ok) {
    const problem =
      payload && typeof payload === 'object' && 'code' in payload
        ? (payload as Problem)
        : {
            type: 'about:blank',
            title: response.statusText,
            status: response.status,
            detail: typeof payload === 'string' ? payload : '',
            code: `http.${response.status}`,
          };
    if (problem.code === 'auth.required') for (const listener of sessionLost) listener();
    throw new ApiError(problem);
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A raw upload (CSV, SVG) with its content type. */
  upload: <T>(method: 'POST' | 'PUT', path: string, raw: BodyInit, contentType: string, query?: Query) =>
    request<T>(method, path, { raw, contentType, query }),
};

/** Every page of a cursor-paginated list (for lists an operator expects to see whole: sites, zones). */
export async function allPages<T>(path: string, query: Query = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 500, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
