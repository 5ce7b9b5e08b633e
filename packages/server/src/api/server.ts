/**
 * Builds the HTTP API without listening, so tests use `app.inject()` with no socket.
 * Cross-cutting behaviour is registered here once: body limits, validation that rejects unknown
 * fields and wrong types, problem+json errors, security headers, no-store, and the access check
 * that makes every route deny by default.
 */
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify, {
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { Logger } from '../kernel/logger.js';
import { identityError } from '../modules/identity/index.js';
import { sendProblem, toProblem } from './problem.js';
import type { Authenticator, RouteAccess } from './types.js';
import './types.js';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, Logger, TypeBoxTypeProvider>;

/** A registered route and what it requires (the security tests walk every one of them). */
export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, with its declared access; read-only by convention. */
    readonly routeTable: readonly RouteEntry[];
  }
}

export interface ApiOptions {
  logger: Logger;
  authenticator: Authenticator;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  trustProxy: boolean;
  version: string;
  /** Route modules, each registering its routes on the app. */
  routes: ReadonlyArray<(app: Api) => void | Promise<void>>;
}

function validatorFor(coerce: boolean): Ajv {
  // removeAdditional is off so unknown fields are an error, not silently dropped; bodies are never
  // coerced ("5" is not 5), while path and query strings are, because they can only be strings.
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

export async function buildApi(options: ApiOptions): Promise<Api> {
  const app = Fastify({
    loggerInstance: options.logger.child({}, { serializers: { req: requestForLog } }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;

  const bodyValidator = validatorFor(false);
  const paramValidator = validatorFor(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyValidator : paramValidator).compile(schema));

  app.decorateRequest('principal', null);

  app.setErrorHandler((error, request, reply) => {
    const { problem, internal } = toProblem(error, request);
    // `errorCode`, not `code`: the logger redacts any field named `code` (TOTP codes travel under it).
    if (internal) request.log.error({ err: error, errorCode: problem.code }, 'request failed');
    else request.log.info({ errorCode: problem.code, status: problem.status }, 'request rejected');
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const { problem } = toProblem(Object.assign(new Error('not found'), { statusCode: 404 }), request);
    return sendProblem(reply, {
      ...problem,
      code: 'request.not_found',
      type: 'urn:vigil:error:request.not_found',
      status: 404,
      title: 'No such route',
      detail: `No route ${request.method} ${problem.instance}`,
    });
  });

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);

  // Deny by default: a route that does not declare its access cannot be registered at all.
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) routeTable.push({ method, url: route.url, access });
    const isDocs = route.url.startsWith('/api/docs');
    if (!access && !isDocs) throw new Error(`route ${String(route.method)} ${route.url} declares no access permission`);
    if (access?.upload) route.bodyLimit = options.uploadLimitBytes;
    if (access?.permission === 'public') route.schema = { ...route.schema, security: [] };
    else if (access)
      route.schema = {
        ...route.schema,
        description: [route.schema?.description, `Requires permission \`${access.permission}\`.`].filter(Boolean).join('\n\n'),
      };
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    const access = request.routeOptions.config?.access;
    if (!access) {
      if (request.url.startsWith('/api/docs')) return;
      if (request.routeOptions.url === undefined) return; // not found: the 404 handler answers
      throw identityError('auth.forbidden', 'Route declares no access');
    }
    if (access.permission === 'public') return;
    const principal = await options.authenticator.authenticate(request);
    if (!principal) throw identityError('auth.required', 'Sign in or send an API token');
    request.principal = principal;
    // Account set-up comes first: a one-time password must be replaced, then MFA enrolled where
    // the role requires it, before anything but the set-up routes is reachable.
    if (principal.setupPending && !access.allowDuringMfaEnrolment) {
      throw principal.passwordChangeRequired
        ? identityError('auth.password_change_required', 'Change the one-time password first')
        : identityError('auth.mfa_enrolment_required', 'Enrol a TOTP authenticator first');
    }
    if (!principal.can(access.permission)) throw forbidden(request, access.permission);
  });

  // Site-scoped check after validation, when params and body are typed.
  app.addHook('preHandler', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || access.permission === 'public' || !access.site) return;
    const site = await access.site(request);
    if (site && !request.principal?.can(access.permission, site)) throw forbidden(request, access.permission, site);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: options.version,
        description:
          'Security operations platform for hospitals. Every route requires a session cookie or a bearer API token unless marked public.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'vigil_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  for (const register of options.routes) await register(app);
  return app;
}

/**
 * What a request log line shows: the path, and only the names of query parameters, because a
 * client may put a token or other secret in a query string and log lines outlive requests.
 */
function requestForLog(request: FastifyRequest) {
  const [path, query] = request.url.split('?', 2);
  const names = query ? [...new URLSearchParams(query).keys()] : [];
  return {
    method: request.method,
    url: names.length > 0 ? `${path}?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}` : path,
    host: request.host,
    remoteAddress: request.ip,
  };
}

function forbidden(request: FastifyRequest, permission: string, site?: string) {
  return identityError('auth.forbidden', `Missing permission ${permission}${site ? ` on site ${site}` : ''}`, {
    permission,
    ...(site ? { site } : {}),
  });
}
