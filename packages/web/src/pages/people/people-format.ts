/** How people and credentials are named on screen, and the card formats a card may be issued in. */
import type { Credential, Person } from '../../components/admin/api-types.ts';

export const peopleListKey = ['admin', 'people', 'persons'] as const;
export const personKey = (id: string) => ['admin', 'people', 'person', id] as const;
export const credentialsKey = (id: string) => ['admin', 'people', 'credentials', id] as const;
export const trainingKey = (id: string) => ['admin', 'people', 'training', id] as const;

export const fullName = (person: Pick<Person, 'givenName' | 'familyName'>) => `${person.givenName} ${person.familyName}`;

export const KIND_LABEL: Record<Person['kind'], string> = {
  staff: 'Staff',
  contractor: 'Contractor',
  visitor: 'Visitor',
  patient: 'Patient',
  infant: 'Infant',
};

/**
 * The Wiegand formats the server issues cards in, with the bit widths of their facility code and
 * card number (the largest value each can carry is 2^bits − 1). The server checks again.
 */
export const CARD_FORMATS = [
  { id: 'H10301', label: 'H10301 — 26-bit', facilityBits: 8, cardBits: 16 },
  { id: 'H10306', label: 'H10306 — 34-bit', facilityBits: 16, cardBits: 16 },
  { id: 'H10304', label: 'H10304 — 37-bit with facility code', facilityBits: 16, cardBits: 19 },
  { id: 'C1000-35', label: 'Corporate 1000 — 35-bit', facilityBits: 12, cardBits: 20 },
  { id: 'C1000-48', label: 'Corporate 1000 — 48-bit', facilityBits: 22, cardBits: 23 },
] as const;
export type CardFormatId = (typeof CARD_FORMATS)[number]['id'];

export const maxOf = (bits: number) => 2 ** bits - 1;

/** "H10301 12:•••345", "PIN", "iOS wallet …" — a credential in one line, never a full card number. */
export function describeCredential(credential: Credential): string {
  if (credential.card)
    return `${credential.card.format} · facility ${credential.card.facilityCode} · card ${credential.card.cardNumberMasked}`;
  if (credential.mobile) return `${credential.mobile.platform === 'ios' ? 'iOS' : 'Android'} mobile · ${credential.mobile.enrolmentId}`;
  if (credential.biometric) return `Biometric · ${credential.biometric.vendor}`;
  return 'PIN';
}

/**
 * A PIN the server would refuse as weak: one digit repeated, or a run up or down (1234, 9876).
 * Checked here so the administrator learns before the request; the server decides.
 */
export function pinProblem(pin: string): string | null {
  if (!/^\d{4,8}$/.test(pin)) return 'A PIN is 4 to 8 digits.';
  const digits = [...pin].map(Number);
  // Steps between neighbours, wrapping 9→0: all 0 is a repeated digit, all 1 or all 9 a run.
  const steps = new Set(digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10));
  if (steps.size === 1 && steps.has(0)) return 'A PIN of one repeated digit is the first thing anyone tries.';
  if (steps.size === 1 && (steps.has(1) || steps.has(9)))
    return 'A PIN that is a run of consecutive digits is the first thing anyone tries.';
  return null;
}
