/** Alarm correlations: when alarms of enough different types happen close together, one incident groups them. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ConfirmDialog, FormDialog } from '../../components/admin/dialogs.tsx';
import { Field, ItemSelect } from '../../components/admin/forms.tsx';
import { useInvalidate } from '../../components/admin/hooks.ts';
import { Badge, SectionHeader, TableScroll, TableRows, RowActions } from '../../components/admin/layout.tsx';
import { namer } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { useSites } from '../../shell/sites.tsx';

interface Correlation {
  id: string;
  siteId: string | null;
  name: string;
  incidentKind: string;
  title: string;
  priority: number;
  alarmTypes: string[];
  minTypes: number;
  windowSeconds: number;
  scope: 'zone' | 'site';
  enabled: boolean;
}

const correlationsKey = ['admin', 'correlations'] as const;
const ALARM_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

export function CorrelationsSection() {
  const siteName = namer(useSites().sites);
  const [editing, setEditing] = useState<Correlation | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Correlation | null>(null);
  const invalidate = useInvalidate();
  const list = useQuery({ queryKey: correlationsKey, queryFn: () => api.get<{ items: Correlation[] }>('/api/automation/correlations') });
  return (
    <div>
      <SectionHeader title="Correlations">
        <button type="button" onClick={() => setEditing('new')}>
          New correlation
        </button>
      </SectionHeader>
      <ServerError error={list.error} />
      <TableScroll label="Correlations">
        <thead>
          <tr>
            <th>Correlation</th>
            <th>Alarm types</th>
            <th>Makes an incident when</th>
            <th>Site</th>
            <th>State</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.data?.items ?? []} columns={6} loading={list.isPending} empty="No correlations yet.">
            {(c) => (
              <tr key={c.id}>
                <td>
                  {c.name}
                  <div className="muted">
                    “{c.title}”, priority {c.priority}
                  </div>
                </td>
                <td>{c.alarmTypes.join(', ')}</td>
                <td>
                  {c.minTypes} types within {c.windowSeconds} s in one {c.scope}
                </td>
                <td>{c.siteId ? siteName(c.siteId) : 'every site'}</td>
                <td>
                  <Badge value={c.enabled ? 'enabled' : 'disabled'} />
                </td>
                <td>
                  <RowActions name={c.name} onChange={() => setEditing(c)} onDelete={() => setDeleting(c)} />
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      {deleting && (
        <ConfirmDialog
          open
          title={`Delete ${deleting.name}`}
          confirmLabel="Delete correlation"
          onConfirm={async () => {
            await api.delete(`/api/automation/correlations/${deleting.id}`);
            await invalidate(correlationsKey);
          }}
          onClose={() => setDeleting(null)}
        >
          <p>Alarms of these types no longer make an incident together. Incidents it already made stay as they are.</p>
        </ConfirmDialog>
      )}
      {editing && <CorrelationForm correlation={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function CorrelationForm({ correlation, onClose }: { correlation: Correlation | null; onClose: () => void }) {
  const invalidate = useInvalidate();
  const { sites } = useSites();
  const [siteId, setSiteId] = useState(correlation?.siteId ?? '');
  const [name, setName] = useState(correlation?.name ?? '');
  const [incidentKind, setIncidentKind] = useState(correlation?.incidentKind ?? '');
  const [title, setTitle] = useState(correlation?.title ?? '');
  const [priority, setPriority] = useState(String(correlation?.priority ?? 2));
  const [alarmTypes, setAlarmTypes] = useState((correlation?.alarmTypes ?? []).join(', '));
  const [minTypes, setMinTypes] = useState(String(correlation?.minTypes ?? 2));
  const [windowSeconds, setWindowSeconds] = useState(String(correlation?.windowSeconds ?? 120));
  const [scope, setScope] = useState<Correlation['scope']>(correlation?.scope ?? 'zone');
  const [enabled, setEnabled] = useState(correlation?.enabled ?? true);
  const types = alarmTypes
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

  return (
    <FormDialog
      open
      title={correlation ? `Change ${correlation.name}` : 'New correlation'}
      submitLabel="Save correlation"
      onClose={onClose}
      validate={() => {
        const bad = types.find((t) => !ALARM_TYPE.test(t));
        if (bad) return `“${bad}” is not an alarm type (lower case, digits and _).`;
        if (types.length < Number(minTypes)) return `List at least ${minTypes} alarm types.`;
        return null;
      }}
      onSubmit={async () => {
        const body = {
          siteId: siteId || null,
          name: name.trim(),
          incidentKind,
          title: title.trim(),
          priority: Number(priority),
          alarmTypes: types,
          minTypes: Number(minTypes),
          windowSeconds: Number(windowSeconds),
          scope,
          enabled,
        };
        if (correlation) await api.put(`/api/automation/correlations/${correlation.id}`, body);
        else await api.post('/api/automation/correlations', body);
        await invalidate(correlationsKey);
      }}
    >
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
      </Field>
      <Field label="Site">
        <ItemSelect items={sites} value={siteId} onChange={setSiteId} none="Every site" />
      </Field>
      <Field label="Alarm types" hint="Comma-separated, e.g. door_forced, glass_break">
        <input value={alarmTypes} onChange={(e) => setAlarmTypes(e.target.value)} required />
      </Field>
      <Field label="Different types needed" hint="2 to 20">
        <input type="number" min={2} max={20} value={minTypes} onChange={(e) => setMinTypes(e.target.value)} required />
      </Field>
      <Field label="Within (seconds)" hint="1 to 3600">
        <input type="number" min={1} max={3600} value={windowSeconds} onChange={(e) => setWindowSeconds(e.target.value)} required />
      </Field>
      <Field label="In the same">
        <select value={scope} onChange={(e) => setScope(e.target.value as Correlation['scope'])}>
          <option value="zone">Zone</option>
          <option value="site">Site</option>
        </select>
      </Field>
      <Field label="Incident kind" hint="Lower case, e.g. break_in">
        <input value={incidentKind} onChange={(e) => setIncidentKind(e.target.value)} required pattern="[a-z][a-z0-9_]{0,63}" />
      </Field>
      <Field label="Incident title">
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </Field>
      <Field label="Incident priority" hint="1 (highest) to 5">
        <input type="number" min={1} max={5} value={priority} onChange={(e) => setPriority(e.target.value)} required />
      </Field>
      <label className="inline wide">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
    </FormDialog>
  );
}
