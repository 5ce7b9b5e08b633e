/** Request and response schemas shared by the sign-in, operator and token routes. */
import Type from 'typebox';
import { PERMISSIONS, ROLE_NAMES, USERNAME_PATTERN } from '../../modules/identity/index.js';
import { NoContent, closed, pageOf } from './route-helpers.js';

export { NoContent, pageOf };

export const RoleSchema = Type.Enum(ROLE_NAMES, { description: 'A role name (see the security model).' });
export const PermissionSchema = Type.Enum(Object.keys(PERMISSIONS), { description: 'A permission name.' });
export const SiteRefSchema = Type.String({
  pattern: '^(\\*|[A-Za-z0-9][A-Za-z0-9._:-]{0,127})$',
  description: 'A site id, or `*` for every site.',
});
export const UsernameSchema = Type.String({ pattern: USERNAME_PATTERN, minLength: 2, maxLength: 64 });
export const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 200 });
export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, closed);
export const Instant = Type.String({ format: 'date-time' });
export const NullableInstant = Type.Union([Instant, Type.Null()]);

export const GrantSchema = Type.Object({ role: RoleSchema, site: SiteRefSchema }, closed);

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 512, description: 'From the previous page’s `nextCursor`.' })),
  },
  closed,
);

export const WhoAmISchema = Type.Object(
  {
    kind: Type.Enum(['operator', 'token', 'edge']),
    id: Type.String(),
    name: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    grants: Type.Array(GrantSchema),
    permissions: Type.Array(PermissionSchema, { description: 'Permissions held on at least one site.' }),
    mfaEnrolled: Type.Union([Type.Boolean(), Type.Null()]),
    mfaEnrolmentPending: Type.Boolean({ description: 'A role requires MFA and none is enrolled: only set-up routes answer.' }),
    passwordChangeRequired: Type.Boolean({ description: 'Signed in with a one-time password: only set-up routes answer.' }),
  },
  closed,
);

export const OperatorSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    displayName: Type.String(),
    disabled: Type.Boolean(),
    mustChangePassword: Type.Boolean(),
    mfaEnrolled: Type.Boolean(),
    mfaRequired: Type.Boolean({ description: 'A granted role requires MFA.' }),
    lockedUntil: NullableInstant,
    createdAt: Instant,
    lastSignInAt: NullableInstant,
    grants: Type.Array(GrantSchema),
  },
  closed,
);

export const CreatedOperatorSchema = Type.Object(
  {
    operator: OperatorSchema,
    oneTimePassword: Type.String({ description: 'Shown once; the operator must replace it at first sign-in.' }),
  },
  closed,
);

export const TokenSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    operatorId: Type.String({ format: 'uuid' }),
    prefix: Type.String({ description: '`vgl_` and the first characters of the secret.' }),
    permissions: Type.Array(PermissionSchema),
    sites: Type.Array(SiteRefSchema),
    expiresAt: NullableInstant,
    createdAt: Instant,
    createdBy: Type.String(),
    lastUsedAt: NullableInstant,
    revokedAt: NullableInstant,
  },
  closed,
);
