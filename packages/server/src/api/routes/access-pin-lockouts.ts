/**
 * Lifting a PIN lockout before it runs out: `doors.control` on the site whose controllers hold it.
 * The request is journaled with the operator as source and the reason given, and forwarded to
 * each of the site's edge agents like a door command; each reports what it did.
 */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import { PinLockoutLiftRequestSchema, PinLockoutLiftSchema, type AccessModule } from '../../modules/access/index.js';
import type { Api } from '../server.js';
import { Uuid, closed, idParams, principalOf } from './route-helpers.js';
import { field } from './facility-shared.js';

const tags = ['door control'];

export function pinLockoutRoutes(access: AccessModule) {
  return (app: Api) => {
    const siteParam = (request: FastifyRequest) => field(request, 'params', 'siteId');

    app.post(
      '/api/sites/:siteId/pin-lockouts/:credentialId/lift',
      {
        config: { access: { permission: 'doors.control', site: siteParam } },
        schema: {
          tags,
          summary: 'Lift a card’s PIN lockout on a site before it runs out',
          description:
            'Repeated wrong PINs lock a card’s PIN attempts out on the door controller where they were typed (`access.pin_locked_out`). This asks every active edge agent of the site to lift the card’s lockout; the request expires after a minute if an agent has not carried it out, so a late request never lifts a lockout started since. Answers 202 with the request; its `status`, and each agent’s, show what the controllers reported.',
          params: Type.Object({ siteId: Uuid, credentialId: Uuid }, closed),
          body: PinLockoutLiftRequestSchema,
          response: { 202: PinLockoutLiftSchema },
        },
      },
      async (request, reply) => {
        const { siteId, credentialId } = request.params;
        const lift = await access.pinLockouts.lift(principalOf(request).actor, siteId, credentialId, request.body.reason);
        return reply.code(202).send(lift);
      },
    );

    app.get(
      '/api/pin-lockout-lifts/:liftId',
      {
        config: {
          access: { permission: 'doors.control', site: (request) => access.pinLockouts.siteOf(String(field(request, 'params', 'liftId'))) },
        },
        schema: {
          tags,
          summary: 'A PIN lockout lift and what each door controller made of it',
          params: idParams('liftId'),
          response: { 200: PinLockoutLiftSchema },
        },
      },
      async (request) => access.pinLockouts.get(request.params.liftId),
    );
  };
}
