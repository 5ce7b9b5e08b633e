/**
 * People changes reach the event bus once they committed, so rules can act on them: a rule on
 * `person.terminated` raises an alarm when the HR feed terminates someone; a rejected HR file (a
 * rolled-back batch) publishes nothing; every committed event is published once.
 * Through the real app, with the HR drop directory the hospital's HR system writes into.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { VigilEvent } from '@vigil/core';
import { createSite, startHarness, type Harness } from './test-harness.js';

const HR = 'operator:hr-admin';

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('people events on the bus', () => {
  let h: Harness;
  let site: string;
  let dropDir: string;
  const heard: VigilEvent[] = [];

  const alarms = async () => (await h.app.alarms.queries.list({ limit: 100, sites: 'all', type: 'terminated_by_hr' })).items;
  const staff = async (employeeId: string) => {
    const person = await h.app.people.persons.create(
      { kind: 'staff', employeeId, givenName: 'Dana', familyName: 'Reyes', sites: [site] },
      HR,
    );
    await h.app.people.credentials.issueMobile(person.id, { platform: 'ios', enrolmentId: `enrol-${employeeId}` }, HR);
    return person;
  };
  /** Drops a file the way the HR system does and lets the job pick it up. */
  const drop = async (name: string, csv: string) => {
    const file = path.join(dropDir, name);
    fs.writeFileSync(file, csv);
    // Written a minute ago on the app's clock: the job only takes files the writer has finished.
    const written = new Date(h.clock.now().getTime() - 60_000);
    fs.utimesSync(file, written, written);
    return h.app.people.hrDrop!.runOnce();
  };

  before(async () => {
    dropDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-hr-drop-'));
    // The job's own timer stays out of the way (one poll an hour): the test drives every poll
    // through runOnce, which would otherwise race the timer for the dropped file.
    h = await startHarness({ settings: { http: { port: 0 }, hr: { dropDir, pollSeconds: 3600 } } });
    // The rule engine runs once the app started; the drop job's first poll finds the directory empty.
    await h.app.start();
    site = await createSite(h, 'General Hospital');
    h.app.bus.subscribe(
      { types: ['person.*', 'people.*', 'credential.*', 'training.*'] },
      (event) => void heard.push(event),
      'test.people-events',
    );
    await h.app.automation.rules.create('operator:soc-manager', {
      document: {
        name: 'Notify security of HR terminations',
        site,
        trigger: { event: 'person.terminated', where: { source: 'system:hr-feed' } },
        actions: [{ raiseAlarm: { type: 'terminated_by_hr', priority: 3, title: 'Terminated by HR: {source}' } }],
      },
    });
  });
  after(async () => {
    await h.close();
    fs.rmSync(dropDir, { recursive: true, force: true });
  });

  it('raises the rule’s alarm when the HR feed terminates someone, with the revocations on the bus too', async () => {
    const person = await staff('E-1001');
    const outcome = await drop('terminations-1.csv', 'employee_id,reason\nE-1001,contract ended\n');
    assert.equal(outcome[0]?.status, 'processed', JSON.stringify(outcome));

    const [alarm] = await until(async () => {
      const found = await alarms();
      return found.length > 0 && found;
    }, 'the rule raised an alarm');
    assert.equal(alarm!.siteId, site);
    const terminated = heard.filter((e) => e.type === 'person.terminated' && e.subject === person.id);
    assert.equal(terminated.length, 1, 'published once');
    assert.equal(terminated[0]!.source, 'system:hr-feed');
    await until(() => heard.some((e) => e.type === 'credential.revoked' && e.subject === person.id), 'the revocation was published');
  });

  it('publishes nothing for a rejected HR file, and every committed event exactly once', async () => {
    const person = await staff('E-2002');
    const alarmsBefore = (await alarms()).length;
    const outcome = await drop('terminations-2.csv', 'employee_id\nE-2002\nNOBODY-9\n');
    assert.equal(outcome[0]?.status, 'failed');

    const [card] = (await h.app.people.credentials.listForPerson(person.id, { limit: 10 })).items;
    await h.app.people.credentials.change(card!.id, 'report_lost', 'left in a taxi', HR);
    await until(() => heard.some((e) => e.type === 'credential.reported_lost' && e.subject === person.id), 'the lost card was published');
    assert.equal((await alarms()).length, alarmsBefore, 'no termination, no alarm');
    assert.ok(!heard.some((e) => e.type === 'person.terminated' && e.subject === person.id), 'the rejected batch was never published');

    const ofPerson = heard.filter((e) => e.subject === person.id);
    const journaled = await h.app.handle.db.selectFrom('journal_events').select('id').where('subject', '=', person.id).execute();
    assert.deepEqual(ofPerson.map((e) => e.id).sort(), journaled.map((e) => e.id).sort(), 'each journaled event published once');
  });

  it('publishes what a CSV import created once the import committed', async () => {
    const csv = 'employee_id,given_name,family_name,kind,sites\nE-3003,Lee,Park,staff,' + site + '\n';
    const report = await h.app.people.importPeopleCsv(Readable.from([csv]), { source: HR });
    assert.equal(report.ok, true, JSON.stringify(report.errors));
    const imported = await until(
      () =>
        heard.find(
          (e) =>
            e.type === 'people.imported' &&
            (e.data as { persons: { employeeId?: string }[] }).persons.some((p) => p.employeeId === 'E-3003'),
        ),
      'the imported person was published',
    );
    assert.equal(imported.site, site);
  });
});
