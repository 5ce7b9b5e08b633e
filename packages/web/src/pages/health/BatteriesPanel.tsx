/**
 * Devices that report a battery (door contacts, panic buttons, wireless sensors), low ones first
 * with a marker, so the on-call technician sees which batteries to change before a sensor dies.
 */
import type { Device } from '../../components/admin/api-types.ts';
import { TableRows, TableScroll } from '../../components/admin/layout.tsx';
import { Ago } from '../../shell/widgets.tsx';
import { BatteryLevel, DeviceNameCell } from './device-cells.tsx';

export function BatteriesPanel({ devices, loading }: { devices: Device[]; loading: boolean }) {
  const reporting = devices
    .filter((d): d is Device & { battery: NonNullable<Device['battery']> } => d.battery !== null)
    .sort((a, b) => Number(b.battery.low) - Number(a.battery.low) || a.battery.percent - b.battery.percent || a.name.localeCompare(b.name));
  const low = reporting.filter((d) => d.battery.low).length;
  return (
    <section aria-labelledby="batteries-title">
      <h2 id="batteries-title">Batteries</h2>
      <p className="muted">
        {reporting.length === 0
          ? 'No registered device has reported a battery level.'
          : `${low} of ${reporting.length} battery-powered devices low.`}
      </p>
      {reporting.length > 0 && (
        <TableScroll label="Device batteries">
          <thead>
            <tr>
              <th>Device</th>
              <th>Battery</th>
              <th>Reported</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            <TableRows items={reporting} columns={4} loading={loading} empty="">
              {(device) => (
                <tr key={device.id} className={device.battery.low ? 'battery-low-row' : undefined}>
                  <DeviceNameCell device={device} />
                  <td>
                    <BatteryLevel battery={device.battery} />
                  </td>
                  <td>
                    <Ago at={device.battery.reportedAt} />
                  </td>
                  <td>{device.lastSeenAt ? <Ago at={device.lastSeenAt} /> : 'never'}</td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </TableScroll>
      )}
    </section>
  );
}
