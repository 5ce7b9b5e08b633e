/**
 * The facts a door controller agent reports. The agent creates them (each with a UUIDv7 id, stored
 * in its buffer before it acts), the server validates them against these same schemas when they
 * are delivered and journals them once under that id. The person is the event's `subject`, the
 * door and zone are the envelope's `door` and `zone`; card numbers and PINs never appear.
 */
import { defineEvent } from '@vigil/core';
import Type from 'typebox';
import { outputCommandExecuted } from './outputs.js';
import { pinLockoutLiftExecuted } from './pin-lockout-lifts.js';

const closed = { additionalProperties: false } as const;
const Ref = Type.String({ minLength: 1, maxLength: 128 });
const NullableRef = Type.Union([Ref, Type.Null()]);
const Cause = Type.Union([
  Type.Literal('grant'),
  Type.Literal('exit_request'),
  Type.Literal('operator'),
  Type.Literal('mode'),
  Type.Literal('emergency'),
]);

const UnknownCard = Type.Object(
  {
    bitCount: Type.Integer({ minimum: 1, maximum: 1024 }),
    format: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
    facilityCode: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    cardNumberMasked: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
  },
  { ...closed, description: 'An unknown card: its format when its parity checks out, never its full number.' },
);

const Decision = Type.Object(
  {
    reason: Type.String({ pattern: '^access\\.[a-z_]+$' }),
    rule: Type.String({ maxLength: 32 }),
    request: Type.Union([Type.Literal('card'), Type.Literal('exit_request')]),
    direction: Type.Union([Type.Literal('entry'), Type.Literal('exit')]),
    reader: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
    credentialId: NullableRef,
    accessGroupId: NullableRef,
    scheduleId: NullableRef,
    detail: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
    signals: Type.Array(
      Type.Union([
        Type.Literal('visitor_astray'),
        Type.Literal('passback'),
        Type.Literal('lost_or_stolen_card'),
        Type.Literal('first_person_in_unlocked'),
      ]),
    ),
    factors: Type.Array(Type.Union([Type.Literal('card'), Type.Literal('pin')])),
    unknownCard: Type.Union([UnknownCard, Type.Null()]),
    snapshotVersion: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  },
  closed,
);

export const accessGranted = defineEvent('access.granted', 'A door controller granted passage (card, exit request or free mode)', Decision);
export const accessDenied = defineEvent('access.denied', 'A door controller refused passage', Decision);

export const doorOpened = defineEvent(
  'door.opened',
  'The door-position switch reported the door open after a grant, an exit request or while the door was unlocked',
  Type.Object({ cause: Cause }, closed),
);
export const doorClosed = defineEvent(
  'door.closed',
  'The door-position switch reported the door closed again',
  Type.Object(
    { openMs: Type.Integer({ minimum: 0 }), alarm: Type.Union([Type.Literal('forced_open'), Type.Literal('held_open'), Type.Null()]) },
    closed,
  ),
);
export const doorForcedOpen = defineEvent(
  'door.forced_open',
  'The door opened while locked, with no grant and no exit request',
  Type.Object({}, closed),
);
export const doorHeldOpen = defineEvent(
  'door.held_open',
  'The door stood open longer than its held-open limit',
  Type.Object({ limitMs: Type.Integer({ minimum: 0 }) }, closed),
);
export const doorUnlocked = defineEvent(
  'door.unlocked',
  'The lock was released by an operator command, a door mode or an emergency mode (grants are access.granted)',
  Type.Object({ cause: Cause, untilMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]), commandId: NullableRef }, closed),
);
export const doorLocked = defineEvent(
  'door.locked',
  'The lock was engaged again by an operator command, a door mode or an emergency mode',
  Type.Object({ cause: Cause, commandId: NullableRef }, closed),
);
export const doorModeChanged = defineEvent(
  'door.mode_changed',
  'The mode a door controller runs a door in changed (operator override, lockdown, fire egress)',
  Type.Object(
    {
      mode: Type.String({ maxLength: 32 }),
      previous: Type.String({ maxLength: 32 }),
      override: Type.Union([Type.String({ maxLength: 32 }), Type.Null()]),
      lockdown: Type.Boolean(),
      fireEgress: Type.Boolean(),
    },
    closed,
  ),
);
export const doorCommandExecuted = defineEvent(
  'door.command_executed',
  'A door controller carried out (or refused, when expired) an operator door command',
  Type.Object(
    {
      commandId: Ref,
      command: Type.Union([Type.Literal('unlock'), Type.Literal('lock')]),
      outcome: Type.Union([Type.Literal('executed'), Type.Literal('expired'), Type.Literal('unknown_door')]),
    },
    closed,
  ),
);

const ReaderRef = Type.Object({ reader: Type.String({ maxLength: 64 }), address: Type.Integer({ minimum: 0, maximum: 127 }) }, closed);
export const readerWentOffline = defineEvent(
  'reader.went_offline',
  'A reader stopped answering its door controller',
  Type.Object({ ...ReaderRef.properties, reason: Type.String({ maxLength: 64 }) }, closed),
);
export const readerCameOnline = defineEvent(
  'reader.came_online',
  'A reader answers its door controller again',
  Type.Object({ ...ReaderRef.properties, secure: Type.Boolean() }, closed),
);

export const snapshotApplied = defineEvent(
  'edge.snapshot_applied',
  'A door controller verified and loaded a newer access snapshot',
  Type.Object({ version: Type.Integer({ minimum: 1 }), previousVersion: Type.Union([Type.Integer(), Type.Null()]) }, closed),
);
export const snapshotRejected = defineEvent(
  'edge.snapshot_rejected',
  'A door controller refused a snapshot (bad signature, corrupted, older than the one it runs) and kept its last good one',
  Type.Object(
    {
      code: Type.String({ maxLength: 64 }),
      version: Type.Union([Type.Integer(), Type.Null()]),
      runningVersion: Type.Union([Type.Integer(), Type.Null()]),
    },
    closed,
  ),
);
export const agentStarted = defineEvent(
  'edge.agent_started',
  'A door controller agent started',
  Type.Object(
    {
      version: Type.String({ maxLength: 32 }),
      snapshotVersion: Type.Union([Type.Integer(), Type.Null()]),
      bufferedEvents: Type.Integer({ minimum: 0 }),
    },
    closed,
  ),
);

export const pinLockedOut = defineEvent(
  'access.pin_locked_out',
  'A door controller locked out a credential’s PIN attempts after repeated wrong PINs: until `until`, the card is refused at every door of that controller without its PIN being asked for',
  Type.Object(
    {
      credentialId: Ref,
      reader: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
      attempts: Type.Integer({ minimum: 1 }),
      windowSeconds: Type.Number({ minimum: 0 }),
      lockoutSeconds: Type.Number({ minimum: 0 }),
      until: Type.String({ format: 'date-time' }),
    },
    closed,
  ),
);

/** Every event type an agent may deliver; the server refuses any other type from an agent. */
export const edgeEvents = [
  outputCommandExecuted,
  accessGranted,
  accessDenied,
  doorOpened,
  doorClosed,
  doorForcedOpen,
  doorHeldOpen,
  doorUnlocked,
  doorLocked,
  doorModeChanged,
  doorCommandExecuted,
  readerWentOffline,
  readerCameOnline,
  snapshotApplied,
  snapshotRejected,
  agentStarted,
  pinLockedOut,
  pinLockoutLiftExecuted,
];

export const EDGE_EVENT_TYPES: ReadonlySet<string> = new Set(edgeEvents.map((e) => e.type));
