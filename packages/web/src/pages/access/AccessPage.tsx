/**
 * Who may go where, when: weekly schedules with the site's holidays, access groups (doors, each on
 * a schedule), and one person's groups and privileges. Everything here is per site (the site chosen
 * at the top) except a person's access, which may span sites.
 */
import { useParams } from 'react-router';
import { SubNav } from '../../components/admin/layout.tsx';
import { useSites } from '../../shell/sites.tsx';
import { GroupsSection } from './GroupsSection.tsx';
import { HolidaysPanel } from './HolidaysPanel.tsx';
import { PersonAccessSection } from './PersonAccessSection.tsx';
import { SchedulesSection } from './SchedulesSection.tsx';
import './access.css';

export default function AccessPage() {
  const section = (useParams()['*'] ?? '').split('/')[0] ?? '';
  const { site } = useSites();
  return (
    <section aria-labelledby="access-page-title">
      <h1 id="access-page-title">Schedules & access groups{site ? ` — ${site.name}` : ''}</h1>
      <SubNav
        label="Access sections"
        links={[
          { to: '/access', label: 'Schedules & holidays', active: section === '' },
          { to: '/access/groups', label: 'Access groups' },
          { to: '/access/person', label: "A person's access" },
        ]}
      />
      {section === 'person' ? (
        <PersonAccessSection />
      ) : !site ? (
        <p>No site yet. Create one under Facility first.</p>
      ) : section === 'groups' ? (
        <GroupsSection siteId={site.id} />
      ) : (
        <>
          <SchedulesSection siteId={site.id} />
          <HolidaysPanel siteId={site.id} />
        </>
      )}
    </section>
  );
}
