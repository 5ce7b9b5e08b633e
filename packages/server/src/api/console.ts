/**
 * Serves the operator console (packages/web, built by Vite) at `/`. The files are public — the
 * sign-in page must load before anyone is signed in — and hold no data: everything the console
 * shows comes from the API, which checks every request. Paths that are not a file get index.html
 * so the single-page app can route them; unknown `/api/` paths still get the API's 404 problem.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { kernelError } from '../kernel/errors.js';
import type { Api } from './server.js';

/** Where `vite build` writes the console, relative to this file (src/api → packages/web/dist). */
export const DEFAULT_CONSOLE_DIR = path.resolve(import.meta.dirname, '../../../web/dist');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Vigil</title>
<body style="font-family:system-ui;background:#0d1117;color:#e6edf3;padding:2rem">
<h1>Vigil is running</h1><p>The operator console has not been built. Run <code>npm run build</code> and reload.</p>
<p>The API and its documentation: <a style="color:#58a6ff" href="/api/docs">/api/docs</a>.</p></body>`;

export function consoleRoutes(dir: string) {
  return async (app: Api): Promise<void> => {
    dir = path.resolve(dir);
    const built = fs.existsSync(path.join(dir, 'index.html'));
    if (built) await app.register(fastifyStatic, { root: dir, serve: false, cacheControl: false });
    const access = { permission: 'public' } as const;
    app.get('/', { config: { access }, schema: { hide: true } }, async (_request, reply) =>
      built ? reply.header('cache-control', 'no-cache').sendFile('index.html') : reply.type('text/html').send(NOT_BUILT),
    );
    app.get('/*', { config: { access }, schema: { hide: true } }, async (request, reply) => {
      const wanted = (request.params as { '*': string })['*'];
      if (wanted.startsWith('api/')) throw kernelError('request.not_found', `No route ${request.method} /${wanted}`, {});
      if (!built) return reply.type('text/html').send(NOT_BUILT);
      const file = path.resolve(dir, wanted);
      const isFile = file.startsWith(dir + path.sep) && fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
      // Vite names assets by content hash, so they may be cached for good; index.html never.
      if (isFile && wanted.startsWith('assets/'))
        return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(wanted);
      if (isFile) return reply.sendFile(wanted);
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  };
}
