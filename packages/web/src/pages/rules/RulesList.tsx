/** Every rule the operator may manage: enabled or not, its site, version and last change; enable/disable in place. */
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useAction, useInvalidate, usePaged } from '../../components/admin/hooks.ts';
import { Badge, LoadMore, SectionHeader, TableScroll, TableRows } from '../../components/admin/layout.tsx';
import { namer } from '../../components/admin/lookups.ts';
import { ServerError } from '../../components/admin/ServerError.tsx';
import { Ago } from '../../shell/widgets.tsx';
import { useSites } from '../../shell/sites.tsx';
import { rulesKey, type Rule } from './rule-types.ts';

export function RulesList() {
  const invalidate = useInvalidate();
  const toggle = useAction();
  const siteName = namer(useSites().sites);
  const list = usePaged<Rule>(rulesKey, '/api/automation/rules');

  const setEnabled = (rule: Rule, enabled: boolean) =>
    toggle.run(async () => {
      await api.post(`/api/automation/rules/${rule.id}/${enabled ? 'enable' : 'disable'}`, { version: rule.version });
      await invalidate(rulesKey);
    });

  return (
    <div>
      <SectionHeader title="Rules">
        <Link to="/rules/new" className="button-link">
          New rule
        </Link>
      </SectionHeader>
      <ServerError error={list.error ?? toggle.error} />
      <TableScroll label="Rules">
        <thead>
          <tr>
            <th>Rule</th>
            <th>Site</th>
            <th>State</th>
            <th className="num">Version</th>
            <th>Changed</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          <TableRows items={list.items} columns={6} loading={list.isPending} empty="No rules yet.">
            {(rule) => (
              <tr key={rule.id}>
                <td>
                  <Link to={`/rules/edit/${rule.id}`}>{rule.name}</Link>
                </td>
                <td>{rule.siteId ? siteName(rule.siteId) : 'every site'}</td>
                <td>
                  <Badge value={rule.enabled ? 'enabled' : 'disabled'} />
                </td>
                <td className="num">{rule.version}</td>
                <td>
                  <Ago at={rule.updatedAt} /> <span className="muted">by {rule.updatedBy}</span>
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={toggle.busy}
                    onClick={() => void setEnabled(rule, !rule.enabled)}
                    aria-label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}
                  >
                    {rule.enabled ? 'Disable' : 'Enable'}
                  </button>
                </td>
              </tr>
            )}
          </TableRows>
        </tbody>
      </TableScroll>
      <LoadMore list={list} noun="rules" />
    </div>
  );
}
