/** Cells the health tables share: a device named with its stable id, and a battery level with its low marker. */
import type { Device } from '../../components/admin/api-types.ts';

export function DeviceNameCell({ device }: { device: Device }) {
  return (
    <td>
      {device.name}
      <div className="muted">
        <code>{device.stableId}</code>
      </div>
    </td>
  );
}

export function BatteryLevel({ battery }: { battery: NonNullable<Device['battery']> }) {
  const percent = Math.round(battery.percent);
  return (
    <span className={`battery${battery.low ? ' low' : ''}`} data-testid="battery-level">
      <meter min={0} max={100} low={21} optimum={100} value={battery.percent} aria-label={`battery ${percent} %`} />
      <span>{percent} %</span>
      {battery.low && (
        <strong className="badge danger" aria-label="low battery">
          low battery
        </strong>
      )}
    </span>
  );
}
