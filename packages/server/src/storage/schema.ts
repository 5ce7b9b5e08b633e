/**
 * The whole database as Kysely sees it: each module declares its own tables in its `tables.ts`;
 * this file only joins them. (storage/ may import a module's tables.ts and migrations.ts directly;
 * nothing else may import module internals.)
 */
import type { AuditTables } from '../modules/audit/tables.js';
import type { AccessTables } from '../modules/access/tables.js';
import type { FacilityTables } from '../modules/facility/tables.js';
import type { IntakeTables } from '../intake/tables.js';
import type { IdentityTables } from '../modules/identity/tables.js';
import type { PeopleTables } from '../modules/people/tables.js';
import type { AlarmTables } from '../modules/alarms/tables.js';
import type { AutomationTables } from '../modules/automation/tables.js';
import type { InstallationTables } from './installation-tables.js';

export interface Database
  extends
    AuditTables,
    AccessTables,
    FacilityTables,
    IdentityTables,
    PeopleTables,
    IntakeTables,
    AlarmTables,
    AutomationTables,
    InstallationTables {}
