/**
 * A person's credentials (card numbers masked by the server) and what may be done to each. Lost,
 * stolen and revoked are final (a lost card may still be reported stolen), so those confirm first.
 */
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Credential, Person } from '../../components/admin/api-types.ts';
import { ConfirmDialog } from '../../components/admin/dialogs.tsx';
import { useAction, useInvalidate, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { useSession } from '../../shell/session.tsx';
import { IssueCardForm, SetPinForm } from './IssueCredential.tsx';
import { credentialsKey, describeCredential, personKey } from './people-format.ts';

type FinalAction = 'report-lost' | 'report-stolen' | 'revoke' | 'suspend';

const FINAL_TEXT: Record<FinalAction, { title: string; confirm: string; text: string }> = {
  suspend: { title: 'Suspend credential', confirm: 'Suspend', text: 'It stops working until it is resumed.' },
  'report-lost': {
    title: 'Report credential lost',
    confirm: 'Report lost',
    text: 'It stops working for good; it can still be reported stolen later.',
  },
  'report-stolen': {
    title: 'Report credential stolen',
    confirm: 'Report stolen',
    text: 'It stops working for good, and presenting it raises an alarm.',
  },
  revoke: { title: 'Revoke credential', confirm: 'Revoke', text: 'It stops working for good. This cannot be undone.' },
};

export function CredentialsPanel({ person }: { person: Person }) {
  const { can } = useSession();
  const invalidate = useInvalidate();
  const resume = useAction();
  const [issuing, setIssuing] = useState<'card' | 'pin' | null>(null);
  const [pending, setPending] = useState<{ credential: Credential; action: FinalAction } | null>(null);
  const list = usePaged<Credential>(credentialsKey(person.id), `/api/people/persons/${person.id}/credentials`);
  const manage = can('credentials.manage') && person.status !== 'terminated';
  const refresh = () => invalidate(credentialsKey(person.id), personKey(person.id));

  const change = async (credential: Credential, action: FinalAction | 'resume', reason?: string) => {
    await api.post<Credential>(`/api/people/credentials/${credential.id}/${action}`, { reason });
    await refresh();
  };

  return (
    <section aria-labelledby="credentials-title">
      <SectionHeader title="Credentials" level={3} id="credentials-title">
        {manage && (
          <>
            <button type="button" className="secondary" onClick={() => setIssuing('card')}>
              Issue card
            </button>
            <button type="button" className="secondary" onClick={() => setIssuing('pin')}>
              Set PIN
            </button>
          </>
        )}
      </SectionHeader>
      <ServerError error={list.error ?? resume.error} />
      <TableScroll label="Credential list" stackOnPhone>
        <thead>
          <tr>
            <th>Credential</th>
            <th>Status</th>
            <th>Valid</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.items} columns={manage ? 4 : 3} loading={list.isPending} empty="No credentials.">
            {(credential) => (
              <tr key={credential.id}>
                <td data-label="Credential">{describeCredential(credential)}</td>
                <td data-label="Status">
                  <Badge value={credential.status} />
                  {credential.statusReason && <div className="muted">{credential.statusReason}</div>}
                </td>
                <td className="muted" data-label="Valid">
                  {formatInstant(credential.validFrom)} → {formatInstant(credential.validUntil)}
                </td>
                {manage && (
                  <td>
                    <div className="row-actions" aria-label={`Actions for ${describeCredential(credential)}`} role="group">
                      {credential.status === 'active' && (
                        <button type="button" className="secondary" onClick={() => setPending({ credential, action: 'suspend' })}>
                          Suspend
                        </button>
                      )}
                      {credential.status === 'suspended' && (
                        <button
                          type="button"
                          className="secondary"
                          disabled={resume.busy}
                          onClick={() => void resume.run(() => change(credential, 'resume'))}
                        >
                          Resume
                        </button>
                      )}
                      {(credential.status === 'active' || credential.status === 'suspended') && (
                        <button type="button" className="secondary" onClick={() => setPending({ credential, action: 'report-lost' })}>
                          Lost
                        </button>
                      )}
                      {credential.status !== 'stolen' && credential.status !== 'revoked' && (
                        <button type="button" className="secondary" onClick={() => setPending({ credential, action: 'report-stolen' })}>
                          Stolen
                        </button>
                      )}
                      {(credential.status === 'active' || credential.status === 'suspended') && (
                        <button type="button" className="danger" onClick={() => setPending({ credential, action: 'revoke' })}>
                          Revoke
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="credentials" />

      {issuing === 'card' && <IssueCardForm personId={person.id} onClose={() => setIssuing(null)} onIssued={refresh} />}
      {issuing === 'pin' && <SetPinForm personId={person.id} onClose={() => setIssuing(null)} onIssued={refresh} />}
      {pending && (
        <ConfirmDialog
          open
          title={FINAL_TEXT[pending.action].title}
          confirmLabel={FINAL_TEXT[pending.action].confirm}
          reason="optional"
          danger={pending.action !== 'suspend'}
          onConfirm={(reason) => change(pending.credential, pending.action, reason)}
          onClose={() => setPending(null)}
        >
          <p>
            <strong>{describeCredential(pending.credential)}</strong>: {FINAL_TEXT[pending.action].text}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
