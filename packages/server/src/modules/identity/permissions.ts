/**
 * What an operator may do. Every API route names exactly one permission (or is explicitly public);
 * roles are fixed bundles of permissions, granted per site. Anything not granted is denied.
 */
export const PERMISSIONS = {
  'account.self': "Use one's own account: who-am-I, sign out, change password, enrol MFA, own API tokens",
  'facility.read': 'See sites, buildings, floors, zones, doors and devices',
  'facility.manage': 'Create and change sites, buildings, floors, zones, doors and devices',
  'people.read': 'See persons, departments, roles and training records',
  'people.manage': 'Create and change persons, departments, roles and training records',
  'people.terminate': 'Terminate a person (disables every credential)',
  'credentials.read': 'See credentials (card numbers masked)',
  'credentials.manage': 'Issue, suspend, report lost and revoke credentials',
  'visitors.manage': 'Register and check in visitors',
  'doors.control': 'Unlock, lock and change the mode of doors',
  'edge.sync': 'Door controller agents only: fetch the site’s access snapshot, deliver buffered events, receive door commands',
  'alarms.handle': 'Acknowledge, assign and resolve alarms',
  'emergency.start': 'Start and clear emergency plans and drills',
  'journal.read': 'Search the event journal',
  'journal.verify': 'Run and read journal verification',
  'journal.export': 'Export journal records',
  'privacy.review': 'Review EHR-privacy cases',
  'pharmacy.review': 'Review drug-diversion cases',
  'assets.manage': 'Find and manage tracked assets',
  'operators.manage': 'Create operator accounts, assign roles, issue API tokens',
  'system.admin': 'Backups, imports and system settings',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ROLES = {
  admin: {
    description: 'Full control of the sites it is granted; MFA required',
    mfaRequired: true,
    permissions: Object.keys(PERMISSIONS) as Permission[],
  },
  'security-manager': {
    description: 'Configures facility, people, access and emergency plans; MFA required',
    mfaRequired: true,
    permissions: [
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
      'alarms.handle',
      'emergency.start',
      'journal.read',
      'journal.verify',
      'journal.export',
    ],
  },
  operator: {
    description: 'Watches alarms, controls doors, starts emergency plans',
    mfaRequired: false,
    permissions: [
      'account.self',
      'facility.read',
      'people.read',
      'credentials.read',
      'doors.control',
      'alarms.handle',
      'emergency.start',
      'journal.read',
    ],
  },
  'front-desk': {
    description: 'Checks visitors in and out',
    mfaRequired: false,
    permissions: ['account.self', 'facility.read', 'people.read', 'visitors.manage'],
  },
  'privacy-officer': {
    description: 'Reviews EHR-privacy cases and the journal',
    mfaRequired: false,
    permissions: ['account.self', 'people.read', 'journal.read', 'journal.verify', 'journal.export', 'privacy.review'],
  },
  pharmacy: {
    description: 'Reviews cabinet and vault anomalies',
    mfaRequired: false,
    permissions: ['account.self', 'facility.read', 'people.read', 'journal.read', 'pharmacy.review'],
  },
  biomed: {
    description: 'Finds and maintains equipment',
    mfaRequired: false,
    permissions: ['account.self', 'facility.read', 'assets.manage'],
  },
  auditor: {
    description: 'Reads everything that is recorded, changes nothing',
    mfaRequired: false,
    permissions: ['account.self', 'facility.read', 'people.read', 'credentials.read', 'journal.read', 'journal.verify', 'journal.export'],
  },
} as const satisfies Record<string, { description: string; mfaRequired: boolean; permissions: readonly Permission[] }>;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function isRoleName(value: string): value is RoleName {
  return Object.hasOwn(ROLES, value);
}

/** A role granted on one site, or on every site (`*`). */
export interface RoleGrant {
  readonly role: RoleName;
  readonly site: string;
}

export const ALL_SITES = '*';
