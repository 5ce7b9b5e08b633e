/**
 * The alarm workflow on both databases: raising once per key, the state machine with its rules
 * (notes for priority 1–2, required procedure steps), shelving with expiry, escalation along a
 * chain until acknowledged, false-alarm rates and incident grouping.
 */
import assert from 'node:assert/strict';
import { beforeEach, it } from 'node:test';
import { isVigilError } from '@vigil/core';
import { eachDatabase } from '../../storage/testing.js';
import type { AlarmSummary, EscalationPort, RaiseAlarm } from './index.js';
import { alarmsFixture, resetAlarms, type AlarmsFixture } from './testing.js';

const SITE = '0190c6a0-0000-7000-8000-000000000001';
const ZONE = '0190c6a0-0000-7000-8000-0000000000a1';

function raiseInput(n: number, extra: Partial<RaiseAlarm> = {}): RaiseAlarm {
  return {
    siteId: SITE,
    type: 'door_forced',
    priority: 2,
    title: `Door forced ${n}`,
    zoneId: ZONE,
    device: 'device:DC-1',
    dedupeKey: `test:${n}`,
    source: 'rule:test',
    ...extra,
  };
}

async function rejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isVigilError(e) && e.code === code);
}

eachDatabase('alarms', (t) => {
  let f: AlarmsFixture;
  beforeEach(async () => {
    await resetAlarms(t().handle.db);
    f = alarmsFixture(t().handle.db);
  });

  it('raises an alarm once per dedupe key and journals it once', async () => {
    const first = await f.module.alarms.raise(raiseInput(1));
    const again = await f.module.alarms.raise(raiseInput(1, { title: 'redelivered' }));
    assert.equal(first.created, true);
    assert.equal(again.created, false);
    assert.equal(again.alarm.id, first.alarm.id);
    assert.deepEqual(
      f.published.map((e) => e.type),
      ['alarm.raised'],
    );
    const journaled = await t()
      .handle.db.selectFrom('journal_events')
      .select('type')
      .where('correlation_id', '=', first.alarm.id)
      .execute();
    assert.deepEqual(journaled, [{ type: 'alarm.raised' }]);
  });

  it('walks new → acknowledged → assigned → resolved → closed and refuses steps out of order', async () => {
    const { alarm } = await f.module.alarms.raise(raiseInput(2));
    await rejects(f.module.alarms.resolve('operator:a', alarm.id, { note: 'x' }), 'alarms.invalid_transition');
    await rejects(f.module.alarms.assign('operator:a', alarm.id, 'Guard 4'), 'alarms.invalid_transition');
    const acked = await f.module.alarms.acknowledge('operator:a', alarm.id);
    assert.equal(acked.state, 'acknowledged');
    assert.equal(acked.acknowledgedBy, 'operator:a');
    await rejects(f.module.alarms.acknowledge('operator:b', alarm.id), 'alarms.invalid_transition');
    const assigned = await f.module.alarms.assign('operator:a', alarm.id, 'Guard 4');
    assert.equal(assigned.assignedTo, 'Guard 4');
    await rejects(f.module.alarms.resolve('operator:a', alarm.id, { note: '  ' }), 'alarms.resolution_note_required');
    const resolved = await f.module.alarms.resolve('operator:a', alarm.id, { note: 'Door found ajar, secured', falseAlarm: false });
    assert.equal(resolved.resolutionNote, 'Door found ajar, secured');
    const closed = await f.module.alarms.close('operator:a', alarm.id);
    assert.equal(closed.state, 'closed');
    assert.deepEqual(
      f.published.map((e) => e.type),
      ['alarm.raised', 'alarm.acknowledged', 'alarm.assigned', 'alarm.resolved', 'alarm.closed'],
    );
  });

  it('resolves a priority 3 alarm without a note', async () => {
    const { alarm } = await f.module.alarms.raise(raiseInput(3, { priority: 3 }));
    await f.module.alarms.acknowledge('operator:a', alarm.id);
    const resolved = await f.module.alarms.resolve('operator:a', alarm.id, {});
    assert.equal(resolved.state, 'resolved');
    assert.equal(resolved.resolutionNote, null);
  });

  it('copies the procedure onto the alarm, timestamps each step and requires the required ones', async () => {
    await f.module.procedures.define('operator:mgr', {
      siteId: null,
      alarmType: 'door_forced',
      name: 'Forced door',
      steps: [
        { text: 'Check the camera', required: true },
        { text: 'Send a guard', required: true },
        { text: 'Call facilities', required: false },
      ],
    });
    const { alarm } = await f.module.alarms.raise(raiseInput(4));
    await f.module.alarms.acknowledge('operator:a', alarm.id);
    await f.module.alarms.completeStep('operator:a', alarm.id, 1, 'Nobody visible');
    await rejects(f.module.alarms.completeStep('operator:b', alarm.id, 1, null), 'alarms.step_already_completed');
    await rejects(f.module.alarms.resolve('operator:a', alarm.id, { note: 'ok' }), 'alarms.procedure_incomplete');
    f.clock.advanceSeconds(42);
    await f.module.alarms.completeStep('operator:a', alarm.id, 2, null);
    await f.module.alarms.resolve('operator:a', alarm.id, { note: 'Guard found nothing' });
    const stored = await f.module.queries.get(alarm.id);
    assert.deepEqual(
      stored.procedure.map((s) => [s.position, s.required, s.completedAt, s.completedBy]),
      [
        [1, true, '2026-03-02T08:00:00.000Z', 'operator:a'],
        [2, true, '2026-03-02T08:00:42.000Z', 'operator:a'],
        [3, false, null, null],
      ],
    );
  });

  it('shelves a chattering source with a reason until expiry, then brings its alarms back', async () => {
    const { alarm } = await f.module.alarms.raise(raiseInput(5, { priority: 3 }));
    const shelf = await f.module.shelving.shelve('operator:a', alarm.id, { reason: 'Contact being replaced', minutes: 30 });
    const during = await f.module.alarms.raise(raiseInput(6, { priority: 3 }));
    assert.equal(during.alarm.shelfId, shelf.id);
    const visible = await f.module.queries.list({ limit: 50, sites: 'all', shelved: false });
    assert.deepEqual(visible.items, []);
    f.clock.advanceSeconds(31 * 60);
    await f.module.sweeper.sweep();
    const back = await f.module.queries.list({ limit: 50, sites: 'all', shelved: false });
    assert.deepEqual(back.items.map((a) => a.id).sort(), [alarm.id, during.alarm.id].sort());
    const unshelved = f.published.find((e) => e.type === 'alarm.unshelved');
    assert.deepEqual((unshelved?.data as { expired: boolean }).expired, true);
    await rejects(f.module.shelving.release('operator:a', shelf.id), 'alarms.shelf_not_found');
  });

  it('never shelves a priority 1 alarm', async () => {
    const { alarm } = await f.module.alarms.raise(raiseInput(7, { priority: 1 }));
    await rejects(f.module.shelving.shelve('operator:a', alarm.id, { reason: 'noise', minutes: 5 }), 'alarms.cannot_shelve');
  });

  it('escalates an unacknowledged alarm step by step and stops once it is acknowledged', async () => {
    const steps: [string, number][] = [];
    const chain: EscalationPort = {
      firstStepAfter: () => Promise.resolve(0),
      escalate: (a: AlarmSummary, step: number) => {
        steps.push([a.id, step]);
        const who = ['on-call primary', 'on-call secondary', 'supervisor'][step];
        return Promise.resolve({ notified: who ? [who] : [], nextAfterSeconds: step < 2 ? 120 : null });
      },
    };
    f = alarmsFixture(t().handle.db, { escalation: chain });
    const { alarm } = await f.module.alarms.raise(raiseInput(8));
    await f.module.sweeper.sweep();
    f.clock.advanceSeconds(60);
    await f.module.sweeper.sweep(); // not due yet
    f.clock.advanceSeconds(61);
    await f.module.sweeper.sweep();
    assert.deepEqual(steps, [
      [alarm.id, 0],
      [alarm.id, 1],
    ]);
    await f.module.alarms.acknowledge('operator:a', alarm.id);
    f.clock.advanceSeconds(600);
    await f.module.sweeper.sweep();
    assert.equal(steps.length, 2, 'no escalation after acknowledgement');
    const escalated = f.published.filter((e) => e.type === 'alarm.escalated').map((e) => (e.data as { notified: string[] }).notified);
    assert.deepEqual(escalated, [['on-call primary'], ['on-call secondary']]);
  });

  it('computes false-alarm rates per device from resolved alarms', async () => {
    for (let i = 0; i < 4; i++) {
      const device = i < 3 ? 'device:MOTION-9' : 'device:GB-2';
      const { alarm } = await f.module.alarms.raise(raiseInput(100 + i, { priority: 3, type: 'motion', device }));
      await f.module.alarms.acknowledge('operator:a', alarm.id);
      await f.module.alarms.resolve('operator:a', alarm.id, { falseAlarm: i < 2 });
    }
    const rates = await f.module.queries.falseAlarmRates({
      sites: 'all',
      since: '2026-01-01T00:00:00.000Z',
      until: '2027-01-01T00:00:00.000Z',
      minAlarms: 1,
    });
    assert.deepEqual(
      rates.map((r) => [r.device, r.alarms, r.falseAlarms, Number(r.rate.toFixed(3))]),
      [
        ['device:MOTION-9', 3, 2, 0.667],
        ['device:GB-2', 1, 0, 0],
      ],
    );
  });

  it('groups correlated alarms into one incident and lets a later one join it', async () => {
    const a = (await f.module.alarms.raise(raiseInput(200, { type: 'door_forced' }))).alarm;
    const b = (await f.module.alarms.raise(raiseInput(201, { type: 'motion' }))).alarm;
    const group = {
      siteId: SITE,
      zoneId: ZONE,
      kind: 'break_in',
      title: 'Break-in',
      priority: 1,
      windowStart: '2026-03-02T07:59:00.000Z',
      rule: 'break-in',
      source: 'system:test',
    };
    const first = await f.module.incidents.group({ ...group, alarmIds: [a.id, b.id] });
    const again = await f.module.incidents.group({ ...group, alarmIds: [a.id, b.id] });
    assert.equal(again.id, first.id);
    const c = (await f.module.alarms.raise(raiseInput(202, { type: 'glass_break' }))).alarm;
    const joined = await f.module.incidents.group({ ...group, alarmIds: [a.id, b.id, c.id] });
    assert.equal(joined.id, first.id);
    assert.deepEqual(joined.alarmIds.length, 3);
    assert.deepEqual(
      f.published.filter((e) => e.type.startsWith('incident.')).map((e) => e.type),
      ['incident.opened', 'incident.alarm_added'],
    );
  });
});
