/**
 * A PIN lockout as the alarm view reads it: the `access.pin_locked_out` event a door controller
 * recorded (whose card, until when), and an operator's request to lift it early with what each
 * controller of the site made of it. Shapes as in docs/openapi.json; pure functions only.
 */

export const PIN_LOCKED_OUT = 'access.pin_locked_out';

/** One journal record, as far as the alarm view needs it (`GET /api/journal/events/{id}`). */
export interface JournalRecord {
  id: string;
  type: string;
  at: string;
  site: string | null;
  source: string;
  subject: string | null;
  door: string | null;
  data: unknown;
}

/** What the controller locked out (the event's data, with the envelope's person). */
export interface PinLockout {
  credentialId: string;
  personId: string | null;
  attempts: number;
  until: string;
}

export function lockoutOf(record: JournalRecord): PinLockout | null {
  if (record.type !== PIN_LOCKED_OUT || typeof record.data !== 'object' || record.data === null) return null;
  const data = record.data as Record<string, unknown>;
  if (typeof data['credentialId'] !== 'string' || typeof data['until'] !== 'string') return null;
  return {
    credentialId: data['credentialId'],
    personId: record.subject,
    attempts: typeof data['attempts'] === 'number' ? data['attempts'] : 0,
    until: data['until'],
  };
}

export const LIFT_STATUSES = ['pending', 'lifted', 'not_locked_out', 'expired'] as const;
export type LiftStatus = (typeof LIFT_STATUSES)[number];

/** `POST /api/sites/{siteId}/pin-lockouts/{credentialId}/lift` (202) and `GET /api/pin-lockout-lifts/{liftId}`. */
export interface PinLockoutLift {
  id: string;
  siteId: string;
  credentialId: string;
  personId: string;
  status: LiftStatus;
  requestedAt: string;
  expiresAt: string;
  agents: { agentId: string; status: LiftStatus; completedAt: string | null }[];
}

/** The lift as a whole, as the server sums up its controllers' reports. */
export const LIFT_WORDS: Record<LiftStatus, string> = {
  pending: 'Sent: waiting for the door controllers…',
  lifted: 'Lifted: the card’s PIN is asked for again.',
  not_locked_out: 'Not locked out: no door controller held a lockout for this card (it may have run out).',
  expired: 'Expired: a door controller did not carry the request out in time; lift again if the card is still refused.',
};

/** One controller's report. */
export const AGENT_LIFT_WORDS: Record<LiftStatus, string> = {
  pending: 'waiting',
  lifted: 'lifted',
  not_locked_out: 'not locked out',
  expired: 'expired',
};

/** Whether the lockout still runs at `now` (the controller refuses the card until then). */
export function stillLockedOut(lockout: PinLockout, now: number): boolean {
  return Date.parse(lockout.until) > now;
}
