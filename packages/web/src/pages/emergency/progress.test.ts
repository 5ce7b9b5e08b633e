import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DoorTiming, Report } from './emergency-api.ts';
import { applyEmergencyMessage, commandedDoor, progressOf } from './progress.ts';

function door(name: string, status: DoorTiming['status']): DoorTiming {
  return { ...commandedDoor(`id-${name}`, name, 'lockdown'), status, commandedAt: '2026-01-01T12:00:00.000Z' };
}

function report(doors: DoorTiming[], drill = false, total = doors.length): Report {
  return {
    activation: {
      id: 'act-1',
      planId: 'plan-1',
      siteId: 'site-1',
      kind: 'lockdown',
      drill,
      state: 'active',
      trigger: 'operator',
      triggerEventId: null,
      requestedBy: 'operator:a',
      requestedAt: '2026-01-01T12:00:00.000Z',
      confirmedBy: null,
      startedAt: '2026-01-01T12:00:00.000Z',
      clearedBy: null,
      clearedAt: null,
      reason: null,
    },
    planName: 'Lockdown',
    doors,
    summary: { doors: total, secured: 0, failed: 0, pending: 0, held: 0, medianSeconds: null, p95Seconds: null, maxSeconds: null },
  };
}

const secured = Array.from({ length: 14 }, (_, i) => door(`Door ${i + 1}`, 'secured'));

describe('plan progress', () => {
  it('says how many doors are secured and names the ones still pending', () => {
    const progress = progressOf(report([...secured, door('Stair B L3', 'commanded'), door('Stair C L3', 'commanded')]));
    assert.equal(progress.text, '14 of 16 doors secured, 2 pending: Stair B L3, Stair C L3');
  });

  it('names failing and held doors, counts doors not commanded yet as pending, and says drill', () => {
    const text = progressOf(report([door('A', 'simulated'), door('B', 'failed'), door('C', 'held')], true, 5)).text;
    assert.equal(text, '1 of 5 doors confirmed (drill), 2 pending, 1 not confirming: B, 1 held by a stronger plan: C');
  });

  it('moves a door to secured when its confirmation arrives live, and ignores other activations', () => {
    const before = report([...secured, door('Stair B L3', 'commanded')]);
    const message = {
      type: 'emergency.door_secured',
      at: '2026-01-01T12:00:03.000Z',
      activationId: 'act-1',
      doorId: 'id-Stair B L3',
      seconds: 3,
      drill: false,
    };
    assert.equal(
      applyEmergencyMessage(before, { ...message, activationId: 'another' }, () => '?'),
      before,
    );
    const after = applyEmergencyMessage(before, message, () => '?');
    assert.equal(progressOf(after).text, '15 of 15 doors secured');
    assert.equal(after.doors.find((d) => d.doorName === 'Stair B L3')?.secondsToSecure, 3);
  });

  it('adds a door the report did not list yet, named from the facility', () => {
    const before = report([], false, 1);
    const after = applyEmergencyMessage(
      before,
      {
        type: 'emergency.door_failed',
        at: '2026-01-01T12:00:03.000Z',
        activationId: 'act-1',
        doorId: 'd-9',
        error: 'no answer',
        attempts: 1,
      },
      () => 'Stair D L1',
    );
    assert.equal(progressOf(after).text, '0 of 1 door secured, 1 not confirming: Stair D L1');
  });
});
