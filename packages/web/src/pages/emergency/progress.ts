/**
 * Per-door progress of a plan activation: the report the server keeps, moved forward by live
 * `emergency` messages as doors confirm, and said in one line an operator can read aloud on the
 * radio: "14 of 16 doors secured, 2 pending: Stair B L3, Stair C L3".
 */
import type { DoorStatus, DoorTiming, PlanKind, Report } from './emergency-api.ts';

export interface Progress {
  total: number;
  confirmed: number;
  pending: DoorTiming[];
  failed: DoorTiming[];
  held: DoorTiming[];
  text: string;
}

const NAMES_SHOWN = 5;

function names(doors: readonly DoorTiming[]): string {
  const shown = doors.slice(0, NAMES_SHOWN).map((d) => d.doorName);
  return doors.length > NAMES_SHOWN ? `${shown.join(', ')} and ${doors.length - NAMES_SHOWN} more` : shown.join(', ');
}

function doneWord(kind: PlanKind, drill: boolean): string {
  if (drill) return 'confirmed (drill)';
  return kind === 'fire' ? 'released for egress' : 'secured';
}

export function progressOf(report: Report): Progress {
  const { activation } = report;
  const confirmed = report.doors.filter((d) => d.status === 'secured' || d.status === 'simulated').length;
  const pending = report.doors.filter((d) => d.status === 'commanded');
  const failed = report.doors.filter((d) => d.status === 'failed');
  const held = report.doors.filter((d) => d.status === 'held');
  const total = Math.max(report.summary.doors, report.doors.length);
  // Doors the plan covers that the report does not list yet are waiting for their first command.
  const unlisted = total - report.doors.length;
  const waiting = pending.length + unlisted;
  const parts = [`${confirmed} of ${total} door${total === 1 ? '' : 's'} ${doneWord(activation.kind, activation.drill)}`];
  if (waiting > 0) parts.push(`${waiting} pending${pending.length > 0 ? `: ${names(pending)}` : ''}`);
  if (failed.length > 0) parts.push(`${failed.length} not confirming: ${names(failed)}`);
  if (held.length > 0) parts.push(`${held.length} held by a stronger plan: ${names(held)}`);
  return { total, confirmed, pending, failed, held, text: parts.join(', ') };
}

/** A door of the plan as it stands once commanded, before its controller has answered. */
export function commandedDoor(doorId: string, doorName: string, targetMode: string): DoorTiming {
  return {
    doorId,
    doorName,
    targetMode,
    priorMode: null,
    status: 'commanded',
    commandedAt: null,
    confirmedAt: null,
    secondsToSecure: null,
    attempts: 1,
    error: null,
    restoredAt: null,
    restoreConfirmedAt: null,
    restoredMode: null,
  };
}

/** The fields of a live `emergency` message this module reads. */
export interface EmergencyMessage {
  type: string;
  at: string;
  [key: string]: unknown;
}

/** The activation a live message is about, if any. */
export function activationOf(message: EmergencyMessage): string | null {
  if (typeof message['activationId'] === 'string') return message['activationId'];
  const activation = message['activation'] as { id?: unknown } | undefined;
  return typeof activation?.id === 'string' ? activation.id : null;
}

/** The report after a door confirmed or failed (other messages leave it as it is: read it again). */
export function applyEmergencyMessage(report: Report, message: EmergencyMessage, doorName: (id: string) => string): Report {
  if (activationOf(message) !== report.activation.id) return report;
  const doorId = message['doorId'];
  if (typeof doorId !== 'string') return report;
  let patch: Partial<DoorTiming>;
  if (message.type === 'emergency.door_secured') {
    const status: DoorStatus = message['drill'] === true ? 'simulated' : 'secured';
    patch = {
      status,
      confirmedAt: message.at,
      secondsToSecure: typeof message['seconds'] === 'number' ? message['seconds'] : null,
      error: null,
    };
  } else if (message.type === 'emergency.door_failed') {
    patch = {
      status: 'failed',
      error: typeof message['error'] === 'string' ? message['error'] : null,
      attempts: Number(message['attempts'] ?? 0),
    };
  } else return report;
  const existing = report.doors.find((d) => d.doorId === doorId);
  const base = existing ?? commandedDoor(doorId, doorName(doorId), typeof message['mode'] === 'string' ? message['mode'] : '');
  const door = { ...base, ...patch };
  const doors = existing ? report.doors.map((d) => (d.doorId === doorId ? door : d)) : [...report.doors, door];
  return { ...report, doors };
}
