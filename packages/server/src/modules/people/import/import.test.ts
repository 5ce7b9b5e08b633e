import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { eachDatabase } from '../../../storage/testing.js';
import { searchJournal } from '../../audit/index.js';
import { verifyPin } from '../pin.js';
import { journalLength, peopleModule, uniqueEmployeeId } from '../test-support.js';
import { IMPORT_ERROR_CODES, HR_ERROR_CODES } from './columns.js';
import { csvStream, type ImportProgress } from './import.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../../../..');

eachDatabase('people: CSV import', (t) => {
  const people = () => peopleModule(t().handle.db);
  const counts = async () => {
    const { db } = t().handle;
    const n = async (table: 'persons' | 'person_credentials') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return { persons: await n('persons'), credentials: await n('person_credentials'), journal: await journalLength(db) };
  };
  /** A valid file of `rows` persons with one card each (facility code unique to the test). */
  function bigFile(rows: number, facilityCode: number, tag: string): string[] {
    const lines = ['kind,employee_id,given_name,family_name,sites,card_format,facility_code,card_number'];
    for (let i = 0; i < rows; i++) lines.push(`staff,${tag}-${i},Given${i},Family${i},main,H10306,${facilityCode},${i + 1}`);
    return lines;
  }

  it('imports persons with their cards and PIN, journaled per part of one site, found by a search for each person', async () => {
    const { departments, jobRoles, persons, credentials } = people();
    const tag = uniqueEmployeeId('IMP');
    const dept = await departments.create({ name: `Radiology ${tag}` }, 'test');
    const tech = await jobRoles.create({ name: `MRI technologist ${tag}` }, 'test');
    const csv = [
      'kind,employee_id,given_name,family_name,department,job_roles,sites,card_format,facility_code,card_number,pin,valid_until',
      `staff,${tag}-1,Ana,"Lima, Jr.",Radiology ${tag},MRI technologist ${tag},north;south,H10301,12,345,6802,2031-01-01T00:00:00Z`,
      `staff,${tag}-1,,,,,,H10301,12,346,,`,
      `visitor,,Vic,Tor,,,,,,,,`,
    ].join('\r\n');
    const progress: ImportProgress[] = [];
    const before = await counts();
    const report = await people().importPeopleCsv(csvStream(csv), { source: 'cli:admin', onProgress: (p) => progress.push(p) });
    assert.deepEqual(
      { ok: report.ok, rows: report.rows, persons: report.persons, credentials: report.credentials, errors: report.errors },
      { ok: true, rows: 3, persons: 2, credentials: 3, errors: [] },
    );
    const after = await counts();
    assert.deepEqual([after.persons - before.persons, after.credentials - before.credentials, after.journal - before.journal], [2, 3, 2]);
    assert.equal(progress.at(-1)?.phase, 'done');
    assert.ok(progress.some((p) => p.phase === 'writing' && p.written === 2));

    const ana = (await persons.list({ q: `${tag}-1`, limit: 5 }, 'all')).items[0];
    assert.ok(ana);
    assert.equal(ana.familyName, 'Lima, Jr.');
    assert.deepEqual(ana.sites, ['north', 'south']);
    assert.equal(ana.departmentId, dept.id);
    assert.deepEqual(ana.jobRoleIds, [tech.id]);
    assert.equal(ana.validUntil, '2031-01-01T00:00:00.000Z');
    const held = (await credentials.listForPerson(ana.id, { limit: 10 })).items;
    assert.deepEqual(held.map((c) => c.card?.cardNumberMasked ?? c.type).sort(), ['****5', '****6', 'pin']);
    const pinRow = await t()
      .handle.db.selectFrom('person_credentials')
      .select('pin_hash')
      .where('person_id', '=', ana.id)
      .where('type', '=', 'pin')
      .executeTakeFirstOrThrow();
    assert.equal(await verifyPin('6802', pinRow.pin_hash!), true);

    const events = await t().handle.db.selectFrom('journal_events').selectAll().where('seq', '>', before.journal).orderBy('seq').execute();
    assert.deepEqual(
      events.map((e) => [e.type, e.site, e.subject]),
      [
        ['people.imported', 'north', null],
        ['people.imported', null, null],
      ],
    );
    assert.equal(new Set(events.map((e) => e.correlation_id)).size, 1);
    assert.ok(events.every((e) => e.source === 'cli:admin'));
    const vic = (await persons.list({ q: 'Tor', limit: 5 }, 'all')).items.find((p) => p.givenName === 'Vic');
    assert.ok(vic);
    const pinId = held.find((c) => c.type === 'pin')!.id;
    assert.deepEqual(
      events.map((e) => JSON.parse(e.data) as unknown),
      [
        {
          part: 1,
          parts: 2,
          persons: [
            {
              personId: ana.id,
              line: 2,
              kind: 'staff',
              employeeId: `${tag}-1`,
              departmentId: dept.id,
              jobRoleIds: [tech.id],
              sites: ['north', 'south'],
              validUntil: '2031-01-01T00:00:00.000Z',
              credentials: [
                ...['****5', '****6'].map((masked) => ({
                  credentialId: held.find((c) => c.card?.cardNumberMasked === masked)!.id,
                  type: 'card',
                  format: 'H10301',
                  facilityCode: 12,
                  cardNumberMasked: masked,
                })),
                { credentialId: pinId, type: 'pin' },
              ],
            },
          ],
        },
        { part: 2, parts: 2, persons: [{ personId: vic.id, line: 4, kind: 'visitor', jobRoleIds: [], sites: [], credentials: [] }] },
      ],
    );

    // A search for either person finds the event that registered them, and only that one.
    for (const [person, seq] of [
      [ana.id, events[0]!.seq],
      [vic.id, events[1]!.seq],
    ] as const) {
      const found = await searchJournal(t().handle.db, { subject: person, types: ['people.imported'] });
      assert.deepEqual(
        found.events.map((e) => e.seq),
        [seq],
      );
    }
  });

  it('writes nothing when one row among 5,000 is bad, and names its line and column', async () => {
    const tag = uniqueEmployeeId('BIG');
    const lines = bigFile(5000, 2001, tag);
    lines[3117] = `staff,${tag}-x,Bad,Row,main,H10306,2001,70000`; // card number beyond 16 bits, on line 3118
    const before = await counts();
    const report = await people().importPeopleCsv(csvStream(lines.join('\n')));
    assert.equal(report.ok, false);
    assert.equal(report.rows, 5000);
    assert.deepEqual(report.errors, [
      {
        line: 3118,
        column: 8,
        columnName: 'card_number',
        code: 'import.card_out_of_range',
        message: 'Card number must be 0..65535 in H10306',
      },
    ]);
    assert.deepEqual(await counts(), before);
  });

  it('reports every error, not just the first, including clashes with what is already stored', async () => {
    const tag = uniqueEmployeeId('ERR');
    const { persons, credentials } = people();
    const existing = await persons.create({ kind: 'staff', employeeId: `${tag}-taken`, givenName: 'E', familyName: 'X' }, 'test');
    await credentials.issueCard(existing.id, { format: 'H10301', facilityCode: 200, cardNumber: 7 }, 'test');
    const csv = [
      'kind,employee_id,given_name,family_name,card_format,facility_code,card_number,valid_from',
      `robot,${tag}-1,A,B,,,,`, // line 2: kind
      `staff,${tag}-2,,B,H10301,200,8,yesterday`, // line 3: given name, date
      `staff,${tag}-3,C,D,H10301,200,9,`, // line 4: fine
      `staff,${tag}-4,E,F,H10301,200,9,`, // line 5: same card as line 4
      `staff,${tag}-3,Other,,,,,`, // line 6: repeats an employee id with another name
      `staff,${tag}-5,G,H,H10301,,10,`, // line 7: card incomplete
      `staff,${tag}-taken,I,J,H10301,200,11,`, // line 8: employee id exists
      `staff,${tag}-6,K,L,H10301,200,7,`, // line 9: card exists
      `staff,${tag}-7,M`, // line 10: too few fields
    ].join('\n');
    const before = await counts();
    const report = await people().importPeopleCsv(csvStream(csv));
    assert.deepEqual(await counts(), before);
    const got = report.errors.map((e) => [e.line, e.columnName, e.code]);
    assert.deepEqual(got, [
      [2, 'kind', 'import.invalid_value'],
      [3, 'given_name', 'import.required'],
      [3, 'valid_from', 'import.invalid_date'],
      [5, 'card_number', 'import.card_duplicate'],
      [6, 'given_name', 'import.conflicting_person'],
      [7, 'facility_code', 'import.card_incomplete'],
      [10, null, 'import.column_count'],
    ]);
    // Database clashes are checked once the file itself is clean.
    const clean = csv.split('\n').filter((_, i) => i === 0 || i === 3 || i === 7 || i === 8);
    const second = await people().importPeopleCsv(csvStream(clean.join('\n')));
    assert.deepEqual(
      second.errors.map((e) => [e.line, e.column, e.code]),
      [
        [3, 2, 'import.employee_id_exists'],
        [4, 7, 'import.card_duplicate'],
      ],
    );
    assert.match(second.errors[1]!.message, /credential/);
  });

  it('checks the header and stops at malformed CSV, giving the line', async () => {
    const header = await people().importPeopleCsv(csvStream('kind,given_name,badge\nstaff,A,1\n'));
    assert.deepEqual(
      header.errors.map((e) => [e.line, e.column, e.code]),
      [
        [1, 3, 'import.unknown_column'],
        [1, null, 'import.missing_column'],
      ],
    );
    const quoted = await people().importPeopleCsv(
      csvStream('kind,given_name,family_name\nstaff,"Multi\nLine",Ok\nstaff,"unclosed,B\nstaff,C,D\n'),
    );
    assert.equal(quoted.errors[0]?.code, 'import.malformed_csv');
    assert.equal(quoted.errors[0]?.line, 4);
    const lines = await people().importPeopleCsv(csvStream('kind,given_name,family_name\nstaff,"Multi\nLine",Ok\nrobot,X,Y\n'));
    assert.deepEqual(
      lines.errors.map((e) => [e.line, e.code]),
      [[4, 'import.invalid_value']],
    );
  });

  it('dry run reports what would be created and writes nothing', async () => {
    const tag = uniqueEmployeeId('DRY');
    const file = path.join(t().dir, `${tag}.csv`);
    fs.writeFileSync(file, bigFile(300, 2002, tag).join('\n'));
    const before = await counts();
    const progress: ImportProgress[] = [];
    const report = await people().importPeopleCsv(file, { dryRun: true, onProgress: (p) => progress.push(p) });
    assert.deepEqual([report.ok, report.dryRun, report.persons, report.credentials], [true, true, 300, 300]);
    assert.deepEqual(await counts(), before);
    assert.equal(progress.at(-1)?.bytesTotal, fs.statSync(file).size);
    assert.equal(progress.at(-1)?.bytesRead, fs.statSync(file).size);
    const real = await people().importPeopleCsv(file);
    assert.equal(real.persons, 300);
    const again = await people().importPeopleCsv(file, { dryRun: true });
    assert.equal(again.errorCount, 600, 'every employee id and card now exists');
  });

  it('refuses rows on sites the importer may not manage', async () => {
    const report = await people().importPeopleCsv(csvStream('kind,given_name,family_name,sites\nstaff,A,B,west;east\n'), {
      scope: ['west'],
    });
    assert.deepEqual(
      report.errors.map((e) => [e.line, e.code]),
      [[2, 'import.site_not_permitted']],
    );
  });

  it('documents every error code in docs/import.md', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs/import.md'), 'utf8');
    for (const codeName of [...Object.keys(IMPORT_ERROR_CODES), ...Object.keys(HR_ERROR_CODES)]) {
      assert.ok(doc.includes(`\`${codeName}\``), `docs/import.md names ${codeName}`);
    }
  });
});
