/**
 * Who works in a hospital: departments, job roles with their shift pattern and the training the
 * role requires (competency names as Vigil's catalogue has them: GET /api/people/competencies),
 * and each department's mix of roles.
 */

export const DEPARTMENTS = {
  emergency: 'Emergency Medicine',
  critical_care: 'Critical Care',
  perioperative: 'Perioperative Services',
  obstetrics: 'Women’s Health and Obstetrics',
  neonatology: 'Neonatology',
  nursing: 'Medical-Surgical Nursing',
  behavioural: 'Behavioral Health',
  radiology: 'Radiology and Imaging',
  pharmacy: 'Pharmacy',
  laboratory: 'Laboratory Medicine',
  outpatient: 'Ambulatory Care',
  research: 'Clinical Research',
  it: 'Information Technology',
  administration: 'Administration',
  materials: 'Supply Chain',
  facilities: 'Facilities Management',
  security: 'Security',
  evs: 'Environmental Services',
} as const;

export type DepartmentKey = keyof typeof DEPARTMENTS;

export type Competency = 'mri_safety' | 'controlled_substances' | 'infant_security' | 'bloodborne_pathogens' | 'fire_safety';

/** `clinical`: day or night shift around the clock; `office`: weekdays 08–17; `day`: day shift only. */
export type ShiftPattern = 'clinical' | 'office' | 'day';

export interface JobRoleDefinition {
  readonly name: string;
  readonly shift: ShiftPattern;
  readonly competencies: readonly Competency[];
}

export const JOB_ROLES = {
  registered_nurse: { name: 'Registered Nurse', shift: 'clinical', competencies: ['controlled_substances'] },
  nurse_manager: { name: 'Nurse Manager', shift: 'office', competencies: ['controlled_substances'] },
  patient_care_technician: { name: 'Patient Care Technician', shift: 'clinical', competencies: [] },
  unit_secretary: { name: 'Unit Secretary', shift: 'day', competencies: [] },
  physician: { name: 'Physician', shift: 'clinical', competencies: [] },
  surgeon: { name: 'Surgeon', shift: 'day', competencies: [] },
  anesthesiologist: { name: 'Anesthesiologist', shift: 'clinical', competencies: ['controlled_substances'] },
  surgical_technologist: { name: 'Surgical Technologist', shift: 'day', competencies: [] },
  midwife: { name: 'Certified Nurse Midwife', shift: 'clinical', competencies: ['controlled_substances'] },
  neonatal_nurse_practitioner: { name: 'Neonatal Nurse Practitioner', shift: 'clinical', competencies: ['controlled_substances'] },
  psychiatrist: { name: 'Psychiatrist', shift: 'day', competencies: [] },
  mental_health_technician: { name: 'Mental Health Technician', shift: 'clinical', competencies: [] },
  radiologist: { name: 'Radiologist', shift: 'day', competencies: ['mri_safety'] },
  mri_technologist: { name: 'MRI Technologist', shift: 'clinical', competencies: ['mri_safety'] },
  radiologic_technologist: { name: 'Radiologic Technologist', shift: 'clinical', competencies: [] },
  pharmacist: { name: 'Pharmacist', shift: 'clinical', competencies: ['controlled_substances'] },
  pharmacy_technician: { name: 'Pharmacy Technician', shift: 'clinical', competencies: ['controlled_substances'] },
  laboratory_scientist: { name: 'Medical Laboratory Scientist', shift: 'clinical', competencies: ['bloodborne_pathogens'] },
  phlebotomist: { name: 'Phlebotomist', shift: 'clinical', competencies: ['bloodborne_pathogens'] },
  medical_assistant: { name: 'Medical Assistant', shift: 'office', competencies: [] },
  research_scientist: { name: 'Research Scientist', shift: 'office', competencies: ['bloodborne_pathogens'] },
  research_coordinator: { name: 'Clinical Research Coordinator', shift: 'office', competencies: [] },
  infrastructure_engineer: { name: 'IT Infrastructure Engineer', shift: 'office', competencies: [] },
  it_support_analyst: { name: 'IT Support Analyst', shift: 'office', competencies: [] },
  administrator: { name: 'Administrator', shift: 'office', competencies: [] },
  administrative_assistant: { name: 'Administrative Assistant', shift: 'office', competencies: [] },
  materials_handler: { name: 'Materials Handler', shift: 'day', competencies: [] },
  supply_chain_coordinator: { name: 'Supply Chain Coordinator', shift: 'office', competencies: [] },
  facilities_technician: { name: 'Facilities Technician', shift: 'clinical', competencies: ['fire_safety'] },
  facilities_manager: { name: 'Facilities Manager', shift: 'office', competencies: ['fire_safety'] },
  security_officer: { name: 'Security Officer', shift: 'clinical', competencies: ['fire_safety', 'infant_security'] },
  security_supervisor: { name: 'Security Supervisor', shift: 'clinical', competencies: ['fire_safety', 'infant_security'] },
  evs_aide: { name: 'Environmental Services Aide', shift: 'clinical', competencies: ['bloodborne_pathogens'] },
  evs_supervisor: { name: 'Environmental Services Supervisor', shift: 'day', competencies: ['bloodborne_pathogens'] },
} as const satisfies Record<string, JobRoleDefinition>;

