/**
 * Bulk ways in: terminations from the HR system, and the CSV import of people and credentials
 * (docs/import.md). Both are all-or-nothing.
 */
import Type from 'typebox';
import {
  HrTerminationBatchSchema,
  HrTerminationResultSchema,
  ImportReportSchema,
  csvStream,
  peopleError,
  type PeopleModule,
} from '../../modules/people/index.js';
import { kernelError } from '../../kernel/errors.js';
import type { Api } from '../server.js';
import { principalOf } from './people-shared.js';

const CSV = 'text/csv';

export async function feedRoutes(app: Api, people: PeopleModule): Promise<void> {
  app.post(
    '/api/people/hr/terminations',
    {
      config: { access: { permission: 'people.terminate' } },
      schema: {
        tags: ['people'],
        summary: 'Terminate persons by employee id (HR feed)',
        description:
          'All or nothing: if any employee id is unknown, or names a person on a site the caller may not terminate on, nothing changes and `people.hr_batch_rejected` lists each failing item. Each termination revokes every active or suspended credential in the same transaction. Persons already terminated are reported in `alreadyTerminated`, so re-sending a batch is harmless.',
        body: HrTerminationBatchSchema,
        response: { 200: HrTerminationResultSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return people.hr.terminateBatch(request.body.terminations, {
        source: principal.actor,
        scope: principal.sitesFor('people.terminate'),
      });
    },
  );

  // The CSV body parser lives in its own scope so it applies to the import route only.
  await app.register((scope: Api) => {
    scope.addContentTypeParser(CSV, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/people/import',
      {
        config: { access: { permission: 'system.admin', upload: true } },
        schema: {
          tags: ['people'],
          summary: 'Import persons and credentials from CSV (text/csv body)',
          description:
            'Columns, rules and error codes are in docs/import.md. Every row is validated and checked against the database first; with `dryRun=true` the report says what would be created and nothing is written. Otherwise a file with any error is refused with `people.import_rejected` (its `errors` give line, column and code of each, up to 1,000) and nothing is written; a clean file is written in one transaction. Rows may only name sites where the caller holds `system.admin`.',
          consumes: [CSV],
          querystring: Type.Object({ dryRun: Type.Boolean({ default: false }) }, { additionalProperties: false }),
          response: { 200: ImportReportSchema },
        },
      },
      async (request) => {
        if (typeof request.body !== 'string') {
          throw kernelError('request.unsupported_media_type', `Send the file as ${CSV}`, { expected: CSV });
        }
        const principal = principalOf(request);
        const report = await people.importPeopleCsv(csvStream(request.body), {
          dryRun: request.query.dryRun,
          source: principal.actor,
          scope: principal.sitesFor('system.admin'),
        });
        if (!report.ok && !report.dryRun) {
          throw peopleError('people.import_rejected', `The file has ${report.errorCount} error(s); nothing was written`, {
            errorCount: report.errorCount,
            errors: report.errors,
          });
        }
        return report;
      },
    );
    return Promise.resolve();
  });
}
