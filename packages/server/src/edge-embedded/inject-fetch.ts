/**
 * `fetch` for the embedded agent that hands each signed request to the server's own request
 * handling in-process: the same routes, the same signature check and agent authorisation, the
 * same idempotent event delivery as an agent on the network, without a socket or a port.
 */

export interface InjectRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string;
  readonly signal?: AbortSignal;
}

export interface InjectResponse {
  readonly statusCode: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | number | undefined>;
}

export type Injector = (request: InjectRequest) => Promise<InjectResponse>;

export interface InProcessFetch {
  readonly fetch: typeof fetch;
  /** Resolves when every request handed over has been answered or abandoned by its caller. */
  settled(): Promise<void>;
}

export function injectFetch(inject: Injector): InProcessFetch {
  const inFlight = new Set<Promise<unknown>>();
  const call = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`The agent does not send ${method}`);
    init.signal?.throwIfAborted();
    const answer = inject({
      method,
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof init.body === 'string' ? { payload: init.body } : {}),
      // Aborting closes the request as a hung-up client would, so a long poll stops waiting for it.
      ...(init.signal ? { signal: init.signal } : {}),
    });
    inFlight.add(answer);
    void answer.finally(() => inFlight.delete(answer)).catch(() => undefined);
    const response = await answer;
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(response.statusCode === 204 ? null : response.body, { status: response.statusCode, headers });
  };
  return {
    fetch: call,
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
