/** Operators, their grants and API tokens as the API returns them, and the role and permission names it accepts. */

export const ROLES = ['admin', 'security-manager', 'operator', 'front-desk', 'privacy-officer', 'pharmacy', 'biomed', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'account.self',
  'facility.read',
  'facility.manage',
  'people.read',
  'people.manage',
  'people.terminate',
  'credentials.read',
  'credentials.manage',
  'visitors.manage',
  'doors.control',
  'edge.sync',
  'alarms.handle',
  'emergency.start',
  'journal.read',
  'journal.verify',
  'journal.export',
  'privacy.review',
  'pharmacy.review',
  'assets.manage',
  'operators.manage',
  'system.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Grant {
  role: Role;
  /** A site id, or '*' for every site. */
  site: string;
}

export interface Operator {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  mfaEnrolled: boolean;
  mfaRequired: boolean;
  lockedUntil: string | null;
  createdAt: string;
  lastSignInAt: string | null;
  grants: Grant[];
}

export interface ApiToken {
  id: string;
  name: string;
  operatorId: string;
  prefix: string;
  permissions: Permission[];
  sites: string[];
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const operatorsKey = ['admin', 'operators'] as const;
export const operatorKey = (id: string) => ['admin', 'operators', 'one', id] as const;
export const tokensKey = (id: string) => ['admin', 'operators', 'tokens', id] as const;

export const USERNAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9._@\\-]{1,63}';
