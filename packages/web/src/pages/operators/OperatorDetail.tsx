/**
 * One operator: account state, roles per site (grant, revoke), and the account actions an
 * administrator takes when something goes wrong — disable, enable (which also lifts a lockout),
 * reset MFA after a lost phone, issue a new one-time password. Each confirms first.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader, TableScroll } from '../../components/admin/layout.tsx';
import { namer } from '../../components/admin/lookups.ts';
import { SecretOnce } from '../../components/admin/SecretOnce.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { useSites } from '../../shell/sites.tsx';
import { GrantFields } from './CreateOperatorForm.tsx';
import { operatorKey, operatorsKey, type Grant, type Operator } from './operator-types.ts';
import { TokensPanel } from './TokensPanel.tsx';

type Action = 'disable' | 'enable' | 'mfa' | 'password' | 'grant' | { revoke: Grant } | null;

export function OperatorDetail({ operatorId }: { operatorId: string }) {
  const invalidate = useInvalidate();
  const siteName = namer(useSites().sites);
  const [action, setAction] = useState<Action>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [grant, setGrant] = useState<Grant>({ role: 'operator', site: '*' });
  const query = useQuery({ queryKey: operatorKey(operatorId), queryFn: () => api.get<Operator>(`/api/operators/${operatorId}`) });
  const operator = query.data;
  if (!operator) return query.error ? <ServerError error={query.error} /> : <p className="loading">Loading…</p>;

  const refresh = () => invalidate(operatorsKey);
  const close = () => setAction(null);
  const post = async (path: string, body?: unknown) => {
    await api.post(`/api/operators/${operator.id}/${path}`, body);
    await refresh();
  };
  const locked = operator.lockedUntil !== null && Date.parse(operator.lockedUntil) > Date.now();

  return (
    <article className="panel" aria-label={`Operator ${operator.username}`}>
      <SectionHeader title={`${operator.displayName} (${operator.username})`}>
        {operator.disabled || locked ? (
          <button type="button" className="secondary" onClick={() => setAction('enable')}>
            {operator.disabled ? 'Enable' : 'Lift lockout'}
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => setAction('disable')}>
            Disable
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setAction('mfa')} disabled={!operator.mfaEnrolled}>
          Reset MFA
        </button>
        <button type="button" className="secondary" onClick={() => setAction('password')}>
          Reset password
        </button>
      </SectionHeader>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <Badge value={operator.disabled ? 'disabled' : 'enabled'} />{' '}
          {locked && <Badge value="locked" tone="warn" label={`locked until ${formatInstant(operator.lockedUntil)}`} />}
        </dd>
        <dt>MFA</dt>
        <dd>{operator.mfaEnrolled ? 'enrolled' : operator.mfaRequired ? 'required, not yet enrolled' : 'not required by their roles'}</dd>
        <dt>Password</dt>
        <dd>{operator.mustChangePassword ? 'one-time password: must choose their own at next sign-in' : 'chosen by the operator'}</dd>
        <dt>Last sign-in</dt>
        <dd>{formatInstant(operator.lastSignInAt)}</dd>
        <dt>Created</dt>
        <dd>{formatInstant(operator.createdAt)}</dd>
      </dl>

      <SectionHeader title="Roles" level={3}>
        <button type="button" className="secondary" onClick={() => setAction('grant')}>
          Grant a role
        </button>
      </SectionHeader>
      <TableScroll label="Roles">
        <thead>
          <tr>
            <th>Role</th>
            <th>Site</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {operator.grants.map((g) => (
            <tr key={`${g.role}@${g.site}`}>
              <td>{g.role}</td>
              <td>{g.site === '*' ? 'every site' : siteName(g.site)}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setAction({ revoke: g })}
                  aria-label={`Revoke ${g.role} on ${g.site === '*' ? 'every site' : siteName(g.site)}`}
                >
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </TableScroll>
      <TokensPanel operator={operator} />

      <FormDialog open={action === 'grant'} title="Grant a role" submitLabel="Grant" onClose={close} onSubmit={() => post('roles', grant)}>
        <GrantFields grant={grant} onChange={setGrant} />
      </FormDialog>
      <ConfirmDialog
        open={typeof action === 'object' && action !== null}
        title="Revoke role"
        confirmLabel="Revoke role"
        onClose={close}
        onConfirm={async () => {
          if (typeof action !== 'object' || action === null) return;
          await api.delete(
            `/api/operators/${operator.id}/roles/${encodeURIComponent(action.revoke.role)}/${encodeURIComponent(action.revoke.site)}`,
          );
          await refresh();
        }}
      >
        <p>{operator.username} loses what that role allowed at once, including in open sessions.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={action === 'disable'}
        title={`Disable ${operator.username}`}
        confirmLabel="Disable"
        onClose={close}
        onConfirm={() => post('disable')}
      >
        <p>They are signed out everywhere and cannot sign in; their API tokens stop working. The account and its history are kept.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={action === 'enable'}
        title={`Enable ${operator.username}`}
        confirmLabel="Enable"
        danger={false}
        onClose={close}
        onConfirm={() => post('enable')}
      >
        <p>They can sign in again{locked ? ', and the lockout after failed sign-ins is lifted' : ''}.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={action === 'mfa'}
        title={`Reset MFA of ${operator.username}`}
        confirmLabel="Reset MFA"
        onClose={close}
        onConfirm={() => post('mfa/reset')}
      >
        <p>
          Their authenticator is removed (a lost or replaced phone). If their role requires MFA they must enrol a new one at their next
          sign-in.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={action === 'password'}
        title={`Reset password of ${operator.username}`}
        confirmLabel="Issue one-time password"
        onClose={close}
        onConfirm={async () => {
          const result = await api.post<{ oneTimePassword: string }>(`/api/operators/${operator.id}/password/reset`);
          await refresh();
          setPassword(result.oneTimePassword);
        }}
      >
        <p>Their current password stops working and their sessions end. You receive a one-time password to hand over.</p>
      </ConfirmDialog>
      <SecretOnce
        title={`One-time password for ${operator.username}`}
        secret={password}
        explanation="Give this to the operator over a trusted channel; they must choose their own password when they sign in with it."
        onClose={() => setPassword(null)}
      />
    </article>
  );
}
