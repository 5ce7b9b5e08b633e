import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockoutOf, stillLockedOut, type JournalRecord } from './pin-lockout.ts';

function record(fields: Partial<JournalRecord>): JournalRecord {
  return {
    id: 'event-1',
    type: 'access.pin_locked_out',
    at: '2026-03-01T10:00:00.000Z',
    site: 'site-a',
    source: 'edge:key-1',
    subject: 'person-1',
    door: 'door-1',
    data: {
      credentialId: 'card-1',
      reader: 'main-in',
      attempts: 5,
      windowSeconds: 300,
      lockoutSeconds: 900,
      until: '2026-03-01T10:15:00.000Z',
    },
    ...fields,
  };
}

describe('the PIN lockout behind an alarm', () => {
  it('reads whose card was locked out and until when from the controller’s event', () => {
    assert.deepEqual(lockoutOf(record({})), {
      credentialId: 'card-1',
      personId: 'person-1',
      attempts: 5,
      until: '2026-03-01T10:15:00.000Z',
    });
  });

  it('offers nothing for another event, or a lockout event without its card', () => {
    assert.equal(lockoutOf(record({ type: 'door.forced_open', data: {} })), null);
    assert.equal(lockoutOf(record({ data: { until: '2026-03-01T10:15:00.000Z' } })), null);
    assert.equal(lockoutOf(record({ data: null })), null);
  });

  it('runs until its end and not after', () => {
    const lockout = lockoutOf(record({}))!;
    assert.equal(stillLockedOut(lockout, Date.parse('2026-03-01T10:14:59.000Z')), true);
    assert.equal(stillLockedOut(lockout, Date.parse('2026-03-01T10:15:00.000Z')), false);
  });
});
