/**
 * Hospital units as templates: the zones a unit occupies (laid out as columns along a floor's
 * corridor, zones in a column stacked) and its doors. A door leads from the floor's corridor
 * (`hub`), from outside, or from another zone of the unit; zones that a door joins sit side by
 * side, so the door can be drawn on their shared wall.
 */
import type { ZoneType } from '../model.js';
import type { DepartmentKey } from './workforce-catalogue.js';

export interface UnitZone {
  readonly local: string;
  readonly name: string;
  readonly type: ZoneType;
  /** Width along the corridor, in plan units (a column is as wide as its widest zone). */
  readonly width: number;
  /** The department the zone belongs to, when not the unit's. */
  readonly department?: DepartmentKey;
}

export interface UnitDoor {
  readonly name: string;
  /** `hub` (the floor's corridor), `outside`, or the local name of a zone of the unit. */
  readonly from: string;
  readonly into: string;
  readonly exitReader?: boolean;
  readonly requestToExit?: boolean;
  /** On an exit route (fire egress frees it); also makes the lock fail-safe. */
  readonly egress?: boolean;
  readonly unlockSeconds?: number;
  readonly heldOpenSeconds?: number;
}

export type UnitKind =
  | 'ed'
  | 'pharmacy'
  | 'mri'
  | 'imaging'
  | 'icu'
  | 'or'
  | 'maternity'
  | 'behavioural'
  | 'data_centre'
  | 'security'
  | 'ward'
  | 'clinic'
  | 'offices'
  | 'lab'
  | 'dock'
  | 'plant'
  | 'research';

export interface UnitTemplate {
  readonly kind: UnitKind;
  /** The department its zones belong to (unless a zone names another). */
  readonly department: DepartmentKey;
  /** Where the unit's staff work, and how many relative to other units (0: staffed site-wide). */
  readonly staff: readonly { readonly zone: string; readonly department?: DepartmentKey; readonly weight: number }[];
  readonly columns: readonly (readonly UnitZone[])[];
  readonly doors: readonly UnitDoor[];
}

const zone = (local: string, name: string, type: ZoneType, width: number, department?: DepartmentKey): UnitZone =>
  department ? { local, name, type, width, department } : { local, name, type, width };

