import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { EventCatalogue, Type, defineEvent, isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import { Journal } from './journal.js';
import { getEvent, searchJournal, type JournalQuery } from './search.js';
import { resetJournal } from './testing.js';

const granted = defineEvent('access.granted', 'test', Type.Object({ n: Type.Integer() }, { additionalProperties: false }));
const denied = defineEvent('access.denied', 'test', Type.Object({ n: Type.Integer() }, { additionalProperties: false }));

const start = Date.parse('2025-03-01T00:00:00.000Z');
const minute = 60_000;

eachDatabase('journal search', (t, dialect) => {
  // 30 events, one a minute: sites alternate a/b/c, every third is denied, doors d0..d4,
  // subjects p0..p1, zones z0..z2.
  before(async () => {
    const { db } = t().handle;
    await resetJournal(db);
    const journal = new Journal({ catalogue: new EventCatalogue().register(granted, denied), dialect });
    await journal.appendNow(
      db,
      Array.from({ length: 30 }, (_, n) =>
        (n % 3 === 2 ? denied : granted).draft(
          {
            at: new Date(start + n * minute),
            site: ['a', 'b', 'c'][n % 3]!,
            source: 'device:1',
            door: `d${n % 5}`,
            subject: `p${n % 2}`,
            zone: `z${n % 3}`,
          },
          { n },
        ),
      ),
    );
  });

  const all = async (query: JournalQuery) => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await searchJournal(t().handle.db, { ...query, ...(cursor ? { cursor } : {}) });
      seen.push(...page.events.map((e) => (e.data as { n: number }).n));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    return { seen, pages };
  };

  it('returns the newest events first, paging with a cursor without gaps or repeats', async () => {
    const { seen, pages } = await all({ limit: 7 });
    assert.deepEqual(
      seen,
      Array.from({ length: 30 }, (_, i) => 29 - i),
    );
    assert.equal(pages, 5);
  });

  it('filters by time window, sites, types, subject, door and zone together', async () => {
    const { seen } = await all({
      from: new Date(start + 3 * minute),
      to: new Date(start + 27 * minute),
      sites: ['a', 'c'],
      types: ['access.granted'],
      subject: 'p0',
      limit: 2,
    });
    // n in [3, 27), site a or c (n % 3 in {0, 2}), granted (n % 3 != 2), subject p0 (even n)
    assert.deepEqual(seen, [24, 18, 12, 6]);
    assert.deepEqual((await all({ door: 'd1', zone: 'z1' })).seen, [16, 1]);
    assert.deepEqual((await all({ sites: [] })).seen, []);
  });

  it('returns whole events with their journal position', async () => {
    const page = await searchJournal(t().handle.db, { limit: 1 });
    const event = page.events[0]!;
    assert.equal(event.type, 'access.denied');
    assert.equal(event.seq, 30);
    assert.equal(event.at.toISOString(), new Date(start + 29 * minute).toISOString());
    assert.deepEqual(event.data, { n: 29 });
    assert.ok(event.recordedAt instanceof Date);
    const same = await getEvent(t().handle.db, event.id);
    assert.deepEqual(same, event);
  });

  it('rejects a cursor that is malformed or was issued for other filters', async () => {
    const { db } = t().handle;
    const first = await searchJournal(db, { sites: ['a'], limit: 2 });
    assert.ok(first.nextCursor);
    for (const query of [{ sites: ['b'], cursor: first.nextCursor }, { cursor: 'bm9wZQ' }, { cursor: '!!!' }]) {
      await assert.rejects(searchJournal(db, query), (e) => isVigilError(e) && e.code === 'page.invalid_cursor');
    }
  });

  it('rejects an out-of-range limit or an inverted window', async () => {
    const { db } = t().handle;
    for (const query of [{ limit: 0 }, { limit: 1001 }, { limit: 2.5 }, { from: new Date(start + minute), to: new Date(start) }]) {
      await assert.rejects(searchJournal(db, query), (e) => isVigilError(e) && e.code === 'audit.query_invalid');
    }
  });

  it('reports an unknown event id as not found', async () => {
    await assert.rejects(
      getEvent(t().handle.db, '0190a0e0-0000-7000-8000-0000000000ff'),
      (e) => isVigilError(e) && e.code === 'audit.event_not_found',
    );
  });
});
