/** Doors that need attention: forced or held open, never reported, or served by an agent that is offline. */
import { Badge, EmptyRow, TableScroll } from '../../components/admin/layout.tsx';
import { namer, useDoors } from '../../components/admin/lookups.ts';
import { Ago } from '../../shell/widgets.tsx';
import type { DoorState } from './health-data.ts';

function problemOf(state: DoorState, onlineAgentIds: Set<string>): string | null {
  if (state.alarm === 'forced_open') return 'forced open';
  if (state.alarm === 'held_open') return 'held open';
  if (!state.reportedAt) return 'never reported';
  if (!state.agentId || !onlineAgentIds.has(state.agentId)) return 'agent offline';
  return null;
}

export function DoorStatesPanel({
  siteId,
  states,
  onlineAgentIds,
  loading,
}: {
  siteId: string;
  states: DoorState[];
  onlineAgentIds: Set<string>;
  loading: boolean;
}) {
  const doorName = namer(useDoors(siteId).data);
  const attention = states.map((state) => ({ state, problem: problemOf(state, onlineAgentIds) })).filter((row) => row.problem !== null);
  return (
    <section aria-labelledby="door-states-title">
      <h2 id="door-states-title">Doors needing attention</h2>
      <p className="muted">
        {states.filter((s) => s.reportedAt).length} of {states.length} doors have reported; {states.filter((s) => s.open).length} open,{' '}
        {states.filter((s) => s.reportedAt && !s.locked).length} unlocked.
      </p>
      <TableScroll label="Doors needing attention">
        <thead>
          <tr>
            <th>Door</th>
            <th>Problem</th>
            <th>Mode</th>
            <th>Last report</th>
          </tr>
        </thead>
        <tbody>
          {attention.length === 0 ? (
            <EmptyRow columns={4} loading={loading}>
              Every door reports through an online agent, none forced or held open.
            </EmptyRow>
          ) : (
            attention.map(({ state, problem }) => (
              <tr key={state.doorId}>
                <td>{doorName(state.doorId)}</td>
                <td>
                  <Badge value={problem ?? ''} tone={state.alarm ? 'danger' : 'warn'} />
                </td>
                <td>{state.mode.replace(/_/g, ' ')}</td>
                <td>{state.reportedAt ? <Ago at={state.reportedAt} /> : 'never'}</td>
              </tr>
            ))
          )}
        </tbody>
      </TableScroll>
    </section>
  );
}
