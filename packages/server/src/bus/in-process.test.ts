import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VigilEvent } from '@vigil/core';
import { createLogger } from '../kernel/logger.js';
import { InProcessBus } from './in-process.js';
import { matchesFilter } from './types.js';

const event = (type: string, site: string | null = 's1'): VigilEvent => ({
  id: `id-${type}-${site}`,
  type,
  at: new Date('2026-01-01T00:00:00Z'),
  site,
  source: 'device:x',
  subject: null,
  zone: null,
  door: null,
  correlationId: null,
  data: {},
});

describe('event filters', () => {
  it('match exact types, domain wildcards and sites', () => {
    assert.ok(matchesFilter({}, event('door.contact_opened')));
    assert.ok(matchesFilter({ types: ['door.*'] }, event('door.contact_opened')));
    assert.ok(!matchesFilter({ types: ['door.*'] }, event('doorbell.rang')));
    assert.ok(matchesFilter({ types: ['panic.pressed'] }, event('panic.pressed')));
    assert.ok(!matchesFilter({ types: ['panic.pressed'], sites: ['s2'] }, event('panic.pressed')));
    assert.ok(matchesFilter({ sites: [null] }, event('panic.pressed', null)));
  });
});

describe('in-process bus', () => {
  it('delivers to matching handlers and removes all of an owner’s handlers at once', async () => {
    const bus = new InProcessBus({ logger: createLogger('silent') });
    const got: string[] = [];
    bus.subscribe({ types: ['door.*'] }, (e) => void got.push(`alarms:${e.type}`), 'alarms');
    bus.subscribe({ types: ['panic.pressed'] }, (e) => void got.push(`alarms:${e.type}`), 'alarms');
    const unsubscribe = bus.subscribe({}, (e) => void got.push(`live:${e.type}`), 'live');
    await bus.publish([event('door.contact_opened'), event('panic.pressed')]);
    assert.deepEqual(got, ['alarms:door.contact_opened', 'live:door.contact_opened', 'alarms:panic.pressed', 'live:panic.pressed']);

    bus.unsubscribeAll('alarms');
    unsubscribe();
    assert.equal(bus.listenerCount(), 0);
    await bus.publish([event('door.contact_opened')]);
    assert.equal(got.length, 4);
  });

  it('keeps delivering when one handler fails', async () => {
    const bus = new InProcessBus({ logger: createLogger('silent') });
    const got: string[] = [];
    bus.subscribe({}, () => Promise.reject(new Error('broken')), 'broken');
    bus.subscribe({}, (e) => void got.push(e.type), 'healthy');
    await bus.publish([event('motion.detected'), event('glass_break.detected')]);
    assert.deepEqual(got, ['motion.detected', 'glass_break.detected']);
  });
});
