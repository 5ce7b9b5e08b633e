/** Each edge agent: online or not by its last heartbeat, its readers (online, secure channel), buffered events, decision time. */
import { Badge, EmptyRow, TableScroll } from '../../components/admin/layout.tsx';
import { Ago } from '../../shell/widgets.tsx';
import { agentOnline, type EdgeAgent } from './health-data.ts';

export function AgentsPanel({ agents, now, loading }: { agents: EdgeAgent[]; now: number; loading: boolean }) {
  return (
    <section aria-labelledby="agents-title">
      <h2 id="agents-title">Edge agents and readers</h2>
      <TableScroll label="Edge agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>State</th>
            <th>Last heartbeat</th>
            <th>Readers</th>
            <th className="num">Buffered events</th>
            <th className="num">Decision p99</th>
            <th>Snapshot</th>
          </tr>
        </thead>
        <tbody>
          {agents.length === 0 ? (
            <EmptyRow columns={7} loading={loading}>
              No edge agents registered on this site.
            </EmptyRow>
          ) : (
            agents.map((agent) => {
              const health = agent.health;
              const state = agent.status === 'revoked' ? 'revoked' : agentOnline(agent, now) ? 'online' : 'offline';
              return (
                <tr key={agent.id}>
                  <td>
                    {agent.name}
                    {health && <div className="muted">version {health.agentVersion}</div>}
                    {health && health.alarms.length > 0 && <div className="error">{health.alarms.join(', ')}</div>}
                  </td>
                  <td>
                    <Badge value={state} />
                  </td>
                  <td>{agent.lastSeenAt ? <Ago at={agent.lastSeenAt} now={now} /> : 'never'}</td>
                  <td>
                    {health?.readers.length ? (
                      <ul className="plain">
                        {health.readers.map((reader) => (
                          <li key={`${reader.address}-${reader.name}`}>
                            <Badge value={reader.online ? 'online' : 'offline'} /> {reader.name}
                            <span className="muted">
                              {' '}
                              (address {reader.address}
                              {reader.serialNumber ? `, ${reader.serialNumber}` : ''}){reader.secure ? '' : ' · no secure channel'}
                            </span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="num">
                    {health ? health.bufferDepth : '—'}
                    {health?.oldestBufferedAt && (
                      <div className="muted">
                        oldest <Ago at={health.oldestBufferedAt} now={now} />
                      </div>
                    )}
                  </td>
                  <td className="num">{health?.decisionP99Ms != null ? `${health.decisionP99Ms.toFixed(2)} ms` : '—'}</td>
                  <td>
                    {agent.snapshotVersion ?? '—'}
                    {health && health.snapshotVersion !== agent.snapshotVersion && (
                      <div className="muted">running {health.snapshotVersion ?? 'none'}</div>
                    )}
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </TableScroll>
    </section>
  );
}
