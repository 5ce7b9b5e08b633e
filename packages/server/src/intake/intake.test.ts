import assert from 'node:assert/strict';
import { it } from 'node:test';
import { defineEvent, EventCatalogue, isVigilError, Type, type EventDraft, type VigilEvent } from '@vigil/core';
import { InProcessBus } from '../bus/index.js';
import { createLogger } from '../kernel/logger.js';
import { Journal } from '../modules/audit/index.js';
import { eachDatabase, type TestDatabase } from '../storage/testing.js';
import { Intake, type IntakeOptions } from './intake.js';

const reading = defineEvent('test.reading_taken', 'A test reading.', Type.Object({ n: Type.Integer() }, { additionalProperties: false }));
const logger = createLogger('silent');

function stack(db: TestDatabase, options: Partial<IntakeOptions> = {}) {
  const catalogue = new EventCatalogue().register(reading);
  const journal = new Journal({ catalogue });
  const bus = new InProcessBus({ logger });
  const intake = new Intake({
    db: db.handle.db,
    journal,
    catalogue,
    bus,
    logger,
    batchSize: 100,
    maxDelayMs: 5,
    queueLimit: 10_000,
    sourceRate: { ratePerSecond: 0, burst: 1 },
    ...options,
  });
  return { intake, bus, journal };
}

const draft = (n: number, source = 'device:t-1'): EventDraft => reading.draft({ site: 'site-1', source }, { n });

