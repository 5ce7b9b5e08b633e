import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeWiegand } from '../wiegand/codec.js';
import { SIGNAL_LOST_OR_STOLEN_CARD, decisionSignals, explainDecision } from './decision.js';
import { MONDAY_10AM, MONDAY_11PM, badge, harness } from './testing.js';

describe('credential and person state', () => {
  it('grants an active card whose access group covers the door, naming the group and schedule', () => {
    const { ask } = harness();
    const decision = ask(badge('main-entrance', 'alice'));
    assert.equal(decision.granted, true);
    assert.equal(decision.reason, 'access.granted');
    assert.equal(decision.rule, 'access_group');
    assert.deepEqual(
      [decision.personId, decision.credentialId, decision.accessGroupId, decision.scheduleId],
      ['alice', 'card-alice', 'all-doors', 'always'],
    );
    assert.equal(
      explainDecision(decision),
      'Granted by rule access_group: access group all-doors allows door main-entrance while schedule always is active.',
    );
  });

  it('denies an unknown card and keeps its raw bits and format', () => {
    const { ask } = harness();
    const stranger = encodeWiegand('H10301', { facilityCode: 99, cardNumber: 12345 });
    const decision = ask({ doorId: 'main-entrance', kind: 'card', card: { bitCount: 26, bits: stranger.bits } });
    assert.equal(decision.reason, 'access.unknown_card');
    assert.deepEqual(decision.unknownCard, { bitCount: 26, hex: stranger.hex, format: 'H10301' });
    const odd = ask({ doorId: 'main-entrance', kind: 'card', card: { bitCount: 40, hex: 'ffeeddccbb' } });
    assert.deepEqual(odd.unknownCard, { bitCount: 40, hex: 'ffeeddccbb', format: null });
    assert.deepEqual((JSON.parse(JSON.stringify(decision)) as { unknownCard: unknown }).unknownCard, decision.unknownCard);
  });

  it('recognises a card enrolled by raw bits in a format outside the catalogue, from hex or from bits', () => {
    const { ask } = harness();
    assert.equal(ask({ doorId: 'main-entrance', kind: 'card', card: { bitCount: 40, hex: '0102030405' } }).credentialId, 'card-wide');
    assert.equal(ask({ doorId: 'main-entrance', kind: 'card', card: { bitCount: 40, bits: 0x0102030405 } }).granted, true);
  });

  it('recognises a card read as left-aligned hex the way OSDP delivers it', () => {
    const { ask } = harness();
    const hex = encodeWiegand('H10301', { facilityCode: 42, cardNumber: 1 }).hex;
    assert.equal(ask({ doorId: 'main-entrance', kind: 'card', card: { bitCount: 26, hex } }).personId, 'alice');
  });

  it('denies suspended, lost, stolen, revoked, not-yet-valid and expired credentials with their own reasons', () => {
    const { ask } = harness();
    const reasons = (['suspended', 'lost', 'stolen', 'revoked', 'future', 'expired'] as const).map((c) => ask(badge('main-entrance', c)));
    assert.deepEqual(
      reasons.map((d) => [d.granted, d.reason, d.rule]),
      [
        [false, 'access.credential_suspended', 'credential'],
        [false, 'access.credential_lost', 'credential'],
        [false, 'access.credential_stolen', 'credential'],
        [false, 'access.credential_revoked', 'credential'],
        [false, 'access.credential_not_yet_valid', 'credential'],
        [false, 'access.credential_expired', 'credential'],
      ],
    );
  });

  it('raises a signal when a lost or stolen card is presented', () => {
    const { ask } = harness();
    assert.deepEqual(decisionSignals(ask(badge('main-entrance', 'stolen'))), ['lost_or_stolen_card']);
    assert.equal(ask(badge('main-entrance', 'suspended')).signals & SIGNAL_LOST_OR_STOLEN_CARD, 0);
  });

  it('denies a valid card of a suspended, terminated or expired person', () => {
    const { ask } = harness();
    assert.equal(ask(badge('main-entrance', 'dan')).reason, 'access.person_suspended');
    assert.equal(ask(badge('main-entrance', 'erin')).reason, 'access.person_terminated');
    assert.equal(ask(badge('main-entrance', 'frank')).reason, 'access.person_expired');
    assert.equal(ask(badge('main-entrance', 'frank')).rule, 'person');
  });

  it('denies a door no group of the person covers', () => {
    const { ask } = harness();
    const decision = ask(badge('icu', 'carol'));
    assert.deepEqual([decision.granted, decision.reason], [false, 'access.no_access']);
  });

  it('denies an unknown door', () => {
    const { ask } = harness();
    assert.equal(ask(badge('no-such-door', 'alice')).reason, 'access.unknown_door');
  });
});

describe('schedules in decisions', () => {
  it('grants inside the group schedule and denies outside it, naming the schedule', () => {
    const { ask } = harness();
    assert.equal(ask(badge('main-entrance', 'carol'), MONDAY_10AM).granted, true);
    const night = ask(badge('main-entrance', 'carol'), MONDAY_11PM);
    assert.deepEqual([night.granted, night.reason, night.scheduleId], [false, 'access.outside_schedule', 'office-hours']);
  });

  it('reads the schedule in the site wall-clock time, not UTC (07:30 BST is 06:30 UTC)', () => {
    const { ask } = harness();
    assert.equal(ask(badge('main-entrance', 'carol'), Date.parse('2025-06-02T06:30:00Z')).granted, true);
    assert.equal(ask(badge('main-entrance', 'carol'), Date.parse('2025-06-02T05:59:00Z')).granted, false);
    // In winter (GMT) 06:30 UTC is 06:30 local, before opening.
    assert.equal(ask(badge('main-entrance', 'carol'), Date.parse('2025-12-01T06:30:00Z')).granted, false);
  });

  it('closes an office schedule on a public holiday it excludes', () => {
    const { ask } = harness();
    assert.equal(ask(badge('main-entrance', 'carol'), Date.parse('2025-12-25T10:00:00Z')).reason, 'access.outside_schedule');
    assert.equal(ask(badge('main-entrance', 'carol'), Date.parse('2025-12-24T10:00:00Z')).granted, true);
  });
});
