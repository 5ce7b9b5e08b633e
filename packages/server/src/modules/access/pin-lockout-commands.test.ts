// PIN lockout lifts on the server: one request addressed to every agent of the site, each handed
// only its own part (heartbeat and long poll), each part closed by that agent's report, an expired
// part left out, and the request journaled with the operator and reason.
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { isVigilError, newId } from '@vigil/core';
import type { EdgeEvent } from '@vigil/edge';
import { eachDatabase } from '../../storage/testing.js';
import type { EdgePrincipal } from './agents.js';
import { ACTOR, TestAgentKey, accessUnderTest, uniqueName, type AccessUnderTest } from './testing.js';

function failsWith(code: string) {
  return (e: unknown) => {
    assert.ok(isVigilError(e), String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

eachDatabase('PIN lockout lifts', (t) => {
  let a: AccessUnderTest;
  let siteId: string;
  let emptySite: string;
  let personId: string;
  let credentialId: string;
  let agents: EdgePrincipal[];

  /** What an agent reports once it carried out its part. */
  const executed = (agent: EdgePrincipal, liftId: string, outcome: string): EdgeEvent => ({
    id: newId(),
    type: 'access.pin_lockout_lift_executed',
    at: new Date().toISOString(),
    site: siteId,
    source: `edge:${agent.keyId}`,
    subject: personId,
    zone: null,
    door: null,
    correlationId: liftId,
    data: { commandId: liftId, credentialId, requestedBy: ACTOR, outcome, until: null },
  });

  before(async () => {
    a = accessUnderTest(t().handle.db);
    siteId = (await a.facility.sites.create(ACTOR, { name: uniqueName('Lockout site'), timeZone: 'Europe/London' })).id;
    emptySite = (await a.facility.sites.create(ACTOR, { name: uniqueName('No controllers'), timeZone: 'Europe/London' })).id;
    personId = (await a.persons.create({ kind: 'staff', givenName: 'Pat', familyName: 'Guessed', sites: [siteId] }, ACTOR)).id;
    credentialId = (await a.credentials.issueCard(personId, { format: 'H10301', facilityCode: 42, cardNumber: 7001 }, ACTOR)).id;
    agents = [];
    for (const name of ['Tower A controller', 'Tower B controller']) {
      const key = new TestAgentKey();
      const registered = await a.access.agents.register(ACTOR, { siteId, name, publicKey: key.publicKeyPem });
      agents.push((await a.access.agents.authenticate(key.request(registered.keyId, 'GET', '/api/edge/snapshot')))!);
    }
  });

  it('refuses a lift with stable codes: unknown card, no controller on the site, no such site', async () => {
    await assert.rejects(
      a.access.pinLockouts.lift(ACTOR, siteId, newId(), 'Holder at the desk'),
      failsWith('pin_lockout.credential_not_found'),
    );
    await assert.rejects(
      a.access.pinLockouts.lift(ACTOR, emptySite, credentialId, 'Holder at the desk'),
      failsWith('pin_lockout.no_agent'),
    );
    await assert.rejects(
      a.access.pinLockouts.lift(ACTOR, newId(), credentialId, 'Holder at the desk'),
      failsWith('access_policy.other_site'),
    );
    await assert.rejects(a.access.pinLockouts.get(newId()), failsWith('pin_lockout.lift_not_found'));
  });

  it('hands each agent its own part, in the long poll and the heartbeat, and closes each part on its report', async () => {
    const [towerA, towerB] = agents as [EdgePrincipal, EdgePrincipal];
    const controls = await a.access.doors.controls(siteId);
    const waiting = a.access.doors.waitForCommands(siteId, controls.version, 20_000, undefined, towerA.agentId);
    const lift = await a.access.pinLockouts.lift(ACTOR, siteId, credentialId, 'Holder at the desk with ID');
    assert.equal(lift.status, 'pending');
    assert.deepEqual(lift.agents.map((p) => p.status).sort(), ['pending', 'pending']);
    const command = {
      id: lift.id,
      command: 'lift_pin_lockout',
      credentialId,
      personId,
      requestedBy: ACTOR,
      expiresAt: lift.expiresAt,
    };
    assert.deepEqual((await waiting).commands, [command], 'the waiting agent is handed its part');
    const heartbeat = await a.access.sync.heartbeat(towerB, {
      agentVersion: '0.1.0',
      snapshotVersion: null,
      controlsVersion: 0,
      alarms: [],
      readers: [],
      doors: [],
      bufferDepth: 0,
      oldestBufferedAt: null,
      decisionP99Ms: null,
    });
    assert.deepEqual(heartbeat.commands, [command], 'so is the other, with its heartbeat');
    assert.deepEqual(await a.access.doors.pendingCommands(siteId), [], 'no agent is handed another’s part');

    await a.access.ingest.ingest(towerA, [executed(towerA, lift.id, 'not_locked_out')]);
    assert.deepEqual(await a.access.doors.pendingCommands(siteId, towerA.agentId), [], 'a part reported is not handed out again');
    assert.equal((await a.access.pinLockouts.get(lift.id)).status, 'pending', 'tower B has not reported');
    await a.access.ingest.ingest(towerB, [executed(towerB, lift.id, 'lifted')]);
    const done = await a.access.pinLockouts.get(lift.id);
    assert.equal(done.status, 'lifted');
    assert.deepEqual(Object.fromEntries(done.agents.map((p) => [p.agentId, p.status])), {
      [towerA.agentId]: 'not_locked_out',
      [towerB.agentId]: 'lifted',
    });

    const journal = await t()
      .handle.db.selectFrom('journal_events')
      .select(['type', 'source', 'subject', 'data'])
      .where('correlation_id', '=', lift.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      journal.map((e) => [e.type, e.subject]),
      [
        ['access.pin_lockout_lift_requested', personId],
        ['access.pin_lockout_lift_executed', personId],
        ['access.pin_lockout_lift_executed', personId],
      ],
    );
    assert.equal(journal[0]!.source, ACTOR);
    assert.equal((JSON.parse(journal[0]!.data) as { reason: string }).reason, 'Holder at the desk with ID');
    assert.ok(a.published.some((e) => e.type === 'access.pin_lockout_lift_requested' && e.correlationId === lift.id));
  });

  it('leaves an expired part out, and says so until an agent reports otherwise', async () => {
    const [towerA, towerB] = agents as [EdgePrincipal, EdgePrincipal];
    const lift = await a.access.pinLockouts.lift(ACTOR, siteId, credentialId, 'Holder at the desk');
    // Its minute is up.
    const past = new Date(Date.now() - 1000).toISOString();
    await t().handle.db.updateTable('access_pin_lockout_lifts').set({ expires_at: past }).where('id', '=', lift.id).execute();
    assert.deepEqual(await a.access.doors.pendingCommands(siteId, towerA.agentId), []);
    const expired = await a.access.pinLockouts.get(lift.id);
    assert.equal(expired.status, 'expired', 'one part marked expired, the other seen so');
    assert.deepEqual(
      expired.agents.map((p) => p.status),
      ['expired', 'expired'],
    );
    // A report on its way when the part expired still counts: the agent's word is the fact. But
    // while tower A's part stays expired, A may still refuse the card: the lift is not done.
    await a.access.ingest.ingest(towerB, [executed(towerB, lift.id, 'lifted')]);
    assert.equal((await a.access.pinLockouts.get(lift.id)).status, 'expired', 'one controller lifted, the other never answered');
    await a.access.ingest.ingest(towerA, [executed(towerA, lift.id, 'not_locked_out')]);
    assert.equal((await a.access.pinLockouts.get(lift.id)).status, 'lifted', 'every controller has answered');
  });
});
