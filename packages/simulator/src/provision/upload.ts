/**
 * Vigil's two non-JSON uploads, the people CSV and the floor-plan SVGs, sent through the same
 * client as every other call so they get its timeout and its error handling (unreachable, refused
 * token, problem documents): the client's JSON body is swapped for the file at the fetch it uses.
 */
import { VigilClient, type VigilClientOptions } from '../live/vigil-client.js';

export interface Upload {
  readonly method: 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Record<string, string | number | boolean>;
  readonly contentType: string;
  readonly body: string;
}

export function upload<T>(options: VigilClientOptions, file: Upload): Promise<T> {
  const fetchImpl = options.fetch ?? fetch;
  const client = new VigilClient({
    ...options,
    fetch: (input, init) =>
      fetchImpl(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), 'content-type': file.contentType },
        body: file.body,
      }),
  });
  return client.request<T>(file.method, file.path, { query: file.query, body: '' });
}
