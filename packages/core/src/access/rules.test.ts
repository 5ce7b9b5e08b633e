import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionSignals, explainDecision } from './decision.js';
import { MONDAY_10AM, badge, harness } from './testing.js';

const SECOND = 1000;

describe('second factor by zone security level', () => {
  it('requires a PIN or biometric for a zone at the second-factor level', () => {
    const { ask } = harness();
    const bare = ask(badge('icu', 'alice'));
    assert.deepEqual(
      [bare.granted, bare.reason, bare.rule, bare.detail],
      [false, 'access.second_factor_required', 'second_factor', 'PIN or biometric'],
    );
    assert.equal(ask(badge('icu', 'alice', { pinMatch: true })).granted, true);
    assert.equal(ask(badge('icu', 'alice', { biometricMatch: true })).granted, true);
    assert.equal(ask(badge('icu', 'alice', { biometricMatch: false })).reason, 'access.biometric_mismatch');
    assert.equal(ask(badge('icu', 'alice', { pinMatch: false })).reason, 'access.pin_incorrect');
  });

  it('accepts only the biometric where the zone says so', () => {
    const { ask } = harness();
    assert.equal(ask(badge('genomics', 'alice', { pinMatch: true })).reason, 'access.second_factor_required');
    assert.equal(ask(badge('genomics', 'alice', { biometricMatch: true })).granted, true);
  });

  it('asks nothing more below the level', () => {
    const { ask } = harness();
    assert.equal(ask(badge('theatre', 'alice')).granted, true);
  });
});

describe('competency-gated zones', () => {
  it('admits to MRI zone IV only with a current MRI-safety record', () => {
    const { ask } = harness();
    assert.equal(ask(badge('mri', 'alice')).granted, true);
    const bob = ask(badge('mri', 'bob'));
    assert.deepEqual([bob.granted, bob.reason, bob.rule, bob.detail], [false, 'access.competency_missing', 'competency', 'mri-safety']);
    assert.equal(ask(badge('mri', 'mira')).reason, 'access.competency_missing'); // record expired 1 January 2025
    assert.equal(ask(badge('mri', 'alice'), Date.parse('2026-01-02T10:00:00Z')).reason, 'access.competency_missing');
  });

  it('admits to the pharmacy vault only with controlled-substance training', () => {
    const { ask } = harness();
    assert.equal(ask(badge('vault', 'guard')).detail, 'controlled-substances');
  });
});

describe('two-person rule', () => {
  it('holds the first valid credential and grants when a second person badges within the window', () => {
    const { ask } = harness();
    const first = ask(badge('vault', 'alice'), MONDAY_10AM);
    assert.deepEqual([first.granted, first.reason, first.rule], [false, 'access.awaiting_second_person', 'two_person']);
    assert.equal(ask(badge('vault', 'alice'), MONDAY_10AM + 1 * SECOND).reason, 'access.awaiting_second_person'); // same person twice
    const second = ask(badge('vault', 'bob'), MONDAY_10AM + 5 * SECOND);
    assert.deepEqual([second.granted, second.reason, second.detail], [true, 'access.granted_two_person', 'alice']);
  });

  it('starts over when the second credential comes after the window (5 s by default)', () => {
    const { ask } = harness();
    ask(badge('vault', 'alice'), MONDAY_10AM);
    assert.equal(ask(badge('vault', 'bob'), MONDAY_10AM + 5 * SECOND + 1).reason, 'access.awaiting_second_person');
    assert.equal(ask(badge('vault', 'alice'), MONDAY_10AM + 8 * SECOND).granted, true);
  });

  it('does not count a credential that fails another rule as the second person', () => {
    const { ask } = harness();
    ask(badge('vault', 'alice'), MONDAY_10AM);
    assert.equal(ask(badge('vault', 'guard'), MONDAY_10AM + SECOND).reason, 'access.competency_missing');
    assert.equal(ask(badge('vault', 'bob'), MONDAY_10AM + 2 * SECOND).granted, true);
  });
});

describe('visitor escort', () => {
  it('denies a visitor alone and signals a visitor astray', () => {
    const { ask } = harness();
    const alone = ask(badge('theatre', 'vic'));
    assert.deepEqual([alone.granted, alone.reason, alone.rule], [false, 'access.escort_required', 'escort']);
    assert.deepEqual(decisionSignals(alone), ['visitor_astray']);
    assert.match(explainDecision(alone), /needs an escort/);
  });

  it('grants a visitor who follows an escort through the door within the window', () => {
    const { ask } = harness();
    assert.equal(ask(badge('day-ward', 'alice'), MONDAY_10AM).granted, true);
    const escorted = ask(badge('day-ward', 'vic'), MONDAY_10AM + 3 * SECOND);
    assert.deepEqual([escorted.granted, escorted.reason, escorted.detail], [true, 'access.granted_escorted', 'alice']);
    assert.equal(ask(badge('day-ward', 'vic'), MONDAY_10AM + 9 * SECOND).reason, 'access.escort_required');
  });

  it('does not take a person without the escort privilege as an escort', () => {
    const { ask } = harness();
    ask(badge('day-ward', 'bob'), MONDAY_10AM);
    assert.equal(ask(badge('day-ward', 'vic'), MONDAY_10AM + SECOND).reason, 'access.escort_required');
  });
});
