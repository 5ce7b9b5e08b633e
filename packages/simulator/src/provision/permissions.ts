/**
 * What an API token needs for `provisionHospital`, on every site (`sites: ["*"]`): a new site is
 * outside every site-scoped grant, and departments and job roles are shared by all sites. The
 * owner must hold them too (the `admin` role on `*` does); Vigil never lets a token exceed it.
 */
export const PROVISIONING_PERMISSIONS = [
  // GET /api/auth/me: the check that the token is accepted and carries the rest.
  'account.self',
  // Sites, buildings, floors and plans, zones, doors, schedules, holidays, access groups.
  'facility.read',
  'facility.manage',
  // Departments, job roles, persons, training records (POST /api/people/training/bulk).
  'people.read',
  'people.manage',
  // Access group members (POST /api/access-groups/{id}/members and .../members/remove, on the
  // group's site), and reading a person's groups back (GET /api/people/persons/{id}/access).
  'credentials.read',
  'credentials.manage',
  // POST /api/people/import: persons and their cards in bulk.
  'system.admin',
] as const;

export type ProvisioningPermission = (typeof PROVISIONING_PERMISSIONS)[number];
