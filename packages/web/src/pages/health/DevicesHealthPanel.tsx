/** The registry's devices that are not online (offline, degraded, never heard from), readers first, with the reason each gives. */
import type { Device } from '../../components/admin/api-types.ts';
import { Badge, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { Ago } from '../../shell/widgets.tsx';
import { BatteryLevel, DeviceNameCell } from './device-cells.tsx';

const ORDER: Record<Device['health'], number> = { offline: 0, degraded: 1, unknown: 2, online: 3 };

export function DevicesHealthPanel({ devices, loading }: { devices: Device[]; loading: boolean }) {
  const notOnline = devices
    .filter((device) => device.health !== 'online')
    .sort(
      (a, b) =>
        ORDER[a.health] - ORDER[b.health] || Number(b.kind === 'reader') - Number(a.kind === 'reader') || a.name.localeCompare(b.name),
    );
  return (
    <section aria-labelledby="devices-health-title">
      <h2 id="devices-health-title">Devices not online</h2>
      <p className="muted">
        {devices.length - notOnline.length} of {devices.length} registered devices online.
      </p>
      <TableScroll label="Devices not online">
        <thead>
          <tr>
            <th>Device</th>
            <th>Kind</th>
            <th>Health</th>
            <th>Reason</th>
            <th>Battery</th>
            <th>Last seen</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={notOnline} columns={6} loading={loading} empty="Every registered device is online.">
            {(device) => (
              <tr key={device.id}>
                <DeviceNameCell device={device} />
                <td>{device.kind.replace(/_/g, ' ')}</td>
                <td>
                  <Badge value={device.health} />
                </td>
                <td>{device.healthReason ?? '—'}</td>
                <td>{device.battery ? <BatteryLevel battery={device.battery} /> : '—'}</td>
                <td>{device.lastSeenAt ? <Ago at={device.lastSeenAt} /> : 'never'}</td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
    </section>
  );
}
