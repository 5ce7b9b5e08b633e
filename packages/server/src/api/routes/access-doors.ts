/**
 * Door control and live door state. Unlock, lock and mode overrides need `doors.control` on the
 * door's site, emergency modes `emergency.start` on the site; each takes a reason, is journaled
 * with the operator as source, and is forwarded to the site's edge agent. Operators' commands go
 * through `operatorDoors` (`access.doors.forOperators`), which refuses to lock a door a live fire
 * plan holds free.
 */
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import {
  DoorCommandSchema,
  DoorStateSchema,
  EmergencyRequestSchema,
  LockRequestSchema,
  ModeOverrideRequestSchema,
  SiteControlsSchema,
  UnlockRequestSchema,
  type AccessModule,
} from '../../modules/access/index.js';

type OperatorDoorCommands = ReturnType<AccessModule['doors']['forOperators']>;
import type { Api } from '../server.js';
import { closed, field, idParams, pageOf, principalOf } from './facility-shared.js';

const tags = ['door control'];
const DoorParams = idParams('doorId');
const SiteParams = idParams('siteId');
const PageQuery = Type.Object(
  { limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), cursor: Type.Optional(Type.String({ maxLength: 1000 })) },
  closed,
);

export function doorControlRoutes(access: AccessModule, operatorDoors: OperatorDoorCommands) {
  return (app: Api) => {
    const siteOfDoor = (request: FastifyRequest) => access.doors.siteOfDoor(String((request.params as { doorId: string }).doorId));
    const siteParam = (request: FastifyRequest) => field(request, 'params', 'siteId');

    app.post(
      '/api/doors/:doorId/unlock',
      {
        config: { access: { permission: 'doors.control', site: siteOfDoor } },
        schema: {
          tags,
          summary: 'Unlock a door for a moment',
          description:
            'Queues a momentary unlock for the site’s edge agent (by default for the door’s unlock time). The command expires after a minute if the agent has not carried it out, so a door never opens long after it was asked. Answers 202 with the command; its `status` shows when the agent reported it done.',
          params: DoorParams,
          body: UnlockRequestSchema,
          response: { 202: DoorCommandSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(await operatorDoors.unlock(principalOf(request).actor, request.params.doorId, request.body.seconds, request.body.reason)),
    );

    app.post(
      '/api/doors/:doorId/lock',
      {
        config: { access: { permission: 'doors.control', site: siteOfDoor } },
        schema: {
          tags,
          summary: 'Lock a door now',
          description:
            'Ends a momentary unlock at once. A door held unlocked by its mode stays so; override the mode to lock it. Refused with `door_control.fire_plan_active` while a live fire plan holds the door free, and with `door_control.fire_egress_active` while the site’s fire egress mode covers it.',
          params: DoorParams,
          body: LockRequestSchema,
          response: { 202: DoorCommandSchema },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await operatorDoors.lock(principalOf(request).actor, request.params.doorId, request.body.reason)),
    );

    app.put(
      '/api/doors/:doorId/mode-override',
      {
        config: { access: { permission: 'doors.control', site: siteOfDoor } },
        schema: {
          tags,
          summary: 'Set or clear an operator mode for a door',
          description:
            'The door runs in this mode until the override is cleared (`mode: null`). Fire egress and lockdown still take precedence, and exit is free in every mode. While a live fire plan or the site’s fire egress mode holds the door free, only `unlocked` and `fire_egress` are accepted (`door_control.fire_plan_active` or `door_control.fire_egress_active` otherwise).',
          params: DoorParams,
          body: ModeOverrideRequestSchema,
          response: { 200: SiteControlsSchema },
        },
      },
      async (request) =>
        operatorDoors.setOverride(principalOf(request).actor, request.params.doorId, request.body.mode, request.body.reason),
    );

    app.get(
      '/api/doors/:doorId/state',
      {
        config: { access: { permission: 'facility.read', site: siteOfDoor } },
        schema: { tags, summary: 'Live state of a door', params: DoorParams, response: { 200: DoorStateSchema } },
      },
      async (request) => access.doors.doorState(request.params.doorId),
    );

    app.get(
      '/api/door-commands/:commandId',
      {
        config: {
          access: {
            permission: 'doors.control',
            site: (request) => access.doors.siteOfCommand(String((request.params as { commandId: string }).commandId)),
          },
        },
        schema: {
          tags,
          summary: 'A door command and whether it was carried out',
          params: idParams('commandId'),
          response: { 200: DoorCommandSchema },
        },
      },
      async (request) => access.doors.getCommand(request.params.commandId),
    );

    app.get(
      '/api/sites/:siteId/door-states',
      {
        config: { access: { permission: 'facility.read', site: siteParam } },
        schema: {
          tags,
          summary: 'Live state of a site’s doors',
          params: SiteParams,
          querystring: PageQuery,
          response: { 200: pageOf(DoorStateSchema) },
        },
      },
      async (request) => access.doors.siteDoorStates(request.params.siteId, request.query),
    );

    app.get(
      '/api/sites/:siteId/door-controls',
      {
        config: { access: { permission: 'facility.read', site: siteParam } },
        schema: {
          tags,
          summary: 'Emergency modes and operator overrides in force on a site',
          params: SiteParams,
          response: { 200: SiteControlsSchema },
        },
      },
      async (request) => access.doors.siteControls(request.params.siteId),
    );

    app.put(
      '/api/sites/:siteId/emergency-modes/:mode',
      {
        config: { access: { permission: 'emergency.start', site: siteParam } },
        schema: {
          tags,
          summary: 'Start or end fire egress or lockdown',
          description:
            'Lockdown locks doors against entry (holders of the lockdown override still pass); fire egress unlocks egress doors. Fire egress wins over lockdown, and no mode ever blocks exit. While fire egress is on, operators cannot lock the doors it covers. While a live fire plan holds doors of the site, ending fire egress is refused (`door_control.fire_plan_active`) and a new scope keeps the plan’s doors.',
          params: Type.Object(
            { siteId: Type.String({ format: 'uuid' }), mode: Type.Union([Type.Literal('fire_egress'), Type.Literal('lockdown')]) },
            closed,
          ),
          body: EmergencyRequestSchema,
          response: { 200: SiteControlsSchema },
        },
      },
      async (request) =>
        operatorDoors.setEmergency(
          principalOf(request).actor,
          request.params.siteId,
          request.params.mode,
          request.body.active,
          request.body.scope,
          request.body.reason,
        ),
    );
  };
}
