/**
 * Persons and their cards in bulk through Vigil's CSV import (one all-or-nothing request), then
 * their training records and access group memberships through Vigil's bulk routes, a few requests
 * for the whole hospital. A person is recognised across runs by their employee id, or for those
 * without one (visitors, patients, infants) by an external id made from the hospital and the
 * person's key, which the import stores in the same column. Both bulk routes skip what is already
 * there, so a second run sends the same requests and Vigil changes nothing.
 */
import { stringify } from 'csv-stringify/sync';
import { TRAINING_EPOCH } from '../hospital/people.js';
import type { HospitalModel, PersonModel } from '../model.js';
import type { VigilClientOptions } from '../live/vigil-client.js';
import type { Step } from './steps.js';
import { upload } from './upload.js';

interface Person {
  id: string;
  employeeId: string | null;
}
interface TrainingBatchResult {
  recorded: unknown[];
  alreadyRecorded: number[];
}
interface MembersChange {
  changed: string[];
}

const COLUMNS = [
  'kind',
  'employee_id',
  'given_name',
  'family_name',
  'department',
  'job_roles',
  'sites',
  'card_format',
  'facility_code',
  'card_number',
];
const DAY_MS = 86_400_000;
/** Training is entered as completed a year before it expires, and never after the generator's epoch. */
const COMPLETED_BY = TRAINING_EPOCH - DAY_MS;
/** Training records per bulk request: well inside Vigil's 5,000 and its default 1 MiB body limit. */
const TRAINING_PER_REQUEST = 2000;
/** Persons per group membership request (Vigil takes up to 5,000). */
const MEMBERS_PER_REQUEST = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function externalId(model: HospitalModel, person: PersonModel): string {
  return person.employeeId ?? `${model.site.key}:${person.key}`;
}

/** The import file: one row per card, a person's details on their first row (docs/import.md). */
export function importCsv(model: HospitalModel, siteId: string, persons: readonly PersonModel[]): string {
  const departments = new Map(model.departments.map((d) => [d.key, d.name]));
  const roles = new Map(model.jobRoles.map((r) => [r.key, r.name]));
  const rows: (string | number)[][] = [COLUMNS];
  for (const person of persons) {
    const details = [
      person.kind,
      externalId(model, person),
      person.givenName,
      person.familyName,
      person.department ? departments.get(person.department)! : '',
      person.jobRoles.map((r) => roles.get(r)!).join(';'),
      siteId,
    ];
    if (person.cards.length === 0) rows.push([...details, '', '', '']);
    person.cards.forEach((card, i) => {
      const id = details[1]!;
      rows.push([...(i === 0 ? details : ['', id, '', '', '', '', '']), card.format, card.facilityCode, card.cardNumber]);
    });
  }
  return stringify(rows);
}

export async function ensurePersons(
  step: Step,
  client: VigilClientOptions,
  siteId: string,
  model: HospitalModel,
  accessGroups: Record<string, string>,
  importTimeoutMs: number,
): Promise<Record<string, string>> {
  const { api } = step;
  const list = async () => new Map((await api.all<Person>('/api/people/persons', { site: siteId })).map((p) => [p.employeeId, p.id]));
  let existing = await list();
  const missing = model.persons.filter((p) => !existing.has(externalId(model, p)));
  if (missing.length > 0) {
    const started = performance.now();
    await upload(
      { ...client, timeoutMs: importTimeoutMs },
      {
        method: 'POST',
        path: '/api/people/import',
        query: { dryRun: false },
        contentType: 'text/csv',
        body: importCsv(model, siteId, missing),
      },
    );
    step.progress(`persons and cards (CSV import): ${missing.length} in ${Math.round(performance.now() - started)} ms`);
    existing = await list();
  }
  const persons: Record<string, string> = {};
  for (const person of model.persons) persons[person.key] = existing.get(externalId(model, person))!;

  await ensureTraining(step, model, persons);
  await ensureMembers(step, model, persons, accessGroups);
  return persons;
}

/** The model's training records, in batches; records Vigil already holds (same dates) are skipped there. */
async function ensureTraining(step: Step, model: HospitalModel, persons: Record<string, string>): Promise<void> {
  const records = model.persons.flatMap((person) =>
    person.training.map((record) => {
      const expires = Date.parse(`${record.expiresOn}T00:00:00Z`);
      const completed = Math.min(expires - 365 * DAY_MS, COMPLETED_BY);
      return {
        personId: persons[person.key]!,
        competency: record.competency,
        completedAt: new Date(completed).toISOString(),
        expiresAt: new Date(expires).toISOString(),
      };
    }),
  );
  let recorded = 0;
  await step.each('training record batches', chunks(records, TRAINING_PER_REQUEST), async (batch) => {
    const result = await step.api.post<TrainingBatchResult>('/api/people/training/bulk', { records: batch });
    recorded += result.recorded.length;
  });
  if (records.length > 0) step.progress(`training records: ${recorded} of ${records.length} recorded, the rest already there`);
}

/**
 * Each model group gets exactly the model's persons who hold it: they are added, and the model's
 * other persons removed (both no-ops when already so). Groups outside the model, and persons
 * outside it, are left as they are, as are privileges, which are not the model's.
 */
async function ensureMembers(
  step: Step,
  model: HospitalModel,
  persons: Record<string, string>,
  accessGroups: Record<string, string>,
): Promise<void> {
  const requests: { path: string; personIds: string[] }[] = [];
  for (const group of model.accessGroups) {
    const groupId = accessGroups[group.key]!;
    const holds = (person: PersonModel) => person.accessGroups.includes(group.key);
    const members = model.persons.filter(holds).map((p) => persons[p.key]!);
    const others = model.persons.filter((p) => !holds(p)).map((p) => persons[p.key]!);
    for (const personIds of chunks(members, MEMBERS_PER_REQUEST))
      requests.push({ path: `/api/access-groups/${groupId}/members`, personIds });
    for (const personIds of chunks(others, MEMBERS_PER_REQUEST)) {
      requests.push({ path: `/api/access-groups/${groupId}/members/remove`, personIds });
    }
  }
  let changed = 0;
  await step.each('access group membership requests', requests, async ({ path, personIds }) => {
    const result = await step.api.post<MembersChange>(path, { personIds });
    changed += result.changed.length;
  });
  if (requests.length > 0) step.progress(`access group memberships: ${changed} changed`);
}
