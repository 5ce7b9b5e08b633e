import { defineErrors, errorFactory } from '@vigil/core';

export const kernelErrors = defineErrors({
  'config.invalid': {
    kind: 'invalid',
    description: 'A setting is unknown or has the wrong type; the message names it. Vigil refuses to start.',
  },
  'storage.unavailable': { kind: 'unavailable', description: 'The database could not be reached or opened.' },
  'storage.migration_failed': { kind: 'internal', description: 'A schema migration failed; nothing of it was applied.' },
  'request.invalid': {
    kind: 'invalid',
    description: 'The request body, query or parameters do not match the route schema; `errors` lists each failing path.',
  },
  'request.malformed': { kind: 'invalid', description: 'The request body is not well-formed JSON (or the declared content type).' },
  'request.too_large': { kind: 'too_large', description: 'The request body exceeds the configured limit.' },
  'request.unsupported_media_type': { kind: 'invalid', description: 'The request content type is not accepted by this route.' },
  'request.not_found': { kind: 'not_found', description: 'No route matches the method and path.' },
  'request.rate_limited': {
    kind: 'rate_limited',
    description: 'Too many requests from this client; retry after the time in `Retry-After`.',
  },
  'internal.error': {
    kind: 'internal',
    description: 'An unexpected fault; it was logged with the request id. Nothing was partially written.',
  },
  'page.invalid_cursor': { kind: 'invalid', description: 'A pagination cursor is malformed or belongs to another list.' },
});

export const kernelError = errorFactory(kernelErrors);
