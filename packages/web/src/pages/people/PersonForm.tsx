/** Registering a person, or changing one: kind, names, employee id, department, job roles, sites and validity window. */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { PERSON_KINDS, type Person, type PersonKind } from '../../components/admin/api-types.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { CheckboxList, Field, ItemSelect, optional } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { useDepartments, useJobRoles } from '../../components/admin/lookups.ts';
import { fromLocalInput, toLocalInput, windowProblem } from '../../components/admin/time.ts';
import { useSites } from '../../shell/sites.tsx';
import { KIND_LABEL, peopleListKey, personKey } from './people-format.ts';

interface PersonFormProps {
  open: boolean;
  onClose: () => void;
  /** The person to change; absent to register a new one. */
  person?: Person;
  onSaved?: (person: Person) => void;
}

export function PersonForm({ open, onClose, person, onSaved }: PersonFormProps) {
  return open ? <PersonFormDialog onClose={onClose} person={person} onSaved={onSaved} /> : null;
}

function PersonFormDialog({ onClose, person, onSaved }: Omit<PersonFormProps, 'open'>) {
  const { sites, site } = useSites();
  const departments = useDepartments();
  const jobRoles = useJobRoles();
  const invalidate = useInvalidate();
  const [kind, setKind] = useState<PersonKind>(person?.kind ?? 'staff');
  const [givenName, setGivenName] = useState(person?.givenName ?? '');
  const [familyName, setFamilyName] = useState(person?.familyName ?? '');
  const [employeeId, setEmployeeId] = useState(person?.employeeId ?? '');
  const [departmentId, setDepartmentId] = useState(person?.departmentId ?? '');
  const [jobRoleIds, setJobRoleIds] = useState<string[]>(person?.jobRoleIds ?? []);
  const [personSites, setPersonSites] = useState<string[]>(person?.sites ?? (site ? [site.id] : []));
  const [validFrom, setValidFrom] = useState(toLocalInput(person?.validFrom));
  const [validUntil, setValidUntil] = useState(toLocalInput(person?.validUntil));
  const roleNames = new Map((jobRoles.data ?? []).map((role) => [role.id, role.name]));

  async function save() {
    const common = { kind, givenName: givenName.trim(), familyName: familyName.trim(), jobRoleIds, sites: personSites };
    const saved = person
      ? await api.patch<Person>(`/api/people/persons/${person.id}`, {
          ...common,
          employeeId: optional(employeeId) ?? null,
          departmentId: departmentId || null,
          validFrom: fromLocalInput(validFrom) ?? null,
          validUntil: fromLocalInput(validUntil) ?? null,
        })
      : await api.post<Person>('/api/people/persons', {
          ...common,
          employeeId: optional(employeeId),
          departmentId: departmentId || undefined,
          validFrom: fromLocalInput(validFrom),
          validUntil: fromLocalInput(validUntil),
        });
    await invalidate(peopleListKey, personKey(saved.id));
    onSaved?.(saved);
  }

  return (
    <FormDialog
      open
      title={person ? 'Change person' : 'New person'}
      submitLabel={person ? 'Save changes' : 'Register person'}
      onClose={onClose}
      onSubmit={save}
      validate={() => windowProblem(validFrom, validUntil)}
    >
      <Field label="Kind">
        <select value={kind} onChange={(e) => setKind(e.target.value as PersonKind)} required>
          {PERSON_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Given name">
        <input value={givenName} onChange={(e) => setGivenName(e.target.value)} required maxLength={200} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Family name">
        <input value={familyName} onChange={(e) => setFamilyName(e.target.value)} required maxLength={200} pattern=".*\S.*" />
      </Field>
      <Field label="Employee id" hint="Optional; unique. The HR feed terminates by this id.">
        <input value={employeeId} onChange={(e) => setEmployeeId(e.target.value)} maxLength={64} />
      </Field>
      <Field label="Department">
        <ItemSelect items={departments.data ?? []} value={departmentId} onChange={setDepartmentId} none="No department" />
      </Field>
      {(jobRoles.data?.length ?? 0) > 0 && (
        <CheckboxList
          legend="Job roles"
          options={(jobRoles.data ?? []).map((role) => role.id)}
          selected={jobRoleIds}
          onChange={setJobRoleIds}
          labelOf={(id) => roleNames.get(id) ?? id}
        />
      )}
      <CheckboxList
        legend="Sites (the first is the home site)"
        options={sites.map((s) => s.id)}
        selected={personSites}
        onChange={setPersonSites}
        labelOf={(id) => sites.find((s) => s.id === id)?.name ?? id}
      />
      <Field label="Valid from" hint="Optional; local time.">
        <input type="datetime-local" value={validFrom} onChange={(e) => setValidFrom(e.target.value)} />
      </Field>
      <Field label="Valid until" hint="Optional; after this the person's credentials stop working.">
        <input type="datetime-local" value={validUntil} onChange={(e) => setValidUntil(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
