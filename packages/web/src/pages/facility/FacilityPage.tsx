/**
 * The facility editor: sites, then for the site chosen at the top, its buildings and floors (with
 * floor-plan upload and door placement), zones, doors and devices. Each section has its own
 * address under /facility.
 */
import { useParams } from 'react-router';
import { SubNav } from '../../components/admin/layout.tsx';
import { useSites } from '../../shell/sites.tsx';
import { BuildingsSection } from './BuildingsSection.tsx';
import { DevicesSection } from './DevicesSection.tsx';
import { DoorsSection } from './DoorsSection.tsx';
import { FloorSection } from './FloorSection.tsx';
import { SitesSection } from './SitesSection.tsx';
import { ZonesSection } from './ZonesSection.tsx';
import './facility.css';

export default function FacilityPage() {
  const rest = useParams()['*'] ?? '';
  const [section = '', id] = rest.split('/');
  const { site } = useSites();
  return (
    <section aria-labelledby="facility-title">
      <h1 id="facility-title">Facility{site && section !== 'sites' ? ` — ${site.name}` : ''}</h1>
      <SubNav
        label="Facility sections"
        links={[
          { to: '/facility/sites', label: 'Sites' },
          { to: '/facility', label: 'Buildings & floors', active: section === '' || section === 'floors' },
          { to: '/facility/zones', label: 'Zones' },
          { to: '/facility/doors', label: 'Doors' },
          { to: '/facility/devices', label: 'Devices' },
        ]}
      />
      {section === 'sites' ? (
        <SitesSection />
      ) : !site ? (
        <p>No site yet. Create one under Sites first.</p>
      ) : section === 'zones' ? (
        <ZonesSection siteId={site.id} />
      ) : section === 'doors' ? (
        <DoorsSection siteId={site.id} />
      ) : section === 'devices' ? (
        <DevicesSection siteId={site.id} />
      ) : section === 'floors' && id ? (
        <FloorSection siteId={site.id} floorId={id} />
      ) : (
        <BuildingsSection siteId={site.id} />
      )}
    </section>
  );
}
