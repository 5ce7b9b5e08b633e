/**
 * The directory (departments and job roles, shared by every site) and the site's access policy:
 * weekly schedules, holidays and access groups.
 */
import type { HospitalModel, ProvisionedHospital, ScheduleModel } from '../model.js';
import { ensureNamed, type Step } from './steps.js';

interface Named {
  id: string;
  name: string;
}
interface Holiday {
  date: string;
  type: string;
}

type Ids = ProvisionedHospital['ids'];

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
/** The holiday type the model's holidays are entered as, and the one schedules that observe holidays skip. */
const HOLIDAY_TYPE = 'public';

export async function ensureDirectory(step: Step, model: HospitalModel): Promise<Pick<Ids, 'departments' | 'jobRoles'>> {
  const { api } = step;
  const departments = await ensureNamed(
    step,
    'departments',
    await api.all<Named>('/api/people/departments'),
    model.departments,
    (d) => d.name,
    (d) => api.post<Named>('/api/people/departments', { name: d.name }),
  );
  const jobRoles = await ensureNamed(
    step,
    'job roles',
    await api.all<Named>('/api/people/job-roles'),
    model.jobRoles,
    (r) => r.name,
    (r) => api.post<Named>('/api/people/job-roles', { name: r.name }),
  );
  return { departments, jobRoles };
}

function scheduleInput(siteId: string, schedule: ScheduleModel) {
  return {
    siteId,
    name: schedule.name,
    intervals: schedule.intervals.map((i) => ({ days: i.days.map((d) => WEEKDAYS[d]!), start: i.start, end: i.end })),
    holidays: schedule.observesHolidays ? { [HOLIDAY_TYPE]: 'exclude' } : {},
  };
}

export async function ensurePolicy(
  step: Step,
  siteId: string,
  model: HospitalModel,
  doors: Record<string, string>,
): Promise<Pick<Ids, 'schedules' | 'accessGroups'>> {
  const { api } = step;
  const schedules = await ensureNamed(
    step,
    'schedules',
    await api.all<Named>(`/api/sites/${siteId}/access-schedules`),
    model.schedules,
    (s) => s.name,
    (s) => api.post<Named>('/api/access-schedules', scheduleInput(siteId, s)),
  );

  const holidays = new Set((await api.all<Holiday>(`/api/sites/${siteId}/holidays`)).map((h) => `${h.date}/${h.type}`));
  const missing = model.site.holidays.filter((h) => !holidays.has(`${h.date}/${HOLIDAY_TYPE}`));
  await step.each('holidays', missing, async (h) => {
    await api.post(`/api/sites/${siteId}/holidays`, { date: h.date, type: HOLIDAY_TYPE, name: h.name });
  });

  const accessGroups = await ensureNamed(
    step,
    'access groups',
    await api.all<Named>('/api/access-groups', { siteId }),
    model.accessGroups,
    (g) => g.name,
    (g) =>
      api.post<Named>('/api/access-groups', {
        siteId,
        name: g.name,
        doors: g.doors.map((door) => ({ doorId: doors[door], scheduleId: schedules[g.schedule] })),
      }),
  );
  return { schedules, accessGroups };
}
