/**
 * An operator's API tokens for integrations: name, scope (permissions and sites, never more than
 * the owner holds), expiry, last use. A new token's secret is shown once; revoking confirms.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { DeleteDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { CheckboxList, Field } from '../../components/admin/forms.tsx';
import { useInvalidate, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { namer } from '../../components/admin/lookups.ts';
import { SecretOnce } from '../../components/admin/SecretOnce.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant, fromLocalInput } from '../../components/admin/time.ts';
import { useSites } from '../../shell/sites.tsx';
import { PERMISSIONS, tokensKey, type ApiToken, type Operator, type Permission } from './operator-types.ts';

export function TokensPanel({ operator }: { operator: Operator }) {
  const invalidate = useInvalidate();
  const siteName = namer(useSites().sites);
  const [issuing, setIssuing] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const list = usePaged<ApiToken>(tokensKey(operator.id), '/api/tokens', { operatorId: operator.id });
  const stateOf = (token: ApiToken) =>
    token.revokedAt ? 'revoked' : token.expiresAt && Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'active';

  return (
    <section aria-labelledby="tokens-title">
      <SectionHeader title="API tokens" level={3} id="tokens-title">
        <button type="button" className="secondary" onClick={() => setIssuing(true)} disabled={operator.disabled}>
          Issue token
        </button>
      </SectionHeader>
      <ServerError error={list.error} />
      <TableScroll label="API tokens">
        <thead>
          <tr>
            <th>Token</th>
            <th>Scope</th>
            <th>State</th>
            <th>Last used</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.items} columns={5} loading={list.isPending} empty="No API tokens.">
            {(token) => (
              <tr key={token.id}>
                <td>
                  {token.name}
                  <div className="muted">
                    <code>{token.prefix}…</code> · expires {token.expiresAt ? formatInstant(token.expiresAt) : 'never'}
                  </div>
                </td>
                <td className="muted">
                  {token.permissions.join(', ')} on {token.sites.map((s) => (s === '*' ? 'every site' : siteName(s))).join(', ')}
                </td>
                <td>
                  <Badge value={stateOf(token)} />
                </td>
                <td>{formatInstant(token.lastUsedAt)}</td>
                <td>
                  {!token.revokedAt && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setRevoking(token)}
                      aria-label={`Revoke token ${token.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="tokens" />
      {issuing && (
        <IssueTokenForm
          operatorId={operator.id}
          onClose={() => setIssuing(false)}
          onIssued={async (secretText) => {
            await invalidate(tokensKey(operator.id));
            setSecret(secretText);
          }}
        />
      )}
      <DeleteDialog
        item={revoking}
        title="Revoke API token"
        confirmLabel="Revoke token"
        path={(item) => `/api/tokens/${item.id}`}
        onDeleted={() => invalidate(tokensKey(operator.id))}
        onClose={() => setRevoking(null)}
      >
        <p>
          Revoke <strong>{revoking?.name}</strong>? Every integration using it is refused from now on. This cannot be undone.
        </p>
      </DeleteDialog>
      <SecretOnce
        title="New API token"
        secret={secret}
        explanation="Configure the integration with this secret, sent as Authorization: Bearer <secret>."
        onClose={() => setSecret(null)}
      />
    </section>
  );
}

function IssueTokenForm({
  operatorId,
  onClose,
  onIssued,
}: {
  operatorId: string;
  onClose: () => void;
  onIssued: (secret: string) => Promise<void>;
}) {
  const { sites } = useSites();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const [tokenSites, setTokenSites] = useState<string[]>([]);
  const [expiresAt, setExpiresAt] = useState('');
  return (
    <FormDialog
      open
      title="Issue API token"
      submitLabel="Issue token"
      onClose={onClose}
      validate={() => {
        if (permissions.length === 0) return 'Choose at least one permission.';
        if (tokenSites.length === 0) return 'Choose at least one site, or every site.';
        if (expiresAt && Date.parse(expiresAt) <= Date.now()) return 'The expiry must be in the future.';
        return null;
      }}
      onSubmit={async () => {
        const result = await api.post<{ secret: string }>('/api/tokens', {
          name: name.trim(),
          permissions,
          sites: tokenSites,
          expiresAt: fromLocalInput(expiresAt) ?? null,
          operatorId,
        });
        await onIssued(result.secret);
      }}
    >
      <Field label="Token name" hint="What uses it, e.g. HR feed.">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
      </Field>
      <CheckboxList
        legend="Permissions (no more than the owner holds)"
        options={PERMISSIONS}
        selected={permissions}
        onChange={setPermissions}
      />
      <CheckboxList
        legend="Sites"
        options={['*', ...sites.map((s) => s.id)]}
        selected={tokenSites}
        onChange={setTokenSites}
        labelOf={(id) => (id === '*' ? 'Every site' : (sites.find((s) => s.id === id)?.name ?? id))}
      />
      <Field label="Expires" hint="Optional; local time. Integrations should use tokens that expire.">
        <input type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
