/**
 * Operator accounts: who may sign in to Vigil, with which roles on which sites, whether their MFA
 * is enrolled, and their API tokens. New accounts and password resets get a one-time password,
 * shown once. The chosen operator is in the address (`?operator=`), so a link opens them.
 */
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { SecretOnce } from '../../components/admin/SecretOnce.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { CreateOperatorForm } from './CreateOperatorForm.tsx';
import { OperatorDetail } from './OperatorDetail.tsx';
import { operatorsKey, type Operator } from './operator-types.ts';

export default function OperatorsPage() {
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('operator');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const list = usePaged<Operator>(operatorsKey, '/api/operators');
  const select = (id: string | null) => setParams(id ? { operator: id } : {});

  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">Operators</h1>
      <div className={selectedId ? 'split has-detail' : 'split'}>
        <div className="list-pane">
          <SectionHeader title="Accounts">
            <button type="button" onClick={() => setCreating(true)}>
              New operator
            </button>
          </SectionHeader>
          <ServerError error={list.error} />
          <TableScroll label="Operators">
            <thead>
              <tr>
                <th>User name</th>
                <th>Name</th>
                <th>State</th>
                <th>MFA</th>
              </tr>
            </thead>
            <tbody>
              <TableRows items={list.items} columns={4} loading={list.isPending} empty="No operators.">
                {(operator) => (
                  <tr key={operator.id} className={operator.id === selectedId ? 'selected' : undefined}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => select(operator.id)}
                        aria-current={operator.id === selectedId ? 'true' : undefined}
                      >
                        {operator.username}
                      </button>
                    </td>
                    <td>{operator.displayName}</td>
                    <td>
                      <Badge value={operator.disabled ? 'disabled' : 'enabled'} />
                    </td>
                    <td>
                      {operator.mfaEnrolled ? 'enrolled' : operator.mfaRequired ? <Badge value="missing" tone="warn" /> : 'not required'}
                    </td>
                  </tr>
                )}
              </TableRows>
            </tbody>
          </TableScroll>
          <LoadMore list={list} noun="operators" />
        </div>
        <div className="detail-pane">
          {selectedId ? (
            <>
              <button type="button" className="secondary back-button" onClick={() => select(null)}>
                ← All operators
              </button>
              <OperatorDetail key={selectedId} operatorId={selectedId} />
            </>
          ) : (
            <p className="muted">Choose an operator to see their roles, account state and API tokens.</p>
          )}
        </div>
      </div>
      {creating && (
        <CreateOperatorForm
          onClose={() => setCreating(false)}
          onCreated={(operator, password) => {
            setCreated({ username: operator.username, password });
            select(operator.id);
          }}
        />
      )}
      <SecretOnce
        title={`One-time password for ${created?.username ?? ''}`}
        secret={created?.password ?? null}
        explanation="Give this to the operator over a trusted channel. They must choose their own password at first sign-in (and enrol an authenticator if their role requires it)."
        onClose={() => setCreated(null)}
      />
    </section>
  );
}
