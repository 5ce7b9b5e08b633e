import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { eachDatabase } from '../../storage/testing.js';
import { HrDropJob, HR_FEED_SOURCE } from './hr-drop.js';
import type { HrItemError } from './hr-feed.js';
import { code, eventsAbout, peopleModule, silentLogger, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:hr-test';

eachDatabase('people: HR terminations', (t) => {
  const people = () => peopleModule(t().handle.db);
  async function staff(sites: string[] = ['main']) {
    const { persons, credentials } = people();
    const employeeId = uniqueEmployeeId('HR');
    const person = await persons.create({ kind: 'staff', employeeId, givenName: 'H', familyName: 'R', sites }, SOURCE);
    await credentials.issueMobile(person.id, { platform: 'ios', enrolmentId: `hr${uniqueEmployeeId()}` }, SOURCE);
    return { ...person, employeeId };
  }
  const status = async (id: string) => (await people().persons.get(id)).status;

  it('rejects a batch with an unknown employee id and changes no one', async () => {
    const a = await staff();
    const b = await staff();
    await assert.rejects(
      people().hr.terminateBatch([{ employeeId: a.employeeId }, { employeeId: 'NOBODY-1' }, { employeeId: b.employeeId }], {
        source: SOURCE,
        scope: 'all',
      }),
      (e) => {
        code('people.hr_batch_rejected')(e);
        const errors = (e as { details: { errors: HrItemError[] } }).details.errors;
        assert.deepEqual(
          errors.map((x) => [x.index, x.code]),
          [[1, 'hr.unknown_employee_id']],
        );
        return true;
      },
    );
    assert.equal(await status(a.id), 'active');
    assert.equal(await status(b.id), 'active');
  });

  it('terminates a batch with every credential, and treats a re-delivery as already done', async () => {
    const a = await staff();
    const b = await staff();
    const batch = [{ employeeId: a.employeeId, reason: 'contract ended' }, { employeeId: b.employeeId }];
    const result = await people().hr.terminateBatch(batch, { source: SOURCE, scope: 'all' });
    assert.deepEqual(
      result.terminated.map((r) => [r.personId, r.credentialsDisabled]),
      [
        [a.id, 1],
        [b.id, 1],
      ],
    );
    assert.equal((await people().persons.get(a.id)).statusReason, 'contract ended');
    const again = await people().hr.terminateBatch(batch, { source: SOURCE, scope: 'all' });
    assert.equal(again.terminated.length, 0);
    assert.equal(again.alreadyTerminated.length, 2);
  });

  it('refuses to terminate persons of sites the caller does not hold', async () => {
    const here = await staff(['here']);
    const there = await staff(['there']);
    await assert.rejects(
      people().hr.terminateBatch([{ employeeId: here.employeeId }, { employeeId: there.employeeId }], { source: SOURCE, scope: ['here'] }),
      code('people.hr_batch_rejected'),
    );
    assert.equal(await status(here.id), 'active');
  });

  it('applies dropped files all-or-nothing and files them with an error report naming line and column', async () => {
    const dir = path.join(t().dir, `hr-drop-${uniqueEmployeeId()}`);
    fs.mkdirSync(dir);
    const a = await staff();
    const b = await staff();
    const c = await staff();
    fs.writeFileSync(path.join(dir, 'a-good.csv'), `name,employee_id,reason\nA,${a.employeeId},resigned\n\nB,${b.employeeId},\n`);
    fs.writeFileSync(path.join(dir, 'b-bad.csv'), `name,employee_id\nC,${c.employeeId}\nX,UNKNOWN-77\n`);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a drop file');
    const job = new HrDropJob({
      dir,
      pollMs: 60_000,
      settleMs: 0,
      terminations: people().hr,
      logger: silentLogger,
      clock: () => new Date(),
    });

    const outcomes = await job.runOnce();
    assert.deepEqual(
      outcomes.map((o) => [o.file, o.status, o.terminated, o.errors]),
      [
        ['a-good.csv', 'processed', 2, 0],
        ['b-bad.csv', 'failed', 0, 1],
      ],
    );
    assert.equal(await status(a.id), 'terminated');
    assert.equal(await status(b.id), 'terminated');
    assert.equal(await status(c.id), 'active', 'nothing of a rejected file is applied');
    assert.equal((await people().persons.get(a.id)).statusReason, 'resigned');
    const terminatedEvent = (await eventsAbout(t().handle.db, a.id)).find((e) => e.type === 'person.terminated');
    assert.equal(terminatedEvent?.source, HR_FEED_SOURCE);

    assert.deepEqual(fs.readdirSync(dir).sort(), ['failed', 'notes.txt', 'processed', 'processing']);
    assert.equal(fs.readdirSync(path.join(dir, 'processed')).length, 1);
    const failed = fs.readdirSync(path.join(dir, 'failed')).sort();
    assert.equal(failed.length, 2);
    const report = fs.readFileSync(
      path.join(
        dir,
        'failed',
        failed.find((f) => f.endsWith('.errors.txt'))!,
      ),
      'utf8',
    );
    assert.match(report, /line 3, column 2 \(employee_id\): hr\.unknown_employee_id/);

    assert.deepEqual(await job.runOnce(), [], 'filed files are not picked up again');
  });

  it('reports a file without an employee_id column, and polls on its own once started', async () => {
    const dir = path.join(t().dir, `hr-drop-${uniqueEmployeeId()}`);
    fs.mkdirSync(dir);
    const a = await staff();
    fs.writeFileSync(path.join(dir, 'wrong.csv'), `id\n${a.employeeId}\n`);
    fs.writeFileSync(path.join(dir, 'right.csv'), `employee_id\n${a.employeeId}\n`);
    const job = new HrDropJob({ dir, pollMs: 50, settleMs: 0, terminations: people().hr, logger: silentLogger, clock: () => new Date() });
    job.start();
    try {
      const filed = () => fs.readdirSync(path.join(dir, 'processed')).length + fs.readdirSync(path.join(dir, 'failed')).length;
      for (let i = 0; i < 400 && filed() < 3; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await job.stop();
    }
    assert.equal(await status(a.id), 'terminated');
    const report = fs.readdirSync(path.join(dir, 'failed')).find((f) => f.endsWith('.errors.txt'));
    assert.match(fs.readFileSync(path.join(dir, 'failed', report!), 'utf8'), /line 1: hr\.missing_column/);
  });
});
