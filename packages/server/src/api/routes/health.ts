import Type from 'typebox';
import type { Api } from '../server.js';

/** Liveness for load balancers and the demo script: says only that the process answers. */
export function healthRoutes(app: Api): void {
  app.get(
    '/api/health',
    {
      config: { access: { permission: 'public' } },
      schema: {
        tags: ['system'],
        summary: 'Liveness probe',
        response: { 200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
}
