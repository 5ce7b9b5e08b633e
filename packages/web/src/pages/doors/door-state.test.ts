import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OFFLINE_AFTER_MS, applyDoorMessage, lookOf, unknownDoorState, type DoorState } from './door-state.ts';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');
const recently = new Date(NOW - 5_000).toISOString();

function reported(fields: Partial<DoorState>): DoorState {
  return { ...unknownDoorState('door-1', 'site-1'), open: false, mode: 'card_only', reportedAt: recently, ...fields };
}

describe('how a door looks', () => {
  it('ranks forced over held over open over unlocked over locked', () => {
    assert.equal(lookOf(reported({ open: true, locked: false, alarm: 'forced_open' }), NOW), 'forced');
    assert.equal(lookOf(reported({ open: true, alarm: 'held_open' }), NOW), 'held');
    assert.equal(lookOf(reported({ open: true, locked: false }), NOW), 'open');
    assert.equal(lookOf(reported({ locked: false }), NOW), 'unlocked');
    assert.equal(lookOf(reported({}), NOW), 'locked');
  });

  it('is offline when its controller never reported it or has been silent too long', () => {
    assert.equal(lookOf(unknownDoorState('door-1', 'site-1'), NOW), 'offline');
    assert.equal(
      lookOf(reported({ alarm: 'forced_open', reportedAt: new Date(NOW - OFFLINE_AFTER_MS - 1).toISOString() }), NOW),
      'offline',
    );
  });
});

describe('a live door message', () => {
  it('moves the state the way the server moves its record', () => {
    const forced = applyDoorMessage(reported({}), 'forced_open', new Date(NOW).toISOString());
    assert.equal(lookOf(forced, NOW), 'forced');
    const closed = applyDoorMessage(forced, 'closed', new Date(NOW + 1).toISOString());
    assert.equal(closed.alarm, null);
    assert.equal(lookOf(closed, NOW), 'locked');
  });

  it('brings an offline door back, and never moves the report time backwards', () => {
    const silent = reported({ reportedAt: null });
    const back = applyDoorMessage(silent, 'opened', recently);
    assert.equal(lookOf(back, NOW), 'open');
    const late = applyDoorMessage(back, 'closed', new Date(NOW - 60_000).toISOString());
    assert.equal(late.reportedAt, recently);
  });

  it('leaves the state as it is for messages that change nothing visible', () => {
    const state = reported({});
    assert.equal(applyDoorMessage(state, 'command_executed', recently), state);
  });
});
