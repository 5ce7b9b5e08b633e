import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { eachDatabase } from '../../storage/testing.js';
import { verifyPin } from './pin.js';
import { code, eventsAbout, journalLength, peopleModule, uniqueEmployeeId } from './test-support.js';

const SOURCE = 'operator:test';
/** Card numbers unique to this run, so suites sharing nothing still never collide. */
let nextCard = 10_000 + (process.pid % 40_000);

eachDatabase('people: credentials', (t) => {
  const people = () => peopleModule(t().handle.db);
  const newPerson = (sites: string[] = ['site-1']) =>
    people().persons.create({ kind: 'staff', employeeId: uniqueEmployeeId(), givenName: 'Card', familyName: 'Holder', sites }, SOURCE);

  it('issues a card and shows its number masked in the response, the list and the journal', async () => {
    const { credentials } = people();
    const person = await newPerson();
    const cardNumber = 487_654;
    const card = await credentials.issueCard(person.id, { format: 'H10304', facilityCode: 501, cardNumber }, SOURCE);
    assert.deepEqual(card.card, { format: 'H10304', facilityCode: 501, cardNumberMasked: '****654' });
    const listed = await credentials.listForPerson(person.id, { limit: 50 });
    assert.deepEqual(listed.items, [card]);
    const events = await eventsAbout(t().handle.db, person.id);
    const issued = events.find((e) => e.type === 'credential.issued');
    assert.equal((issued?.data as { cardNumberMasked: string }).cardNumberMasked, '****654');
    assert.equal(JSON.stringify(events).includes(String(cardNumber)), false);
    const stored = await t()
      .handle.db.selectFrom('person_credentials')
      .select('card_number')
      .where('id', '=', card.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(stored.card_number), cardNumber, 'the full number is kept in the database for reader lookups');
  });

  it('rejects a card number already held under the same facility code, naming the holder credential; another facility code is fine', async () => {
    const { credentials } = people();
    const alice = await newPerson();
    const bob = await newPerson();
    const number = nextCard++;
    const held = await credentials.issueCard(alice.id, { format: 'H10306', facilityCode: 42, cardNumber: number }, SOURCE);
    const before = await journalLength(t().handle.db);
    await assert.rejects(credentials.issueCard(bob.id, { format: 'H10306', facilityCode: 42, cardNumber: number }, SOURCE), (e) => {
      code('people.card_duplicate')(e);
      const details = (e as { details: Record<string, unknown> }).details;
      assert.equal(details['credentialId'], held.id);
      assert.equal(JSON.stringify(details).includes('Holder'), false, 'the holder is named by credential id, not by name');
      return true;
    });
    assert.equal(await journalLength(t().handle.db), before);
    const other = await credentials.issueCard(bob.id, { format: 'H10306', facilityCode: 43, cardNumber: number }, SOURCE);
    assert.equal(other.card?.facilityCode, 43);
  });

  it('rejects cards outside their Wiegand format ranges', async () => {
    const { credentials } = people();
    const person = await newPerson();
    await assert.rejects(credentials.issueCard(person.id, { format: 'H10301', facilityCode: 256, cardNumber: 1 }, SOURCE), (e) => {
      code('people.card_invalid')(e);
      assert.equal((e as { details: { reason: string } }).details.reason, 'wiegand.facility_code_out_of_range');
      return true;
    });
    await assert.rejects(
      credentials.issueCard(person.id, { format: 'H10301', facilityCode: 1, cardNumber: 65_536 }, SOURCE),
      code('people.card_invalid'),
    );
  });

  it('keeps a PIN only as a salted scrypt hash: never in the database, the journal or a response', async () => {
    const { db } = t().handle;
    const { credentials } = people();
    const person = await newPerson();
    const pin = '73910482';
    const issued = await credentials.issuePin(person.id, { pin }, SOURCE);
    assert.equal(JSON.stringify(issued).includes(pin), false);
    const row = await db.selectFrom('person_credentials').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    assert.match(row.pin_hash ?? '', /^scrypt\$\d+\$\d+\$\d+\$/);
    assert.equal(await verifyPin(pin, row.pin_hash!), true);
    assert.equal(await verifyPin('73910483', row.pin_hash!), false);
    const everything = JSON.stringify([
      await db.selectFrom('person_credentials').selectAll().execute(),
      await db.selectFrom('journal_events').selectAll().execute(),
    ]);
    assert.equal(everything.includes(pin), false);

    // A second PIN replaces the first: same PIN, different salt, and the old one is revoked.
    const again = await credentials.issuePin(person.id, { pin }, SOURCE);
    const hashes = await db
      .selectFrom('person_credentials')
      .select(['id', 'status', 'pin_hash'])
      .where('type', '=', 'pin')
      .where('person_id', '=', person.id)
      .execute();
    assert.equal(hashes.length, 2);
    assert.notEqual(hashes[0]?.pin_hash, hashes[1]?.pin_hash);
    assert.equal(hashes.find((h) => h.id === issued.id)?.status, 'revoked');
    assert.equal(hashes.find((h) => h.id === again.id)?.status, 'active');
  });

  it('refuses PINs that are not 4–8 digits or are trivially guessable', async () => {
    const { credentials } = people();
    const person = await newPerson();
    for (const pin of ['123', '123456789', '12a4'])
      await assert.rejects(credentials.issuePin(person.id, { pin }, SOURCE), code('people.pin_invalid'));
    for (const pin of ['0000', '1234', '9876', '890123'])
      await assert.rejects(credentials.issuePin(person.id, { pin }, SOURCE), code('people.pin_weak'));
  });

  it('stores a biometric reference but refuses anything that looks like template data', async () => {
    const { credentials } = people();
    const person = await newPerson();
    const ref = `enrol-${uniqueEmployeeId()}`;
    const bio = await credentials.issueBiometric(person.id, { vendor: 'Suprema', templateRef: ref }, SOURCE);
    assert.deepEqual(bio.biometric, { vendor: 'Suprema', templateRef: ref });
    const template = Buffer.from(Array.from({ length: 384 }, (_, i) => (i * 37) % 256)).toString('base64');
    for (const templateRef of [template, template.slice(0, 100), 'a'.repeat(65), Buffer.alloc(40, 7).toString('hex'), 'has space']) {
      await assert.rejects(
        credentials.issueBiometric(person.id, { vendor: 'Suprema', templateRef }, SOURCE),
        code('people.biometric_template_rejected'),
      );
    }
    await assert.rejects(
      credentials.issueBiometric(person.id, { vendor: 'Suprema', templateRef: ref }, SOURCE),
      code('people.biometric_duplicate'),
    );
  });

  it('issues mobile credentials once per enrolment', async () => {
    const { credentials } = people();
    const person = await newPerson();
    const enrolmentId = `m-${uniqueEmployeeId()}`;
    const mobile = await credentials.issueMobile(person.id, { platform: 'ios', enrolmentId }, SOURCE);
    assert.deepEqual(mobile.mobile, { platform: 'ios', enrolmentId });
    await assert.rejects(credentials.issueMobile(person.id, { platform: 'ios', enrolmentId }, SOURCE), code('people.mobile_duplicate'));
    await credentials.issueMobile(person.id, { platform: 'android', enrolmentId }, SOURCE);
  });

  it('follows the credential lifecycle; lost, stolen and revoked are final', async () => {
    const { credentials } = people();
    const person = await newPerson();
    const issue = () => credentials.issueCard(person.id, { format: 'C1000-48', facilityCode: 7, cardNumber: nextCard++ }, SOURCE);
    const a = await issue();
    assert.equal((await credentials.change(a.id, 'suspend', 'on leave', SOURCE)).status, 'suspended');
    assert.equal((await credentials.change(a.id, 'resume', null, SOURCE)).status, 'active');
    assert.equal((await credentials.change(a.id, 'report_lost', null, SOURCE)).status, 'lost');
    await assert.rejects(credentials.change(a.id, 'resume', null, SOURCE), code('people.credential_transition_invalid'));
    assert.equal((await credentials.change(a.id, 'report_stolen', 'seen used', SOURCE)).status, 'stolen');
    await assert.rejects(credentials.change(a.id, 'revoke', null, SOURCE), code('people.credential_transition_invalid'));
    const b = await issue();
    assert.equal((await credentials.change(b.id, 'revoke', 'returned', SOURCE)).status, 'revoked');
    await assert.rejects(credentials.change(b.id, 'suspend', null, SOURCE), code('people.credential_transition_invalid'));
    const types = (await eventsAbout(t().handle.db, person.id)).map((e) => e.type).filter((x) => x !== 'person.created');
    assert.deepEqual(types, [
      'credential.issued',
      'credential.suspended',
      'credential.resumed',
      'credential.reported_lost',
      'credential.reported_stolen',
      'credential.issued',
      'credential.revoked',
    ]);
  });

  it('gives a terminated person no new credentials', async () => {
    const { credentials, persons } = people();
    const person = await newPerson();
    await persons.terminate(person.id, 'left', SOURCE);
    await assert.rejects(
      credentials.issueMobile(person.id, { platform: 'android', enrolmentId: `x-${uniqueEmployeeId()}` }, SOURCE),
      code('people.person_terminated'),
    );
  });

  it('enforces card uniqueness in the database itself', async () => {
    const { db } = t().handle;
    const { credentials } = people();
    const person = await newPerson();
    const number = nextCard++;
    const card = await credentials.issueCard(person.id, { format: 'H10301', facilityCode: 9, cardNumber: number % 65_536 }, SOURCE);
    const copy = await db.selectFrom('person_credentials').selectAll().where('id', '=', card.id).executeTakeFirstOrThrow();
    await assert.rejects(
      sql`insert into person_credentials select ${'0190a0e0-0000-7000-8000-0000000000cc'} as id, ${sql.raw('person_id, type, status, status_reason, status_changed_at, valid_from, valid_until, card_format, facility_code, card_number, pin_hash, mobile_platform, mobile_enrolment_id, biometric_vendor, biometric_template_ref, issued_by, created_at, updated_at')} from person_credentials where id = ${copy.id}`.execute(
        db,
      ),
    );
  });
});
