/** Every version of a rule — who changed what, when — with its text viewable and loadable into the editor to restore it. */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { Badge, TableScroll } from '../../components/admin/layout.tsx';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { formatInstant } from '../../components/admin/time.ts';
import { ruleKey, textOf, type RuleVersion } from './rule-types.ts';

export function RuleVersions({ ruleId, onLoad }: { ruleId: string; onLoad: (version: RuleVersion) => void }) {
  const [shown, setShown] = useState<number | null>(null);
  const versions = useQuery({
    queryKey: [...ruleKey(ruleId), 'versions'],
    queryFn: () => api.get<{ items: RuleVersion[] }>(`/api/automation/rules/${ruleId}/versions`),
  });
  const items = [...(versions.data?.items ?? [])].sort((a, b) => b.version - a.version);
  const open = items.find((v) => v.version === shown);

  return (
    <section className="panel" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ServerError error={versions.error} />
      <TableScroll label="Rule versions">
        <thead>
          <tr>
            <th className="num">Version</th>
            <th>Change</th>
            <th>State</th>
            <th>When</th>
            <th>By</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((version) => (
            <tr key={version.version} className={version.version === shown ? 'selected' : undefined}>
              <td className="num">{version.version}</td>
              <td>{version.change}</td>
              <td>
                <Badge value={version.enabled ? 'enabled' : 'disabled'} />
              </td>
              <td>{formatInstant(version.changedAt)}</td>
              <td className="muted">{version.changedBy}</td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setShown(version.version === shown ? null : version.version)}
                    aria-expanded={version.version === shown}
                  >
                    {version.version === shown ? 'Hide' : 'View'}
                  </button>
                  <button type="button" className="secondary" onClick={() => onLoad(version)}>
                    Load into editor
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </TableScroll>
      {open && (
        <pre className="json" aria-label={`Text of version ${open.version}`}>
          {textOf(open)}
        </pre>
      )}
    </section>
  );
}
