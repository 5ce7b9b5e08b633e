/**
 * Names for the units that fill a floor: wards by floor and letter ("Ward 4B"), clinics, offices
 * and laboratories from lists shuffled per building, numbered once a list runs out.
 */
import type { Random } from './random.js';
import type { UnitKind } from './units.js';

const NAMES: Readonly<Partial<Record<UnitKind, readonly string[]>>> = {
  clinic: [
    'Cardiology Clinic',
    'Dermatology Clinic',
    'Endocrinology Clinic',
    'Gastroenterology Clinic',
    'Neurology Clinic',
    'Oncology Clinic',
    'Orthopedics Clinic',
    'Pulmonology Clinic',
    'Rheumatology Clinic',
    'Urology Clinic',
    'Ophthalmology Clinic',
    'ENT Clinic',
    'Nephrology Clinic',
    'Infectious Disease Clinic',
    'Pain Management Clinic',
    'Sleep Medicine Clinic',
    'Wound Care Clinic',
    'Physical Therapy',
    'Infusion Center',
    'Dialysis Unit',
  ],
  offices: [
    'Finance Offices',
    'Human Resources',
    'Patient Access',
    'Quality and Patient Safety',
    'Medical Staff Office',
    'Nursing Administration',
    'Executive Offices',
    'Health Information Management',
    'Revenue Cycle',
    'Legal and Compliance',
    'IT Services Offices',
    'Education Center',
  ],
  lab: ['Microbiology Laboratory', 'Blood Bank', 'Pathology Laboratory', 'Cytology Laboratory', 'Molecular Diagnostics Laboratory'],
  research: [
    'Genomics Laboratory',
    'Immunology Laboratory',
    'Neuroscience Laboratory',
    'Cell Therapy Laboratory',
    'Pharmacology Laboratory',
    'Imaging Research Laboratory',
    'Cardiovascular Research Laboratory',
    'Cancer Biology Laboratory',
  ],
  imaging: ['CT Suite', 'X-Ray Department', 'Ultrasound Suite', 'Interventional Radiology', 'Nuclear Medicine'],
  ward: [],
};

/** Hands out unit names for one building; the same seed gives the same names. */
export class UnitNamer {
  private readonly lists = new Map<UnitKind, string[]>();
  private readonly used = new Map<UnitKind, number>();
  private readonly wardLetters = new Map<number, number>();

  constructor(private readonly random: Random) {}

  next(kind: UnitKind, floorNumber: number): string {
    if (kind === 'ward') {
      const letter = this.wardLetters.get(floorNumber) ?? 0;
      this.wardLetters.set(floorNumber, letter + 1);
      return `Ward ${floorNumber}${String.fromCharCode(65 + letter)}`;
    }
    let list = this.lists.get(kind);
    if (!list) {
      list = this.random.shuffled(NAMES[kind] ?? [kindName(kind)]);
      this.lists.set(kind, list);
    }
    const n = this.used.get(kind) ?? 0;
    this.used.set(kind, n + 1);
    const name = list[n % list.length]!;
    const round = Math.floor(n / list.length);
    return round === 0 ? name : `${name} ${round + 1}`;
  }
}

function kindName(kind: UnitKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');
}
