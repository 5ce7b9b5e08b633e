/** Builds the people module's services from its ports; the composition root calls this once. */
import type { Readable } from 'node:stream';
import { collecting, type PeopleDeps } from './context.js';
import { CredentialService } from './credentials.js';
import { DEPARTMENTS, DirectoryService, JOB_ROLES } from './directory.js';
import { HrDropJob, type JobLogger } from './hr-drop.js';
import { HrTerminations } from './hr-feed.js';
import { importPeopleCsv, type ImportOptions } from './import/import.js';
import { PersonService } from './persons.js';
import type { ImportReport } from './schemas.js';
import { TrainingService } from './training.js';

export interface PeopleModule {
  readonly persons: PersonService;
  readonly departments: DirectoryService;
  readonly jobRoles: DirectoryService;
  readonly training: TrainingService;
  readonly credentials: CredentialService;
  readonly hr: HrTerminations;
  /** CSV import (docs/import.md) from a file path or a stream; see ImportOptions. */
  importPeopleCsv(input: string | Readable, options?: ImportOptions): Promise<ImportReport>;
  /** The HR drop directory job, or null when no directory is configured. */
  readonly hrDrop: HrDropJob | null;
}

export interface PeopleModuleOptions {
  /** `hr.dropDir`, resolved to an absolute path; empty: no drop directory. */
  hrDropDir: string;
  hrPollSeconds: number;
  logger: JobLogger;
}

export function createPeopleModule(deps: PeopleDeps, options: PeopleModuleOptions): PeopleModule {
  const hr = new HrTerminations(deps);
  return {
    persons: new PersonService(deps),
    departments: new DirectoryService(deps, DEPARTMENTS),
    jobRoles: new DirectoryService(deps, JOB_ROLES),
    training: new TrainingService(deps),
    credentials: new CredentialService(deps),
    hr,
    importPeopleCsv: async (input, importOptions) => {
      // The import runs its own single transaction (import/); once it returned, that committed.
      const journal = collecting(deps);
      const report = await importPeopleCsv({ ...deps, record: journal.record }, input, importOptions);
      journal.publish();
      return report;
    },
    hrDrop: options.hrDropDir
      ? new HrDropJob({
          dir: options.hrDropDir,
          pollMs: options.hrPollSeconds * 1000,
          terminations: hr,
          logger: options.logger,
          clock: deps.clock,
        })
      : null,
  };
}