export type JobRoleKey = keyof typeof JOB_ROLES;

type Mix = readonly (readonly [JobRoleKey, number])[];

const NURSING: Mix = [
  ['registered_nurse', 55],
  ['patient_care_technician', 20],
  ['physician', 12],
  ['unit_secretary', 9],
  ['nurse_manager', 4],
];

/** Each department's roles and their relative numbers. */
export const ROLE_MIX: Readonly<Record<DepartmentKey, Mix>> = {
  emergency: NURSING,
  critical_care: NURSING,
  nursing: NURSING,
  perioperative: [
    ['registered_nurse', 40],
    ['surgical_technologist', 20],
    ['surgeon', 15],
    ['anesthesiologist', 12],
    ['patient_care_technician', 8],
    ['nurse_manager', 5],
  ],
  obstetrics: [
    ['registered_nurse', 50],
    ['midwife', 15],
    ['physician', 12],
    ['patient_care_technician', 15],
    ['unit_secretary', 5],
    ['nurse_manager', 3],
  ],
  neonatology: [
    ['registered_nurse', 65],
    ['neonatal_nurse_practitioner', 15],
    ['physician', 12],
    ['unit_secretary', 5],
    ['nurse_manager', 3],
  ],
  behavioural: [
    ['registered_nurse', 40],
    ['mental_health_technician', 35],
    ['psychiatrist', 12],
    ['unit_secretary', 9],
    ['nurse_manager', 4],
  ],
  radiology: [
    ['radiologic_technologist', 40],
    ['mri_technologist', 20],
    ['radiologist', 15],
    ['registered_nurse', 15],
    ['unit_secretary', 10],
  ],
  pharmacy: [
    ['pharmacist', 40],
    ['pharmacy_technician', 60],
  ],
  laboratory: [
    ['laboratory_scientist', 60],
    ['phlebotomist', 40],
  ],
  outpatient: [
    ['registered_nurse', 35],
    ['medical_assistant', 30],
    ['physician', 25],
    ['unit_secretary', 10],
  ],
  research: [
    ['research_scientist', 50],
    ['research_coordinator', 50],
  ],
  it: [
    ['infrastructure_engineer', 40],
    ['it_support_analyst', 60],
  ],
  administration: [
    ['administrator', 40],
    ['administrative_assistant', 60],
  ],
  materials: [
    ['materials_handler', 80],
    ['supply_chain_coordinator', 20],
  ],
  facilities: [
    ['facilities_technician', 80],
    ['facilities_manager', 20],
  ],
  security: [
    ['security_officer', 85],
    ['security_supervisor', 15],
  ],
  evs: [
    ['evs_aide', 90],
    ['evs_supervisor', 10],
  ],
};

/** Everyone in these departments is trained in infant security (Code Pink). */
export const INFANT_SECURITY_DEPARTMENTS: ReadonlySet<DepartmentKey> = new Set(['obstetrics', 'neonatology']);

/** Departments staffed across the whole site rather than per unit, as a share of all staff. */
export const SITE_WIDE_SHARE: Readonly<Partial<Record<DepartmentKey, number>>> = {
  security: 0.02,
  facilities: 0.03,
  evs: 0.06,
};
