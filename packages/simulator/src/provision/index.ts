export { provisionHospital, type ProvisionOptions } from './provision.js';
export { PROVISIONING_PERMISSIONS, type ProvisioningPermission } from './permissions.js';
export { importCsv } from './people.js';
