import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionSignals } from './decision.js';
import { DOOR_MODES } from './snapshot.js';
import { setDoorMode, setFireEgress, setLockdown } from './state.js';
import { MONDAY_10AM, MONDAY_11PM, PINS, badge, badgeWithPin, harness } from './testing.js';

const exitRequest = (doorId: string) => ({ doorId, kind: 'exit_request' as const });

describe('door modes', () => {
  it('unlocked: lets anyone in, even with a card it does not know', () => {
    const { ask } = harness();
    const decision = ask({ doorId: 'cafe', kind: 'card', card: { bitCount: 26, hex: 'ffffffc0' } });
    assert.deepEqual([decision.granted, decision.reason, decision.rule], [true, 'access.door_unlocked', 'door_mode']);
  });

  it('locked: refuses entry even to a person with access', () => {
    const { ask } = harness();
    assert.deepEqual([ask(badge('plant-room', 'alice')).granted, ask(badge('plant-room', 'alice')).reason], [false, 'access.door_locked']);
  });

  it('scheduled: unlocked during its schedule, card access outside it', () => {
    const { ask } = harness();
    assert.equal(ask(badge('office', 'dan'), MONDAY_10AM).reason, 'access.door_unlocked');
    assert.equal(ask(badge('office', 'dan'), MONDAY_11PM).reason, 'access.person_suspended');
    assert.equal(ask(badge('office', 'alice'), MONDAY_11PM).reason, 'access.granted');
  });

  it('card and PIN: requires the holder’s PIN, checked against its hash', async () => {
    const { ask, snapshot } = harness();
    const typed = (name: 'alice' | 'carol' | 'guard', pin: string) => badgeWithPin(snapshot, 'records', name, pin);
    assert.equal(ask(badge('records', 'alice')).reason, 'access.second_factor_required');
    assert.equal(ask(await typed('alice', '0000')).reason, 'access.pin_incorrect');
    assert.equal(ask(await typed('alice', PINS.bob)).reason, 'access.pin_incorrect');
    assert.equal(ask(await typed('alice', PINS.alice)).granted, true);
    assert.equal(ask(await typed('carol', PINS.alice)).reason, 'access.no_access');
    assert.equal(ask(await typed('guard', PINS.alice)).reason, 'access.pin_not_enrolled');
    // A verdict claimed for someone with no PIN is not taken on trust.
    assert.equal(ask(badge('records', 'guard', { pinMatch: true })).reason, 'access.pin_not_enrolled');
  });

  it('first person in: stays locked until a designated person badges, then unlocked until the schedule ends', () => {
    const { ask, state, snapshot } = harness();
    const stranger = { doorId: 'clinic', kind: 'card' as const, card: { bitCount: 26, hex: 'ffffffc0' } };
    assert.equal(ask(badge('clinic', 'bob')).reason, 'access.granted'); // access, but not designated
    assert.equal(ask(stranger).reason, 'access.unknown_card');
    const first = ask(badge('clinic', 'alice'), MONDAY_10AM + 60_000);
    assert.deepEqual([first.granted, decisionSignals(first)], [true, ['first_person_in_unlocked']]);
    assert.equal(ask(stranger, MONDAY_10AM + 120_000).reason, 'access.door_unlocked');
    // Office hours end at 19:00 BST (18:00 UTC): the door locks again.
    const door = snapshot.doorIndex.get('clinic')!;
    assert.equal(state.firstInUntil[door], Date.parse('2025-06-02T18:00:00Z'));
    assert.equal(ask(stranger, Date.parse('2025-06-02T18:00:00Z')).reason, 'access.unknown_card');
    assert.equal(ask(stranger, Date.parse('2025-06-03T09:00:00Z')).reason, 'access.unknown_card'); // next morning: locked again
  });

  it('lockdown: only holders of the override privilege pass', () => {
    const { ask, state } = harness();
    assert.equal(setLockdown(state, { siteIds: ['st-marys'] }, true).doors, 15);
    assert.deepEqual(
      [ask(badge('main-entrance', 'alice')).granted, ask(badge('main-entrance', 'alice')).reason],
      [false, 'access.lockdown'],
    );
    const guard = ask(badge('icu', 'guard'));
    assert.deepEqual([guard.granted, guard.reason, guard.rule], [true, 'access.lockdown_override', 'lockdown']);
    setLockdown(state, { siteIds: ['st-marys'] }, false);
    assert.equal(ask(badge('main-entrance', 'alice')).granted, true);
  });

  it('an operator override replaces the configured mode until cleared', () => {
    const { ask, state } = harness();
    setDoorMode(state, 'main-entrance', 'locked');
    assert.equal(ask(badge('main-entrance', 'alice')).reason, 'access.door_locked');
    setDoorMode(state, 'main-entrance', null);
    assert.equal(ask(badge('main-entrance', 'alice')).granted, true);
  });
});

