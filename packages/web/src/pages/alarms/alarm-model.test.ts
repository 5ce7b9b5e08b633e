import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyLiveMessage, compareAlarms, needsAttention, queueSections, type AlarmSummary } from './alarm-model.ts';

const SITE = 'site-a';
let n = 0;
function alarm(fields: Partial<AlarmSummary>): AlarmSummary {
  n++;
  return {
    id: `alarm-${n}`,
    siteId: SITE,
    type: 'door_forced',
    priority: 3,
    state: 'new',
    title: `Alarm ${n}`,
    zoneId: null,
    doorId: null,
    device: null,
    ruleId: null,
    triggerEventId: null,
    raisedAt: '2026-01-01T10:00:00.000Z',
    raisedBy: 'rule:x',
    acknowledgedAt: null,
    acknowledgedBy: null,
    assignedTo: null,
    assignedAt: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    falseAlarm: false,
    closedAt: null,
    closedBy: null,
    shelfId: null,
    escalationLevel: 0,
    nextEscalationAt: null,
    incidentId: null,
    ...fields,
  };
}

describe('the alarm queue', () => {
  it('puts the most urgent priority first and, within it, the alarm waiting longest', () => {
    const newerP1 = alarm({ priority: 1, raisedAt: '2026-01-01T10:05:00.000Z' });
    const olderP1 = alarm({ priority: 1, raisedAt: '2026-01-01T10:01:00.000Z' });
    const oldP4 = alarm({ priority: 4, raisedAt: '2026-01-01T09:00:00.000Z' });
    const p2 = alarm({ priority: 2, raisedAt: '2026-01-01T10:10:00.000Z', state: 'acknowledged' });
    assert.deepEqual(
      [oldP4, p2, newerP1, olderP1].sort(compareAlarms).map((a) => a.id),
      [olderP1.id, newerP1.id, p2.id, oldP4.id],
    );
  });

  it('shows the chosen site’s open alarms, sets shelved and resolved ones apart, and counts other sites’ open alarms', () => {
    const open = alarm({});
    const shelved = alarm({ shelfId: 'shelf-1' });
    const resolved = alarm({ state: 'resolved', resolvedAt: '2026-01-01T11:00:00.000Z' });
    const elsewhere = alarm({ siteId: 'site-b' });
    const elsewhereShelved = alarm({ siteId: 'site-b', shelfId: 'shelf-2' });
    const sections = queueSections([open, shelved, resolved, elsewhere, elsewhereShelved], SITE);
    assert.deepEqual(
      sections.active.map((a) => a.id),
      [open.id],
    );
    assert.deepEqual(
      sections.shelved.map((a) => a.id),
      [shelved.id],
    );
    assert.deepEqual(
      sections.resolved.map((a) => a.id),
      [resolved.id],
    );
    assert.deepEqual([...sections.elsewhere], [['site-b', 1]]);
  });

  it('sounds only for unacknowledged, unshelved priority 1–2 alarms', () => {
    assert.equal(needsAttention(alarm({ priority: 2 })), true);
    assert.equal(needsAttention(alarm({ priority: 3 })), false);
    assert.equal(needsAttention(alarm({ priority: 1, state: 'acknowledged' })), false);
    assert.equal(needsAttention(alarm({ priority: 1, shelfId: 'shelf' })), false);
  });
});

describe('live messages on the queue', () => {
  it('adds a raised alarm, updates it as it is worked and drops it when closed', () => {
    const raised = alarm({ priority: 2 });
    let queue = applyLiveMessage([], { kind: 'alarm', type: 'alarm.raised', alarm: raised });
    assert.deepEqual(queue, [raised]);
    queue = applyLiveMessage(queue, { kind: 'alarm', type: 'alarm.acknowledged', alarm: { ...raised, state: 'acknowledged' } });
    assert.equal(queue[0]?.state, 'acknowledged');
    queue = applyLiveMessage(queue, { kind: 'alarm', type: 'alarm.closed', alarm: { ...raised, state: 'closed' } });
    assert.deepEqual(queue, []);
  });

  it('gives the same queue when a message is applied twice, so messages can be replayed onto a fresh fetch', () => {
    const raised = alarm({});
    const message = { kind: 'alarm', type: 'alarm.raised', alarm: raised };
    const once = applyLiveMessage([], message);
    assert.deepEqual(applyLiveMessage(once, message), once);
    const unrelated = applyLiveMessage(once, { kind: 'alarm', type: 'alarm.unshelved', shelf: { id: 's' }, alarmIds: ['someone-else'] });
    assert.equal(unrelated, once, 'a message that changes nothing keeps the same list (nothing redraws)');
  });

  it('follows shelves and incidents, which name the alarms they concern', () => {
    const a = alarm({});
    const b = alarm({});
    let queue = applyLiveMessage([a, b], { kind: 'alarm', type: 'alarm.shelved', shelf: { id: 'shelf-9' }, alarmIds: [a.id] });
    assert.deepEqual(
      queue.map((x) => x.shelfId),
      ['shelf-9', null],
    );
    queue = applyLiveMessage(queue, { kind: 'alarm', type: 'alarm.unshelved', shelf: { id: 'shelf-9' }, alarmIds: [a.id] });
    assert.equal(queue[0]?.shelfId, null);
    queue = applyLiveMessage(queue, { kind: 'incident', type: 'incident.opened', incident: { id: 'inc-1', alarmIds: [a.id, b.id] } });
    assert.deepEqual(
      queue.map((x) => x.incidentId),
      ['inc-1', 'inc-1'],
    );
  });
});
