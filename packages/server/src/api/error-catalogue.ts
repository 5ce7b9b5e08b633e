/**
 * Every error code Vigil can answer with, gathered from each catalogue. docs/errors.md is
 * generated from this list (CI checks it is current), so a code cannot ship undocumented.
 */
import { accessErrors, coreErrors, scheduleErrors, wiegandErrors, type ErrorCatalogue } from '@vigil/core';
import { kernelErrors } from '../kernel/errors.js';
import { busErrors } from '../bus/index.js';
import { intakeErrors } from '../intake/index.js';
import { identityErrors } from '../modules/identity/index.js';
import { auditErrors } from '../modules/audit/index.js';
import { facilityErrors } from '../modules/facility/index.js';
import { peopleErrors } from '../modules/people/index.js';
import { accessModuleErrors } from '../modules/access/index.js';
import { alarmErrors } from '../modules/alarms/index.js';
import { automationErrors } from '../modules/automation/index.js';
import { backupErrors } from '../storage/backup-errors.js';

const catalogues: ErrorCatalogue[] = [
  coreErrors,
  wiegandErrors,
  scheduleErrors,
  accessErrors,
  kernelErrors,
  identityErrors,
  auditErrors,
  busErrors,
  intakeErrors,
  facilityErrors,
  peopleErrors,
  accessModuleErrors,
  alarmErrors,
  automationErrors,
  backupErrors,
];

let merged: ErrorCatalogue | undefined;

export function errorCatalogue(): ErrorCatalogue {
  if (merged) return merged;
  const all: Record<string, ErrorCatalogue[string]> = {};
  for (const catalogue of catalogues) {
    for (const [code, def] of Object.entries(catalogue)) {
      if (all[code]) throw new Error(`error code ${code} defined twice`);
      all[code] = def;
    }
  }
  merged = all;
  return all;
}

export function errorsReference(statusOf: (kind: ErrorCatalogue[string]['kind']) => number): string {
  const rows = Object.entries(errorCatalogue())
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, def]) => `| \`${code}\` | ${statusOf(def.kind)} | ${def.kind} | ${def.description} |`);
  return [
    '# Error codes',
    '',
    'Generated from the error catalogues by `npm run generate`; do not edit by hand.',
    '',
    'Every API error is an RFC 9457 `application/problem+json` document whose `code` is one of these and whose `type` is `urn:vigil:error:<code>`. The same codes appear in CLI messages. Clients should branch on `code`, never on `detail`.',
    '',
    '| code | HTTP status | kind | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
