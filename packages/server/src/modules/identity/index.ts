export { PERMISSIONS, ROLES, ROLE_NAMES, ALL_SITES, isRoleName, type Permission, type RoleName, type RoleGrant } from './permissions.js';
export { Principal } from './principal.js';
export { identityErrors, identityError } from './errors.js';
