import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSnapshot } from './compile.js';
import { decide } from './decide.js';
import { decisionSignals } from './decision.js';
import {
  type PersistedAccessState,
  carryState,
  createState,
  forgivePassback,
  persistState,
  recordDoorClosed,
  recordDoorOpened,
  restoreState,
  setLockdown,
} from './state.js';
import { MONDAY_10AM, badge, harness, testPolicy, testSnapshot } from './testing.js';

const MINUTE = 60_000;

describe('anti-passback', () => {
  it('hard: refuses a second entry into a zone the person is recorded in, until they leave', () => {
    const { ask } = harness();
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM).granted, true);
    const again = ask(badge('theatre', 'alice'), MONDAY_10AM + MINUTE);
    assert.deepEqual([again.granted, again.reason, again.rule], [false, 'access.passback_violation', 'anti_passback']);
    assert.equal(ask(badge('theatre', 'alice', { direction: 'exit' }), MONDAY_10AM + 2 * MINUTE).granted, true);
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM + 3 * MINUTE).granted, true);
  });

  it('hard, timed forgiveness: the recorded location stops counting after the zone forgiveness time', () => {
    const { ask } = harness();
    ask(badge('theatre', 'alice'), MONDAY_10AM);
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM + 59 * MINUTE).granted, false);
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM + 61 * MINUTE).granted, true);
  });

  it('hard, operator forgiveness: forgiving the person clears the violation', () => {
    const { ask, state } = harness();
    ask(badge('theatre', 'alice'), MONDAY_10AM);
    forgivePassback(state, 'alice');
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM + MINUTE).granted, true);
    forgivePassback(state);
    assert.equal(ask(badge('theatre', 'alice'), MONDAY_10AM + 2 * MINUTE).granted, true);
  });

  it('soft: grants the second entry but signals the passback', () => {
    const { ask } = harness();
    ask(badge('day-ward', 'alice'), MONDAY_10AM);
    const again = ask(badge('day-ward', 'alice'), MONDAY_10AM + MINUTE);
    assert.equal(again.granted, true);
    assert.deepEqual(decisionSignals(again), ['passback']);
  });
});

describe('interlock (sally port)', () => {
  it('refuses one door while another of the set is released, until it closes', () => {
    const { ask, state } = harness();
    assert.equal(ask(badge('sally-outer', 'alice', { pinMatch: true }), MONDAY_10AM).granted, true);
    const inner = ask(badge('sally-inner', 'bob', { pinMatch: true }), MONDAY_10AM + 1000);
    assert.deepEqual([inner.granted, inner.reason, inner.rule, inner.detail], [false, 'access.interlock_busy', 'interlock', 'sally-outer']);
    recordDoorClosed(state, 'sally-outer');
    assert.equal(ask(badge('sally-inner', 'bob', { pinMatch: true }), MONDAY_10AM + 2000).granted, true);
  });

  it('refuses while a door of the set reports open, and frees it when the release time passes unopened', () => {
    const { ask, state } = harness();
    recordDoorOpened(state, 'sally-inner');
    assert.equal(ask(badge('sally-outer', 'alice', { pinMatch: true })).reason, 'access.interlock_busy');
    recordDoorClosed(state, 'sally-inner');
    assert.equal(ask(badge('sally-outer', 'alice', { pinMatch: true }), MONDAY_10AM).granted, true);
    assert.equal(ask(badge('sally-inner', 'bob', { pinMatch: true }), MONDAY_10AM + 4_000).granted, false);
    assert.equal(ask(badge('sally-inner', 'bob', { pinMatch: true }), MONDAY_10AM + 5_000).granted, true); // 5 s release elapsed
  });
});

describe('occupancy limits', () => {
  it('refuses entry at the limit and admits again when someone leaves', () => {
    const { ask } = harness();
    assert.equal(ask(badge('quiet-room', 'alice')).granted, true);
    assert.equal(ask(badge('quiet-room', 'bob')).granted, true);
    const third = ask(badge('quiet-room', 'guard'));
    assert.deepEqual([third.granted, third.reason, third.rule, third.zoneId], [false, 'access.occupancy_full', 'occupancy', 'quiet-room']);
    ask(badge('quiet-room', 'alice', { direction: 'exit' }));
    assert.equal(ask(badge('quiet-room', 'guard')).granted, true);
  });
});

describe('decision state', () => {
  it('survives persistence and restart', () => {
    const { ask, state, snapshot } = harness();
    ask(badge('theatre', 'alice'));
    ask(badge('quiet-room', 'bob'));
    setLockdown(state, { doorIds: ['vault'] }, true);
    const restored = restoreState(snapshot, JSON.parse(JSON.stringify(persistState(state))) as PersistedAccessState);
    assert.equal(decide(snapshot, badge('theatre', 'alice'), MONDAY_10AM + MINUTE, restored).reason, 'access.passback_violation');
    assert.equal(decide(snapshot, badge('vault', 'alice'), MONDAY_10AM + MINUTE, restored).reason, 'access.lockdown');
    assert.deepEqual(persistState(restored), persistState(state));
  });

  it('is carried onto a new snapshot by id, and refused for a snapshot it was not made for', () => {
    const { ask, state } = harness();
    ask(badge('theatre', 'alice'));
    const policy = testPolicy(2);
    const next = compileSnapshot(
      { ...policy, persons: [...policy.persons].reverse(), doors: [...policy.doors].reverse() },
      { now: new Date(MONDAY_10AM) },
    );
    assert.throws(() => decide(next, badge('theatre', 'alice'), MONDAY_10AM, state), { code: 'access.state_mismatch' });
    const carried = carryState(state, next);
    assert.equal(decide(next, badge('theatre', 'alice'), MONDAY_10AM + MINUTE, carried).reason, 'access.passback_violation');
    assert.equal(decide(next, badge('theatre', 'bob'), MONDAY_10AM + MINUTE, carried).granted, true);
  });

  it('leaves the state untouched by a refusal', () => {
    const snapshot = testSnapshot();
    const state = createState(snapshot);
    const before = JSON.stringify(persistState(state));
    decide(snapshot, badge('quiet-room', 'dan'), MONDAY_10AM, state);
    decide(snapshot, badge('theatre', 'carol'), MONDAY_10AM, state);
    assert.equal(JSON.stringify(persistState(state)), before);
  });
});
