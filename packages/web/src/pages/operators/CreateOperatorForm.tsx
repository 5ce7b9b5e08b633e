/** A new operator: user name, display name and the roles they start with (each on one site or every site). */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { FormDialog } from '../../components/admin/dialogs.tsx';
import { Field } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { useSites } from '../../shell/sites.tsx';
import { ROLES, USERNAME_PATTERN, operatorsKey, type Grant, type Operator, type Role } from './operator-types.ts';

/** Role and site pickers for one grant ('*' is every site). */
export function GrantFields({ grant, onChange, index }: { grant: Grant; onChange: (grant: Grant) => void; index?: number }) {
  const { sites } = useSites();
  const suffix = index === undefined ? '' : ` ${index + 1}`;
  return (
    <>
      <Field label={`Role${suffix}`}>
        <select value={grant.role} onChange={(e) => onChange({ ...grant, role: e.target.value as Role })}>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </Field>
      <Field label={`On site${suffix}`}>
        <select value={grant.site} onChange={(e) => onChange({ ...grant, site: e.target.value })}>
          <option value="*">Every site</option>
          {sites.map((site) => (
            <option key={site.id} value={site.id}>
              {site.name}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

export function CreateOperatorForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (operator: Operator, oneTimePassword: string) => void;
}) {
  const invalidate = useInvalidate();
  const { site } = useSites();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [grants, setGrants] = useState<Grant[]>([{ role: 'operator', site: site?.id ?? '*' }]);

  return (
    <FormDialog
      open
      title="New operator"
      submitLabel="Create operator"
      onClose={onClose}
      validate={() => {
        const keys = grants.map((g) => `${g.role}@${g.site}`);
        return new Set(keys).size !== keys.length ? 'The same role on the same site is listed twice.' : null;
      }}
      onSubmit={async () => {
        const result = await api.post<{ operator: Operator; oneTimePassword: string }>('/api/operators', {
          username: username.trim(),
          displayName: displayName.trim(),
          roles: grants,
        });
        await invalidate(operatorsKey);
        onCreated(result.operator, result.oneTimePassword);
      }}
    >
      <Field label="User name" hint="2–64 letters, digits, . _ @ -; starts with a letter or digit.">
        <input
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          pattern={USERNAME_PATTERN}
          maxLength={64}
          autoComplete="off"
          autoFocus
        />
      </Field>
      <Field label="Display name">
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={200} />
      </Field>
      {grants.map((grant, index) => (
        <fieldset key={index} className="checkbox-list">
          <legend>Role {index + 1}</legend>
          <GrantFields grant={grant} index={index} onChange={(next) => setGrants(grants.map((g, i) => (i === index ? next : g)))} />
          <button
            type="button"
            className="secondary"
            onClick={() => setGrants(grants.filter((_, i) => i !== index))}
            aria-label={`Remove role ${index + 1}`}
          >
            Remove
          </button>
        </fieldset>
      ))}
      <p>
        <button type="button" className="secondary" onClick={() => setGrants([...grants, { role: 'operator', site: site?.id ?? '*' }])}>
          Add role
        </button>
      </p>
    </FormDialog>
  );
}
