/**
 * The whole database as Kysely sees it: each module declares its own tables in its `tables.ts`;
 * this file only joins them. (storage/ may import a module's tables.ts and migrations.ts directly;
 * nothing else may import module internals.)
 */
import type { AuditTables } from '../modules/audit/tables.js';

export interface Database extends AuditTables {}
