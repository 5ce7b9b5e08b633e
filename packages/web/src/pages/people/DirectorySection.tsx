/**
 * Departments and job roles: the names persons (and CSV imports) refer to. Create them before
 * importing; one still in use cannot be deleted (the server says how many persons use it).
 */
import type { QueryKey } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { NamedItem } from '../../components/admin/api-types.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, nullable, optional } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { peopleKeys, useDepartments, useJobRoles } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';

export function DirectorySection() {
  const departments = useDepartments();
  const jobRoles = useJobRoles();
  return (
    <div className="split">
      <NamedItems
        title="Departments"
        noun="department"
        path="/api/people/departments"
        queryKey={peopleKeys.departments}
        query={departments}
      />
      <NamedItems title="Job roles" noun="job role" path="/api/people/job-roles" queryKey={peopleKeys.jobRoles} query={jobRoles} />
    </div>
  );
}

interface NamedItemsProps {
  title: string;
  noun: string;
  path: string;
  queryKey: QueryKey;
  query: { data?: NamedItem[]; error: unknown; isPending: boolean };
}

function NamedItems({ title, noun, path, queryKey, query }: NamedItemsProps) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const [editing, setEditing] = useState<NamedItem | 'new' | null>(null);
  const [deleting, setDeleting] = useState<NamedItem | null>(null);
  const manage = can('people.manage');
  const items = query.data ?? [];
  return (
    <section className="panel" aria-label={title}>
      <SectionHeader title={title}>
        {manage && (
          <button type="button" onClick={() => setEditing('new')}>
            New {noun}
          </button>
        )}
      </SectionHeader>
      <ServerError error={query.error} />
      <TableScroll label={`${title} list`}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={items} columns={manage ? 3 : 2} loading={query.isPending} empty="None yet.">
            {(item) => (
              <tr key={item.id}>
                <td>{item.name}</td>
                <td className="muted">{item.description ?? '—'}</td>
                {manage && (
                  <td>
                    <RowActions name={item.name} onChange={() => setEditing(item)} onDelete={() => setDeleting(item)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {editing && (
        <NamedItemForm
          noun={noun}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSubmit={async (name, description) => {
            if (editing === 'new') await api.post(path, { name, description: optional(description) });
            else await api.patch(`${path}/${editing.id}`, { name, description: nullable(description) });
            await invalidate(queryKey);
          }}
        />
      )}
      <DeleteDialog
        item={deleting}
        title={`Delete ${noun}`}
        confirmLabel="Delete"
        path={(item) => `${path}/${item.id}`}
        onDeleted={() => invalidate(queryKey)}
        onClose={() => setDeleting(null)}
      >
        <p>
          Delete the {noun} <strong>{deleting?.name}</strong>? Persons still referring to it must be moved first.
        </p>
      </DeleteDialog>
    </section>
  );
}

function NamedItemForm({
  noun,
  item,
  onClose,
  onSubmit,
}: {
  noun: string;
  item: NamedItem | null;
  onClose: () => void;
  onSubmit: (name: string, description: string) => Promise<void>;
}) {
  const [name, setName] = useState(item?.name ?? '');
  const [description, setDescription] = useState(item?.description ?? '');
  return (
    <FormDialog
      open
      title={item ? `Change ${noun}` : `New ${noun}`}
      submitLabel={item ? 'Save' : 'Create'}
      onClose={onClose}
      onSubmit={() => onSubmit(name.trim(), description)}
    >
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} pattern=".*\S.*" autoFocus />
      </Field>
      <Field label="Description" hint="Optional.">
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} rows={2} />
      </Field>
    </FormDialog>
  );
}
