/**
 * What each preset's buildings hold, floor by floor: the units a floor must have (the emergency
 * department on the ground floor, maternity with its NICU, the pharmacy and its vault…) and the
 * kinds of unit that fill the rest of the floor up to its share of the preset's doors.
 */
import type { PresetName } from '../model.js';
import type { UnitKind } from './units.js';

export interface FloorProgramme {
  /** Units the floor must have, with their names. */
  readonly units: readonly (readonly [UnitKind, string])[];
  /** Kinds the rest of the floor is filled with (empty: the floor holds only its units). */
  readonly fill: readonly UnitKind[];
}

export interface BuildingProgramme {
  readonly name: string;
  /** Ground floor first. */
  readonly floors: readonly FloorProgramme[];
}

const floor = (units: FloorProgramme['units'], fill: FloorProgramme['fill'] = []): FloorProgramme => ({ units, fill });
/** `count` floors with no set units, filled with the given kinds (wards by default). */
const filled = (count: number, fill: readonly UnitKind[] = ['ward']) => Array.from({ length: count }, () => floor([], fill));

const CLINIC: readonly BuildingProgramme[] = [
  {
    name: 'Main Building',
    floors: [
      floor([
        ['ed', 'Emergency Department'],
        ['pharmacy', 'Pharmacy'],
        ['mri', 'MRI'],
        ['data_centre', 'Data Centre'],
        ['security', 'Security Office'],
      ]),
      floor([
        ['icu', 'Intensive Care Unit'],
        ['or', 'Operating Suite'],
        ['maternity', 'Maternity Unit'],
        ['behavioural', 'Behavioral Health Unit'],
        ['ward', 'Ward 2A'],
      ]),
    ],
  },
];

const COMMUNITY: readonly BuildingProgramme[] = [
  {
    name: 'Main Hospital',
    floors: [
      floor(
        [
          ['ed', 'Emergency Department'],
          ['pharmacy', 'Inpatient Pharmacy'],
          ['mri', 'MRI'],
          ['lab', 'Core Laboratory'],
          ['security', 'Security Office'],
        ],
        ['imaging'],
      ),
      floor(
        [
          ['or', 'Operating Suite'],
          ['icu', 'Surgical ICU'],
        ],
        ['ward'],
      ),
      floor([['icu', 'Medical ICU']], ['ward']),
      ...filled(3),
    ],
  },
  {
    name: 'Women’s and Children’s Pavilion',
    floors: [floor([], ['clinic']), floor([['maternity', 'Maternity Unit']], ['ward']), ...filled(2)],
  },
  {
    name: 'Outpatient Center',
    floors: [floor([['imaging', 'Outpatient Imaging']], ['clinic']), ...filled(3, ['clinic', 'clinic', 'offices'])],
  },
  {
    name: 'Support Services Building',
    floors: [
      floor([
        ['dock', 'Receiving'],
        ['data_centre', 'Data Centre'],
        ['plant', 'Central Plant'],
      ]),
      floor(
        [
          ['behavioural', 'Adult Behavioral Health Unit'],
          ['behavioural', 'Geriatric Behavioral Health Unit'],
        ],
        ['offices'],
      ),
      floor([], ['offices']),
    ],
  },
];

const ACADEMIC: readonly BuildingProgramme[] = [
  {
    name: 'Tower A',
    floors: [
      floor(
        [
          ['pharmacy', 'Central Pharmacy'],
          ['lab', 'Core Laboratory'],
          ['mri', 'MRI Suite A'],
          ['security', 'Security Office'],
        ],
        ['imaging', 'clinic'],
      ),
      floor(
        [
          ['or', 'Main Operating Suite'],
          ['icu', 'Surgical ICU'],
        ],
        ['ward'],
      ),
      floor([['icu', 'Medical ICU']], ['ward']),
      ...filled(7),
    ],
  },
  { name: 'Tower B', floors: [floor([], ['imaging', 'clinic']), floor([['icu', 'Cardiac ICU']], ['ward']), ...filled(6)] },
  {
    name: 'Emergency and Trauma Center',
    floors: [
      floor(
        [
          ['ed', 'Emergency Department'],
          ['mri', 'Emergency MRI'],
        ],
        ['imaging'],
      ),
      floor(
        [
          ['or', 'Trauma Operating Suite'],
          ['icu', 'Trauma ICU'],
        ],
        ['ward'],
      ),
      ...filled(3),
    ],
  },
  {
    name: 'Women’s and Infants Hospital',
    floors: [
      floor([], ['clinic']),
      floor([['maternity', 'Maternity Unit']], ['ward']),
      floor([['or', 'Obstetric Operating Suite']], ['ward']),
      ...filled(3),
    ],
  },
  {
    name: 'Children’s Hospital',
    floors: [
      floor(
        [
          ['ed', 'Pediatric Emergency Department'],
          ['pharmacy', 'Children’s Pharmacy'],
        ],
        ['clinic'],
      ),
      floor([['icu', 'Pediatric ICU']], ['ward']),
      ...filled(5),
    ],
  },
  {
    name: 'Behavioral Health Pavilion',
    floors: [
      floor([], ['offices', 'clinic']),
      ...(['Adult', 'Adolescent', 'Geriatric'] as const).map((group) =>
        floor(
          [
            ['behavioural', `${group} Behavioral Health Unit North`],
            ['behavioural', `${group} Behavioral Health Unit South`],
          ],
          ['offices'],
        ),
      ),
    ],
  },
  { name: 'Cancer Center', floors: [floor([['pharmacy', 'Oncology Pharmacy']], ['imaging', 'clinic']), ...filled(5, ['clinic', 'ward'])] },
  {
    name: 'Heart and Vascular Institute',
    floors: [
      floor([], ['imaging', 'clinic']),
      floor([['or', 'Cardiac Surgery Suite']], ['ward']),
      floor([['icu', 'Cardiac Surgical ICU']], ['ward']),
      ...filled(3),
    ],
  },
  { name: 'Ambulatory Care Center', floors: filled(5, ['clinic', 'clinic', 'offices']) },
  {
    name: 'Biomedical Research Building',
    floors: [floor([['data_centre', 'Research Data Centre']], ['research']), ...filled(5, ['research', 'research', 'offices'])],
  },
  {
    name: 'Central Services Building',
    floors: [
      floor([
        ['dock', 'Receiving'],
        ['plant', 'Central Plant'],
        ['data_centre', 'Primary Data Centre'],
        ['security', 'Security Operations Center'],
      ]),
      ...filled(3, ['lab', 'offices']),
    ],
  },
  { name: 'Administration Building', floors: filled(5, ['offices']) },
];

export const PROGRAMMES: Readonly<Record<PresetName, readonly BuildingProgramme[]>> = {
  clinic: CLINIC,
  community: COMMUNITY,
  academic: ACADEMIC,
};
