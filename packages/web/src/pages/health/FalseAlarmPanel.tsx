/** Devices whose alarms were mostly false over a chosen period: candidates for maintenance or a changed threshold. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';

interface FalseAlarmRate {
  device: string;
  siteId: string | null;
  alarms: number;
  falseAlarms: number;
  rate: number;
}

const PERIODS = [7, 30, 90] as const;

export function FalseAlarmPanel({ siteId }: { siteId: string }) {
  const [days, setDays] = useState<number>(30);
  const [minAlarms, setMinAlarms] = useState(3);
  // The period is computed once per choice, so the query key (and the cache) stays stable.
  const [since, setSince] = useState(() => new Date(Date.now() - 30 * 86_400_000).toISOString());
  const rates = useQuery({
    queryKey: ['admin', 'health', 'false-alarms', since, minAlarms],
    queryFn: () => api.get<{ items: FalseAlarmRate[] }>('/api/alarm-reports/false-alarm-rates', { since, minAlarms }),
  });
  const items = (rates.data?.items ?? []).filter((r) => r.siteId === siteId || r.siteId === null).sort((a, b) => b.rate - a.rate);

  return (
    <section aria-labelledby="false-alarms-title">
      <h2 id="false-alarms-title">False-alarm rates</h2>
      <div className="toolbar">
        <label>
          Over the last
          <select
            value={days}
            onChange={(e) => {
              setDays(Number(e.target.value));
              setSince(new Date(Date.now() - Number(e.target.value) * 86_400_000).toISOString());
            }}
          >
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {p} days
              </option>
            ))}
          </select>
        </label>
        <label>
          Minimum alarms per device
          <input
            type="number"
            min={1}
            max={1000}
            value={minAlarms}
            onChange={(e) => setMinAlarms(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
      </div>
      <ServerError error={rates.error} />
      <TableScroll label="False-alarm rates">
        <thead>
          <tr>
            <th>Device</th>
            <th className="num">Alarms</th>
            <th className="num">False</th>
            <th className="num">Rate</th>
          </tr>
        </thead>
        <tbody>
          <TableRows
            items={items}
            columns={4}
            loading={rates.isPending}
            empty={<>No device raised {minAlarms} or more alarms in this period.</>}
          >
            {(rate) => (
              <tr key={rate.device}>
                <td>
                  <code>{rate.device}</code>
                </td>
                <td className="num">{rate.alarms}</td>
                <td className="num">{rate.falseAlarms}</td>
                <td className="num">
                  <meter
                    min={0}
                    max={1}
                    low={0.2}
                    high={0.5}
                    optimum={0}
                    value={rate.rate}
                    aria-label={`${Math.round(rate.rate * 100)} percent false`}
                  />{' '}
                  {Math.round(rate.rate * 100)}%
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
    </section>
  );
}
