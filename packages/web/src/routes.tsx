/**
 * Every screen of the console, its place in the navigation and the permission that shows it.
 * Screens load lazily so an operator's phone downloads only what it opens. The server checks
 * every request again; hiding a link is for legibility, not security.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface Screen {
  path: string;
  label: string;
  /** Shown in the navigation to operators holding this permission (null: everyone signed in). */
  permission: string | null;
  component: LazyExoticComponent<ComponentType>;
  /** Sub-paths handled by the same screen (`/alarms/:id`). */
  children?: string[];
}

export const NAVIGATION: Screen[] = [
  {
    path: '/',
    label: 'Alarms',
    permission: 'alarms.handle',
    component: lazy(() => import('./pages/alarms/AlarmsPage.tsx')),
    children: ['alarms/:alarmId'],
  },
  {
    path: '/incidents',
    label: 'Incidents',
    permission: 'alarms.handle',
    component: lazy(() => import('./pages/alarms/IncidentsPage.tsx')),
    children: [':incidentId'],
  },
  {
    path: '/plans',
    label: 'Floor plans',
    permission: 'facility.read',
    component: lazy(() => import('./pages/floor-plans/FloorPlansPage.tsx')),
    children: [':floorId'],
  },
  {
    path: '/emergency',
    label: 'Emergency plans',
    permission: 'emergency.start',
    component: lazy(() => import('./pages/emergency/EmergencyPage.tsx')),
    children: [':activationId'],
  },
  {
    path: '/people',
    label: 'People',
    permission: 'people.read',
    component: lazy(() => import('./pages/people/PeoplePage.tsx')),
    children: [':personId'],
  },
  { path: '/import', label: 'Import', permission: 'system.admin', component: lazy(() => import('./pages/people/ImportPage.tsx')) },
  {
    path: '/facility',
    label: 'Facility',
    permission: 'facility.manage',
    component: lazy(() => import('./pages/facility/FacilityPage.tsx')),
    children: ['*'],
  },
  {
    path: '/access',
    label: 'Schedules & groups',
    permission: 'facility.manage',
    component: lazy(() => import('./pages/access/AccessPage.tsx')),
    children: ['*'],
  },
  {
    path: '/rules',
    label: 'Rules & plans',
    permission: 'facility.manage',
    component: lazy(() => import('./pages/rules/RulesPage.tsx')),
    children: ['*'],
  },
  { path: '/journal', label: 'Journal', permission: 'journal.read', component: lazy(() => import('./pages/journal/JournalPage.tsx')) },
  { path: '/health', label: 'System health', permission: 'facility.read', component: lazy(() => import('./pages/health/HealthPage.tsx')) },
  {
    path: '/operators',
    label: 'Operators',
    permission: 'operators.manage',
    component: lazy(() => import('./pages/operators/OperatorsPage.tsx')),
  },
];
