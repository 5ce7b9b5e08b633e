/**
 * System health of the chosen site: a summary an on-call supervisor can read at a glance (agents,
 * doors, devices online or not), then each edge agent with its last heartbeat and readers, doors
 * that need attention, the device registry by health, batteries (low ones marked), and devices
 * whose alarms are mostly false.
 */
import { Link } from 'react-router';
import { useDevices } from '../../components/admin/lookups.ts';
import { useNow } from '../../components/useNow.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSession } from '../../shell/session.tsx';
import { useSites } from '../../shell/sites.tsx';
import { AgentsPanel } from './AgentsPanel.tsx';
import { BatteriesPanel } from './BatteriesPanel.tsx';
import { DevicesHealthPanel } from './DevicesHealthPanel.tsx';
import { DoorStatesPanel } from './DoorStatesPanel.tsx';
import { FalseAlarmPanel } from './FalseAlarmPanel.tsx';
import { agentOnline, useHealthData } from './health-data.ts';
import './health.css';

function Tile({ label, value, total, tone }: { label: string; value: number; total?: number; tone: 'ok' | 'warn' | 'danger' | 'muted' }) {
  return (
    <div className={`tile ${tone}`}>
      <strong>
        {value}
        {total !== undefined && <span className="muted"> / {total}</span>}
      </strong>
      <span>{label}</span>
    </div>
  );
}

export default function HealthPage() {
  const { site } = useSites();
  if (!site) return <p>No site yet.</p>;
  return <SiteHealth siteId={site.id} siteName={site.name} />;
}

function SiteHealth({ siteId, siteName }: { siteId: string; siteName: string }) {
  const { can } = useSession();
  const now = useNow();
  const { agents, doors } = useHealthData(siteId);
  const devices = useDevices(siteId);
  const activeAgents = (agents.data ?? []).filter((a) => a.status === 'active');
  const onlineAgents = activeAgents.filter((a) => agentOnline(a, now));
  const onlineAgentIds = new Set(onlineAgents.map((a) => a.id));
  const doorStates = doors.data ?? [];
  const doorsOffline = doorStates.filter((d) => !d.agentId || !onlineAgentIds.has(d.agentId)).length;
  const doorAlarms = doorStates.filter((d) => d.alarm).length;
  const readers = activeAgents.flatMap((a) => a.health?.readers ?? []);
  const deviceList = devices.data ?? [];
  const count = (health: string) => deviceList.filter((d) => d.health === health).length;
  const lowBatteries = deviceList.filter((d) => d.battery?.low).length;

  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">System health — {siteName}</h1>
      <ServerError error={agents.error ?? doors.error ?? devices.error} />
      <div className="tiles" role="list" aria-label="Summary">
        <div role="listitem">
          <Tile
            label="edge agents online"
            value={onlineAgents.length}
            total={activeAgents.length}
            tone={onlineAgents.length < activeAgents.length ? 'danger' : 'ok'}
          />
        </div>
        <div role="listitem">
          <Tile
            label="readers online"
            value={readers.filter((r) => r.online).length}
            total={readers.length}
            tone={readers.some((r) => !r.online) ? 'danger' : 'ok'}
          />
        </div>
        <div role="listitem">
          <Tile label="doors without a live agent" value={doorsOffline} total={doorStates.length} tone={doorsOffline > 0 ? 'warn' : 'ok'} />
        </div>
        <div role="listitem">
          <Tile label="doors forced or held open" value={doorAlarms} tone={doorAlarms > 0 ? 'danger' : 'ok'} />
        </div>
        <div role="listitem">
          <Tile label="devices offline" value={count('offline')} total={deviceList.length} tone={count('offline') > 0 ? 'danger' : 'ok'} />
        </div>
        <div role="listitem">
          <Tile label="devices degraded" value={count('degraded')} tone={count('degraded') > 0 ? 'warn' : 'ok'} />
        </div>
        <div role="listitem">
          <Tile label="devices never heard from" value={count('unknown')} tone={count('unknown') > 0 ? 'muted' : 'ok'} />
        </div>
        <div role="listitem">
          <Tile label="batteries low" value={lowBatteries} tone={lowBatteries > 0 ? 'warn' : 'ok'} />
        </div>
      </div>
      <AgentsPanel agents={agents.data ?? []} now={now} loading={agents.isPending} />
      <DoorStatesPanel siteId={siteId} states={doorStates} onlineAgentIds={onlineAgentIds} loading={doors.isPending} />
      <DevicesHealthPanel devices={deviceList} loading={devices.isPending} />
      <BatteriesPanel devices={deviceList} loading={devices.isPending} />
      {can('alarms.handle') && <FalseAlarmPanel siteId={siteId} />}
      <p className="muted">
        Refreshed every 15 seconds and whenever a door reports. Register or change devices under{' '}
        <Link to="/facility/devices">Facility → Devices</Link>.
      </p>
    </section>
  );
}
