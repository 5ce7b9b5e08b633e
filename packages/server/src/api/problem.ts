/**
 * The one place where errors become HTTP: RFC 9457 problem+json with the stable `code`.
 * Domain code throws VigilError with a kind; this file alone knows which status a kind means.
 */
import type { ErrorKind } from '@vigil/core';
import { isVigilError, type VigilError } from '@vigil/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { kernelError } from '../kernel/errors.js';
import { errorCatalogue } from './error-catalogue.js';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  integrity: 500,
  internal: 500,
};

export function statusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  [extension: string]: unknown;
}

/** Turns what fastify and its plugins throw into our own codes. */
function fromFastify(error: FastifyError): VigilError {
  if (error.validation) {
    const errors = error.validation.map((v) => ({
      location: `${error.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'is invalid',
      ...(v.keyword === 'additionalProperties' ? { field: (v.params as { additionalProperty?: string }).additionalProperty } : {}),
    }));
    return kernelError(
      'request.invalid',
      `Request ${error.validationContext ?? 'body'} is invalid: ${errors.map((e) => `${e.location} ${e.message}`).join('; ')}`,
      { errors },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return kernelError('request.malformed', 'Request body is not valid JSON', {});
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return kernelError('request.too_large', 'Request body is larger than this endpoint accepts', {});
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return kernelError('request.unsupported_media_type', `Content type ${String(error.message)} is not accepted here`, {});
    default:
      break;
  }
  if (error instanceof SyntaxError || error.statusCode === 400) return kernelError('request.malformed', 'Request is malformed', {});
  if (error.statusCode === 429) return kernelError('request.rate_limited', 'Too many requests', {});
  return kernelError('internal.error', 'Internal error', {});
}

export function toProblem(error: unknown, request: FastifyRequest): { problem: Problem; internal: boolean } {
  const vigil = isVigilError(error) ? error : fromFastify(error as FastifyError);
  const status = statusOf(vigil.kind);
  const internal = status >= 500 && vigil.kind !== 'unavailable';
  const { ...details } = vigil.details;
  return {
    internal,
    problem: {
      type: `urn:vigil:error:${vigil.code}`,
      title: errorCatalogue()[vigil.code]?.description ?? vigil.code,
      status,
      detail: internal ? 'An internal error occurred; it was logged with the request id.' : vigil.message,
      code: vigil.code,
      instance: request.url.split('?')[0] ?? request.url,
      requestId: request.id,
      ...(internal ? {} : details),
    },
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  // A rate-limited answer says when to come back, in the header clients and proxies understand.
  if (typeof problem['retryAfterSeconds'] === 'number') void reply.header('retry-after', String(problem['retryAfterSeconds']));
  return reply.code(problem.status).type('application/problem+json').send(problem);
}