/** `label` names the unit ("Ward 4B", "Surgical ICU") where a building has several of a kind. */
export function unitTemplate(kind: UnitKind, label: string): UnitTemplate {
  switch (kind) {
    case 'ed':
      return {
        kind,
        department: 'emergency',
        staff: [{ zone: 'ed', weight: 90 }],
        columns: [[zone('ed', label, 'ed', 260)], [zone('med', `${label} Medication Room`, 'clinical', 70)]],
        doors: [
          { name: `${label} Ambulance Bay Doors`, from: 'outside', into: 'ed', egress: true, heldOpenSeconds: 180 },
          { name: `${label} Walk-in Entrance`, from: 'hub', into: 'ed', egress: true, heldOpenSeconds: 60 },
          { name: `${label} Staff Door`, from: 'hub', into: 'ed', egress: true },
          { name: `${label} Medication Room Door`, from: 'ed', into: 'med', requestToExit: true },
        ],
      };
    case 'pharmacy':
      return {
        kind,
        department: 'pharmacy',
        staff: [{ zone: 'pharmacy', weight: 25 }],
        columns: [[zone('pharmacy', label, 'pharmacy', 180)], [zone('vault', `${label} Vault`, 'pharmacy_vault', 90)]],
        doors: [
          { name: `${label} Door`, from: 'hub', into: 'pharmacy', exitReader: true, requestToExit: false },
          { name: `${label} Staff Door`, from: 'hub', into: 'pharmacy', exitReader: true, requestToExit: false },
          // Read in and out, so every vault entry and exit is attributed to a badge.
          {
            name: `${label} Vault Door`,
            from: 'pharmacy',
            into: 'vault',
            exitReader: true,
            requestToExit: false,
            unlockSeconds: 3,
            heldOpenSeconds: 15,
          },
        ],
      };
    case 'mri':
      // The ACR four-zone model: each zone is entered only from the one before it.
      return {
        kind,
        department: 'radiology',
        staff: [{ zone: 'z3', weight: 15 }],
        columns: [
          [zone('z1', `${label} Zone I Waiting`, 'mri_zone_1', 90)],
          [zone('z2', `${label} Zone II Screening`, 'mri_zone_2', 90)],
          [zone('z3', `${label} Zone III Control Room`, 'mri_zone_3', 90)],
          [zone('z4', `${label} Zone IV Magnet Room`, 'mri_zone_4', 110)],
        ],
        doors: [
          { name: `${label} Reception Door`, from: 'hub', into: 'z1', egress: true },
          { name: `${label} Screening Door`, from: 'z1', into: 'z2' },
          { name: `${label} Zone III Door`, from: 'z2', into: 'z3' },
          { name: `${label} Magnet Room Door`, from: 'z3', into: 'z4', heldOpenSeconds: 60 },
        ],
      };
    case 'imaging':
      return {
        kind,
        department: 'radiology',
        staff: [{ zone: 'imaging', weight: 20 }],
        columns: [[zone('imaging', label, 'clinical', 200)]],
        doors: [
          { name: `${label} Entrance`, from: 'hub', into: 'imaging', egress: true },
          { name: `${label} Staff Door`, from: 'hub', into: 'imaging' },
        ],
      };
    case 'icu':
      return {
        kind,
        department: 'critical_care',
        staff: [{ zone: 'icu', weight: 45 }],
        columns: [
          [zone('icu', label, 'icu', 240)],
          [zone('med', `${label} Medication Room`, 'clinical', 70), zone('supply', `${label} Clean Supply`, 'clinical', 70)],
        ],
        doors: [
          { name: `${label} Main Entrance`, from: 'hub', into: 'icu', egress: true, heldOpenSeconds: 45 },
          { name: `${label} Staff Entrance`, from: 'hub', into: 'icu', egress: true },
          { name: `${label} Medication Room Door`, from: 'icu', into: 'med' },
          { name: `${label} Clean Supply Door`, from: 'icu', into: 'supply' },
        ],
      };
    case 'or':
      return {
        kind,
        department: 'perioperative',
        staff: [{ zone: 'or', weight: 70 }],
        columns: [
          [zone('changing', `${label} Staff Changing`, 'clinical', 90)],
          [zone('or', label, 'or', 280)],
          [zone('core', `${label} Sterile Core`, 'or', 90)],
        ],
        doors: [
          { name: `${label} Changing Room Door`, from: 'hub', into: 'changing' },
          { name: `${label} Staff Entry`, from: 'changing', into: 'or' },
          { name: `${label} Patient Transfer Doors`, from: 'hub', into: 'or', exitReader: true, egress: true, heldOpenSeconds: 60 },
          { name: `${label} Sterile Core Door`, from: 'or', into: 'core' },
        ],
      };
    case 'maternity':
      // Read out as well as in: an infant may leave only through a supervised, badged exit.
      return {
        kind,
        department: 'obstetrics',
        staff: [
          { zone: 'maternity', weight: 50 },
          { zone: 'nicu', department: 'neonatology', weight: 40 },
        ],
        columns: [[zone('maternity', label, 'maternity', 260)], [zone('nicu', 'Neonatal ICU', 'nicu', 200, 'neonatology')]],
        doors: [
          {
            name: `${label} Entrance`,
            from: 'hub',
            into: 'maternity',
            exitReader: true,
            requestToExit: false,
            egress: true,
            unlockSeconds: 4,
            heldOpenSeconds: 20,
          },
          {
            name: `${label} Staff Door`,
            from: 'hub',
            into: 'maternity',
            exitReader: true,
            requestToExit: false,
            egress: true,
            heldOpenSeconds: 20,
          },
          { name: 'NICU Entrance', from: 'maternity', into: 'nicu', exitReader: true, requestToExit: false, heldOpenSeconds: 20 },
          { name: 'NICU Staff Door', from: 'hub', into: 'nicu', exitReader: true, requestToExit: false, egress: true, heldOpenSeconds: 20 },
        ],
      };
    case 'behavioural':
      // A sally port: the outer door closes before the inner one opens; exit is controlled too.
      return {
        kind,
        department: 'behavioural',
        staff: [{ zone: 'unit', weight: 35 }],
        columns: [[zone('port', `${label} Sally Port`, 'behavioural_health', 70)], [zone('unit', label, 'behavioural_health', 240)]],
        doors: [
          { name: `${label} Outer Door`, from: 'hub', into: 'port', exitReader: true, requestToExit: false, egress: true },
          { name: `${label} Inner Door`, from: 'port', into: 'unit', exitReader: true, requestToExit: false, egress: true },
          { name: `${label} Staff Door`, from: 'hub', into: 'unit', exitReader: true, requestToExit: false, egress: true },
        ],
      };
    case 'data_centre':
      return {
        kind,
        department: 'it',
        staff: [{ zone: 'hall', weight: 8 }],
        columns: [[zone('hall', label, 'data_centre', 160)], [zone('network', `${label} Network Room`, 'data_centre', 80)]],
        doors: [
          { name: `${label} Door`, from: 'hub', into: 'hall', heldOpenSeconds: 20 },
          { name: `${label} Network Room Door`, from: 'hall', into: 'network', heldOpenSeconds: 20 },
        ],
      };
    case 'security':
      return {
        kind,
        department: 'security',
        staff: [{ zone: 'office', weight: 0 }],
        columns: [[zone('office', label, 'clinical', 130)]],
        doors: [{ name: `${label} Door`, from: 'hub', into: 'office' }],
      };
    case 'ward':
      return {
        kind,
        department: 'nursing',
        staff: [{ zone: 'ward', weight: 30 }],
        columns: [
          [zone('ward', label, 'clinical', 220)],
          [zone('med', `${label} Medication Room`, 'clinical', 70), zone('utility', `${label} Clean Utility`, 'clinical', 70)],
        ],
        doors: [
          { name: `${label} Entrance`, from: 'hub', into: 'ward', egress: true, heldOpenSeconds: 45 },
          { name: `${label} Rear Entrance`, from: 'hub', into: 'ward', egress: true },
          { name: `${label} Medication Room Door`, from: 'ward', into: 'med' },
          { name: `${label} Clean Utility Door`, from: 'ward', into: 'utility' },
        ],
      };
    case 'clinic':
      return {
        kind,
        department: 'outpatient',
        staff: [{ zone: 'clinic', weight: 15 }],
        columns: [[zone('clinic', label, 'clinical', 180)]],
        doors: [
          { name: `${label} Entrance`, from: 'hub', into: 'clinic', egress: true, heldOpenSeconds: 60 },
          { name: `${label} Staff Door`, from: 'hub', into: 'clinic', egress: true },
        ],
      };
    case 'offices':
      return {
        kind,
        department: 'administration',
        staff: [{ zone: 'offices', weight: 12 }],
        columns: [[zone('offices', label, 'clinical', 160)]],
        doors: [{ name: `${label} Door`, from: 'hub', into: 'offices', egress: true }],
      };
    case 'lab':
      return {
        kind,
        department: 'laboratory',
        staff: [{ zone: 'lab', weight: 30 }],
        columns: [[zone('lab', label, 'clinical', 180)], [zone('specimens', `${label} Specimen Reception`, 'clinical', 80)]],
        doors: [
          { name: `${label} Door`, from: 'hub', into: 'lab', egress: true },
          { name: `${label} Specimen Reception Door`, from: 'hub', into: 'specimens' },
          { name: `${label} Specimen Pass Door`, from: 'specimens', into: 'lab' },
        ],
      };
    case 'dock':
      return {
        kind,
        department: 'materials',
        staff: [{ zone: 'stores', weight: 10 }],
        columns: [[zone('dock', `${label} Loading Dock`, 'clinical', 150)], [zone('stores', `${label} Central Stores`, 'clinical', 120)]],
        doors: [
          { name: `${label} Loading Dock Door`, from: 'outside', into: 'dock', egress: true, heldOpenSeconds: 300 },
          { name: `${label} Stores Door`, from: 'dock', into: 'stores' },
          { name: `${label} Stores Corridor Door`, from: 'hub', into: 'stores' },
        ],
      };
    case 'plant':
      return {
        kind,
        department: 'facilities',
        staff: [{ zone: 'plant', weight: 0 }],
        columns: [[zone('plant', label, 'clinical', 120)]],
        doors: [{ name: `${label} Door`, from: 'hub', into: 'plant' }],
      };
    case 'research':
      return {
        kind,
        department: 'research',
        staff: [{ zone: 'lab', weight: 20 }],
        columns: [[zone('lab', label, 'clinical', 200)], [zone('freezers', `${label} Freezer Room`, 'clinical', 80)]],
        doors: [
          { name: `${label} Door`, from: 'hub', into: 'lab', egress: true },
          { name: `${label} Freezer Room Door`, from: 'lab', into: 'freezers' },
        ],
      };
  }
}
