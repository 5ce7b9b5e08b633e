/**
 * Transfers the JSON client cannot make: an upload that reports how much has been sent (`fetch`
 * cannot, so it goes through XMLHttpRequest) and a file download that also reads the answer's
 * headers. Both read a refusal exactly as the API client does: problem+json → ApiError with the
 * server's code.
 */
import { ApiError, type Problem } from '../../api/client.ts';

export interface UploadProgress {
  sent: number;
  total: number;
}

const unreachable = (what: string) =>
  new ApiError({
    type: 'urn:vigil:error:console.unreachable',
    title: 'Vigil cannot be reached',
    status: 0,
    detail: `The ${what} did not reach the server. Check the network connection and try again.`,
    code: 'console.unreachable',
  });

/** The ApiError for a refused request, from its status and body text. */
function refusal(status: number, statusText: string, text: string): ApiError {
  let payload: unknown = null;
  try {
    payload = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the text becomes the detail.
  }
  const problem: Problem =
    payload && typeof payload === 'object' && 'code' in payload
      ? (payload as Problem)
      : { type: 'about:blank', title: statusText, status, detail: text, code: `http.${status}` };
  return new ApiError(problem);
}

export function uploadWithProgress<T>(
  method: 'POST' | 'PUT',
  url: string,
  body: Blob,
  contentType: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.lengthComputable ? event.total : body.size });
    xhr.onerror = () => reject(unreachable('upload'));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(refusal(xhr.status, xhr.statusText, xhr.responseText));
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } catch {
        reject(refusal(xhr.status, xhr.statusText, xhr.responseText));
      }
    };
    xhr.send(body);
  });
}

/**
 * Downloads `url` and hands the browser the file (named by the server's content-disposition, or
 * `fallbackName`). Resolves with the answer's headers so the caller can report on them.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<Headers> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw unreachable('download');
  }
  if (!response.ok) throw refusal(response.status, response.statusText, await response.text());
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return response.headers;
}