describe('fire egress and free exit', () => {
  it('grants every request to exit in every mode, under lockdown and under fire egress', () => {
    const { ask, state } = harness();
    for (const mode of DOOR_MODES) {
      setDoorMode(state, 'plant-room', mode);
      for (const lockdown of [false, true]) {
        setLockdown(state, { doorIds: ['plant-room'] }, lockdown);
        const rex = ask(exitRequest('plant-room'));
        const exitRead = ask(badge('plant-room', 'dan', { direction: 'exit' }));
        assert.deepEqual([rex.granted, rex.reason, rex.rule], [true, 'access.free_egress', 'egress'], `${mode} lockdown=${lockdown}`);
        assert.deepEqual([exitRead.granted, exitRead.reason], [true, 'access.free_egress'], `${mode} lockdown=${lockdown}`);
      }
    }
  });

  it('fire egress beats lockdown and locked mode for exit, while entry still needs a valid card', () => {
    const { ask, state } = harness();
    setLockdown(state, { siteIds: ['st-marys'] }, true);
    setFireEgress(state, { siteIds: ['st-marys'] }, true);
    assert.equal(ask(exitRequest('plant-room')).granted, true);
    assert.equal(ask({ doorId: 'main-entrance', kind: 'card', direction: 'exit', card: { bitCount: 26, hex: 'ffffffc0' } }).granted, true);
    // Fire egress replaces lockdown: entry falls back to card rules instead of override-only.
    assert.equal(ask(badge('main-entrance', 'alice')).reason, 'access.granted');
    assert.equal(ask(badge('main-entrance', 'dan')).reason, 'access.person_suspended');
    setFireEgress(state, { siteIds: ['st-marys'] }, false);
    assert.equal(ask(badge('main-entrance', 'alice')).reason, 'access.lockdown');
  });
});

describe('controls that name ids the snapshot does not know', () => {
  it('fire egress still covers every known door in scope, and reports the unknown ids', () => {
    const { ask, state, snapshot } = harness();
    setLockdown(state, { siteIds: ['st-marys'] }, true);
    const outcome = setFireEgress(state, { siteIds: ['st-marys', 'old-site'], zoneIds: ['demolished-wing'], doorIds: ['gone'] }, true);
    assert.deepEqual(outcome, {
      doors: snapshot.doors.ids.length,
      unknown: { siteIds: ['old-site'], zoneIds: ['demolished-wing'], doorIds: ['gone'] },
    });
    assert.ok(snapshot.doors.ids.every((_, door) => state.fireEgress[door] === 1));
    assert.equal(ask(badge('main-entrance', 'alice')).reason, 'access.granted', 'fire egress replaced lockdown');
  });

  it('an unknown zone matches no door, not the doors that lead to no zone', () => {
    const { state, snapshot } = harness();
    // The main entrance comes from outside any zone: an unknown zone id must not select it.
    const outcome = setLockdown(state, { zoneIds: ['no-such-zone'] }, true);
    assert.deepEqual([outcome.doors, outcome.unknown.zoneIds], [0, ['no-such-zone']]);
    assert.equal(state.lockdown[snapshot.doorIndex.get('main-entrance')!], 0);
    assert.equal(setLockdown(state, { zoneIds: ['icu', 'no-such-zone'] }, true).doors, 1);
  });

  it('an operator mode for an unknown door changes nothing and says so', () => {
    const { state } = harness();
    assert.equal(setDoorMode(state, 'gone', 'locked'), false);
    assert.ok(state.modeOverride.every((mode) => mode === -1));
    assert.equal(setDoorMode(state, 'cafe', 'locked'), true);
  });
});