async function journalCount(db: TestDatabase, source?: string): Promise<number> {
  let q = db.handle.db.selectFrom('journal_events').select((eb) => eb.fn.countAll<number>().as('n'));
  if (source) q = q.where('source', '=', source);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

function codeOf(e: unknown): string {
  return isVigilError(e) ? e.code : String(e);
}

eachDatabase('intake', (t) => {
  it('commits concurrent submissions in shared transactions and resolves each caller after its commit', async () => {
    const { intake } = stack(t(), { batchSize: 40 });
    const source = 'device:group-commit';
    const visibleOnResolve: boolean[] = [];
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        intake.submit(draft(i, source)).then(async ([event]) => {
          const row = await t().handle.db.selectFrom('journal_events').select('id').where('id', '=', event!.id).executeTakeFirst();
          visibleOnResolve.push(row !== undefined);
          return event!;
        }),
      ),
    );
    assert.equal(new Set(results.map((e) => e.id)).size, 120);
    assert.deepEqual(
      results.map((e) => (e.data as { n: number }).n),
      Array.from({ length: 120 }, (_, i) => i),
    );
    assert.ok(visibleOnResolve.every(Boolean), 'every caller saw its event committed when its promise resolved');
    assert.equal(await journalCount(t(), source), 120);
    const stats = intake.stats();
    assert.ok(stats.groups <= 6, `120 concurrent events took ${stats.groups} transactions`);
    assert.equal(stats.largestGroup, 40);
    await intake.stop();
  });

  it('rejects a submission that fails its schema alone; the rest of its group commits', async () => {
    const { intake } = stack(t());
    const source = 'device:mixed';
    const bad = { ...draft(0, source), data: { n: 'seven' } };
    const outcomes = await Promise.allSettled([intake.submit(draft(1, source)), intake.submit(bad), intake.submit(draft(3, source))]);
    assert.equal(outcomes[0].status, 'fulfilled');
    assert.equal(outcomes[2].status, 'fulfilled');
    assert.equal(outcomes[1].status, 'rejected');
    assert.equal(codeOf(outcomes[1].reason), 'validation.failed');
    assert.equal(await journalCount(t(), source), 2);
    assert.equal(intake.stats().rejected.invalid, 1);
    await intake.stop();
  });

  it('isolates a submission whose append fails inside a shared group', async () => {
    const catalogue = new EventCatalogue().register(reading);
    const real = new Journal({ catalogue });
    // A fault the schema cannot see (a data-dependent storage failure) on drafts with n = 13.
    const journal: IntakeOptions['journal'] = {
      append: (trx, drafts) =>
        drafts.some((d) => (d.data as { n: number }).n === 13) ? Promise.reject(new Error('disk says no')) : real.append(trx, drafts),
    };
    const { intake } = stack(t(), { journal, maxDelayMs: 20 });
    const source = 'device:poison';
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => intake.submit(draft(n, source))));
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal(codeOf((outcomes[1] as PromiseRejectedResult).reason), 'intake.append_failed');
    assert.equal(await journalCount(t(), source), 2);
    await intake.stop();
  });

  it('refuses submissions beyond the queue limit with intake.queue_full, and accepts again once drained', async () => {
    const { intake } = stack(t(), { queueLimit: 10 });
    const first = intake.submit(Array.from({ length: 10 }, (_, i) => draft(i, 'device:queue')));
    await assert.rejects(intake.submit(draft(10, 'device:queue')), (e) => codeOf(e) === 'intake.queue_full');
    await assert.rejects(
      intake.submit(Array.from({ length: 11 }, (_, i) => draft(i, 'device:queue'))),
      (e) => codeOf(e) === 'intake.submission_too_large',
    );
    assert.equal((await first).length, 10);
    await new Promise((resolve) => setImmediate(resolve)); // fan-out of the first batch frees the queue
    assert.equal((await intake.submit(draft(10, 'device:queue'))).length, 1);
    await intake.stop();
    assert.equal(intake.stats().rejected.queueFull, 1);
  });

  it('limits each source to its rate, counts the rejects, and leaves other sources alone', async () => {
    let now = 0;
    const { intake } = stack(t(), { sourceRate: { ratePerSecond: 2, burst: 3 }, now: () => now });
    const chatty = 'device:chatty';
    const burst = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => intake.submit(draft(i, chatty))));
    assert.equal(burst.filter((o) => o.status === 'fulfilled').length, 3);
    for (const o of burst.filter((o) => o.status === 'rejected')) assert.equal(codeOf(o.reason), 'intake.source_rate_limited');
    assert.equal((await intake.submit(draft(0, 'device:quiet'))).length, 1);
    const panic = { type: 'panic.pressed', site: 'site-1', source: chatty, data: {} };
    await assert.rejects(intake.submit(panic), (e) => codeOf(e) === 'validation.unknown_event_type', 'a panic press passes the rate limit');
    now += 1000; // two more tokens
    assert.equal((await intake.submit([draft(6, chatty), draft(7, chatty)])).length, 2);
    assert.deepEqual(intake.sourceCount(chatty), { source: chatty, accepted: 5, rejected: 2 });
    assert.equal(intake.stats().topRejectedSources[0]?.source, chatty);
    assert.equal(await journalCount(t(), chatty), 5);
    await intake.stop();
  });

  it('fans committed events out in commit order, and stores a re-sent id once', async () => {
    const { intake, bus } = stack(t());
    const seen: VigilEvent[] = [];
    bus.subscribe({ types: ['test.*'], sites: ['site-1'] }, (e) => void seen.push(e), 'observer');
    const id = '0190a0b0-0000-7000-8000-00000000abcd';
    const [a] = await intake.submit({ ...draft(1, 'device:fan'), id });
    const [again] = await intake.submit({ ...draft(1, 'device:fan'), id });
    await intake.submit([draft(2, 'device:fan'), draft(3, 'device:fan')]);
    await intake.stop();
    assert.equal(again!.id, a!.id);
    assert.equal(await journalCount(t(), 'device:fan'), 3);
    assert.deepEqual(
      seen.map((e) => (e.data as { n: number }).n),
      [1, 1, 2, 3],
    );
  });

  it('commits what it accepted when stopped, then refuses new events', async () => {
    const { intake } = stack(t(), { maxDelayMs: 50 });
    const pending = Array.from({ length: 30 }, (_, i) => intake.submit(draft(i, 'device:stop')));
    await intake.stop();
    assert.equal((await Promise.all(pending)).length, 30);
    assert.equal(await journalCount(t(), 'device:stop'), 30);
    await assert.rejects(intake.submit(draft(99, 'device:stop')), (e) => codeOf(e) === 'intake.stopped');
  });
});
