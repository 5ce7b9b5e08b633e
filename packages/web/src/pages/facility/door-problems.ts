/**
 * Which fields of the door form a server refusal is about, so its message can stand beside them.
 * The server names them in its problem+json: `fields` for wiring given without what it needs
 * (`facility.door_wiring_invalid`), the clashing `address` for a reader address another door (or
 * the other side) already uses (`facility.reader_address_in_use`), and the body path of each
 * schema error (`request.invalid`).
 */
import { ApiError } from '../../api/client.ts';
import type { FieldError } from '../../components/admin/forms.tsx';

export const DOOR_FIELDS = [
  'name',
  'controllerId',
  'lockOutput',
  'doorPositionInput',
  'requestToExitInput',
  'osdpBus',
  'entryReaderAddress',
  'exitReaderAddress',
  'unlockSeconds',
  'heldOpenSeconds',
] as const;
export type DoorField = (typeof DOOR_FIELDS)[number];

export type DoorFieldErrors = Partial<Record<DoorField, FieldError>>;

const isDoorField = (value: unknown): value is DoorField => typeof value === 'string' && (DOOR_FIELDS as readonly string[]).includes(value);

/** The reader addresses the refused request carried, to find the one the server says is taken. */
export interface SentAddresses {
  entryReaderAddress: number | null;
  exitReaderAddress: number | null;
}

export function doorFieldErrors(error: unknown, sent: SentAddresses): DoorFieldErrors {
  if (!(error instanceof ApiError)) return {};
  const problem = error.problem;
  const named: DoorField[] = [];
  if (error.code === 'facility.door_wiring_invalid' && Array.isArray(problem['fields'])) {
    named.push(...problem['fields'].filter(isDoorField));
  } else if (error.code === 'facility.reader_address_in_use') {
    const address = problem['address'];
    if (sent.entryReaderAddress === address) named.push('entryReaderAddress');
    if (sent.exitReaderAddress === address) named.push('exitReaderAddress');
  } else if (error.code === 'request.invalid' && Array.isArray(problem['errors'])) {
    const errors: DoorFieldErrors = {};
    for (const entry of problem['errors'] as { location?: unknown; message?: unknown }[]) {
      // `body/osdpBus` or `body/osdpBus/…`: the field is the first step of the path.
      const field = typeof entry.location === 'string' ? entry.location.split('/')[1] : undefined;
      if (isDoorField(field) && typeof entry.message === 'string') errors[field] = { message: entry.message, code: error.code };
    }
    return errors;
  }
  return Object.fromEntries(named.map((field) => [field, { message: error.message, code: error.code }]));
}
