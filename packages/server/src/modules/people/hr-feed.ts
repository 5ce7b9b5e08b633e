/**
 * Terminations from the HR system, by employee id, all-or-nothing: either every listed person is
 * terminated (with every credential disabled) or, if any item cannot be applied, nothing is.
 * Persons already terminated are reported, not failed, so a re-delivered batch is harmless.
 */
import { newId, type EventDraft } from '@vigil/core';
import { transact, type PeopleDeps, type SiteScope } from './context.js';
import { peopleError } from './errors.js';
import type { HrErrorCode } from './import/columns.js';
import { loadMemberships } from './person-store.js';
import type { HrTerminationResult } from './schemas.js';
import type { PersonsTable } from './tables.js';
import { terminatePerson } from './termination.js';

export interface HrTerminationItem {
  employeeId: string;
  reason?: string | undefined;
}

export interface HrItemError {
  /** 0-based position of the item in the batch. */
  index: number;
  employeeId: string;
  code: HrErrorCode;
  message: string;
}

export interface HrBatchOptions {
  source: string;
  /** Sites whose persons the caller may terminate. */
  scope: SiteScope;
  correlationId?: string;
}

const CHUNK = 500;
export const DEFAULT_HR_REASON = 'terminated by the HR feed';

export class HrTerminations {
  constructor(private readonly deps: PeopleDeps) {}

  async terminateBatch(items: readonly HrTerminationItem[], options: HrBatchOptions): Promise<HrTerminationResult> {
    const correlationId = options.correlationId ?? newId();
    return transact(this.deps, async (trx, record) => {
      const employeeIds = [...new Set(items.map((i) => i.employeeId))];
      const persons = new Map<string, PersonsTable>();
      for (let i = 0; i < employeeIds.length; i += CHUNK) {
        const rows = await trx
          .selectFrom('persons')
          .selectAll()
          .where('employee_id', 'in', employeeIds.slice(i, i + CHUNK))
          .execute();
        for (const row of rows) persons.set(row.employee_id!, row);
      }
      const { sites } = await loadMemberships(
        trx,
        [...persons.values()].map((p) => p.id),
      );

      const errors: HrItemError[] = [];
      items.forEach((item, index) => {
        const person = persons.get(item.employeeId);
        if (!person) {
          errors.push({
            index,
            employeeId: item.employeeId,
            code: 'hr.unknown_employee_id',
            message: `No person has employee id ${item.employeeId}`,
          });
          return;
        }
        const personSites = sites.get(person.id) ?? [];
        const scope = options.scope;
        if (scope !== 'all' && personSites.length > 0 && !personSites.some((s) => scope.includes(s))) {
          errors.push({
            index,
            employeeId: item.employeeId,
            code: 'hr.site_not_permitted',
            message: `You may not terminate people on site ${personSites.join(', ')}`,
          });
        }
      });
      if (errors.length > 0) {
        throw peopleError(
          'people.hr_batch_rejected',
          `${errors.length} of ${items.length} terminations cannot be applied; nothing was changed`,
          {
            errors,
          },
        );
      }

      const result: HrTerminationResult = { terminated: [], alreadyTerminated: [] };
      const drafts: EventDraft[] = [];
      const done = new Set<string>();
      const now = this.deps.clock();
      for (const item of items) {
        const person = persons.get(item.employeeId)!;
        if (done.has(person.id)) continue;
        done.add(person.id);
        if (person.status === 'terminated') {
          result.alreadyTerminated.push({ employeeId: item.employeeId, personId: person.id, credentialsDisabled: 0 });
          continue;
        }
        const outcome = await terminatePerson(trx, person, sites.get(person.id) ?? [], {
          source: options.source,
          reason: item.reason ?? DEFAULT_HR_REASON,
          now,
          correlationId,
        });
        drafts.push(...outcome.drafts);
        result.terminated.push({ employeeId: item.employeeId, personId: person.id, credentialsDisabled: outcome.credentialsDisabled });
      }
      await record(trx, drafts);
      return result;
    });
  }
}
