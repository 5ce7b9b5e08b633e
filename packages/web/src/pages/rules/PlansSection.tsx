/**
 * Emergency plans as configuration: which part of the site a plan covers, which doors it drives,
 * which outputs (sirens, strobes) and channels it uses, what buttons start it, and whether a second
 * operator must confirm. Starting and clearing plans is on the Emergency plans screen.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog } from '../../components/admin/dialogs.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { namer } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';
import { PlanForm, plansKey, type EmergencyPlan } from './PlanForm.tsx';

const KIND_LABEL: Record<EmergencyPlan['kind'], string> = {
  fire: 'Fire',
  lockdown: 'Lockdown',
  code_pink: 'Code Pink',
  shelter_in_place: 'Shelter in place',
};

export function PlansSection() {
  const { can } = useSession();
  const { sites, site } = useSites();
  const siteName = namer(sites);
  const [editing, setEditing] = useState<EmergencyPlan | 'new' | null>(null);
  const [deleting, setDeleting] = useState<EmergencyPlan | null>(null);
  const invalidate = useInvalidate();
  const plans = useQuery({
    queryKey: plansKey,
    queryFn: () => api.get<{ items: EmergencyPlan[] }>('/api/emergency/plans'),
    enabled: can('emergency.start'),
  });
  const manage = can('facility.manage');

  if (!can('emergency.start')) return <p>Reading emergency plans needs the emergency.start permission.</p>;
  return (
    <div>
      <SectionHeader title="Emergency plans">
        {manage && site && (
          <button type="button" onClick={() => setEditing('new')}>
            New plan
          </button>
        )}
      </SectionHeader>
      <ServerError error={plans.error} />
      <TableScroll label="Emergency plans">
        <thead>
          <tr>
            <th>Plan</th>
            <th>Kind</th>
            <th>Site</th>
            <th>Doors</th>
            <th>Second operator</th>
            <th className="num">Version</th>
            {manage && <th>Actions</th>}
          </tr>
        </thead>
        <tbody>
          <TableRows items={plans.data?.items ?? []} columns={manage ? 7 : 6} loading={plans.isPending} empty="No emergency plans yet.">
            {(plan) => (
              <tr key={plan.id}>
                <td>{plan.name}</td>
                <td>{KIND_LABEL[plan.kind]}</td>
                <td>{siteName(plan.siteId)}</td>
                <td>
                  {plan.doors.selection === 'all' ? 'all in scope' : 'perimeter'}
                  {plan.doors.include.length > 0 && ` +${plan.doors.include.length}`}
                  {plan.doors.exclude.length > 0 && ` −${plan.doors.exclude.length}`}
                </td>
                <td>{plan.requiresConfirmation ? <Badge value="enabled" label="required" /> : 'no'}</td>
                <td className="num">{plan.version}</td>
                {manage && (
                  <td>
                    <RowActions name={plan.name} onChange={() => setEditing(plan)} onDelete={() => setDeleting(plan)} />
                  </td>
                )}
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {deleting && (
        <ConfirmDialog
          open
          title={`Delete ${deleting.name}`}
          confirmLabel="Delete plan"
          onConfirm={async () => {
            await api.delete(`/api/emergency/plans/${deleting.id}`);
            await invalidate(plansKey);
          }}
          onClose={() => setDeleting(null)}
        >
          <p>
            The plan can no longer be started, by an operator, a button or a rule. Its past activations and their reports are kept. A plan
            that is active, or that a rule starts, cannot be deleted.
          </p>
        </ConfirmDialog>
      )}
      {editing && (site || editing !== 'new') && (
        <PlanForm
          plan={editing === 'new' ? null : editing}
          siteId={editing === 'new' ? (site?.id ?? '') : editing.siteId}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
