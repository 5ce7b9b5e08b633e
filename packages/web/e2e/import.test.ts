/**
 * The CSV import as an administrator does it in the console, against the real server: a file of
 * 300 staff with cards and one bad card number is reported with that line, column and code, and
 * nothing is written; the corrected file is imported whole; an imported person is found by
 * search, carries the imported card, and the journal shows the import about them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, firstSignIn, launchBrowser, newPage, screenshot, startVigil, type RunningVigil } from './harness.ts';

const skip = browserSkipReason();
const ROWS = 300;
/** The 0-based data row that carries the bad card number: file line BAD_ROW + 2 (the header is line 1). */
const BAD_ROW = 149;
const CARD_NUMBER_COLUMN = 8;

/** Staff E20000…, each with an H10301 card; row BAD_ROW's card number is 70000 (the format allows 0–65535) unless fixed. */
function staffCsv(fixed: boolean): string {
  const lines = ['kind,employee_id,given_name,family_name,department,card_format,facility_code,card_number'];
  for (let i = 0; i < ROWS; i++) {
    const family = i === BAD_ROW ? 'Quinlan-Mbeki' : `Family${i}`;
    const card = i === BAD_ROW && !fixed ? 70000 : 10000 + i;
    lines.push(`staff,E${20000 + i},Given${i},${family},,H10301,42,${card}`);
  }
  return `${lines.join('\n')}\n`;
}

async function chooseFile(page: Page, csv: string): Promise<void> {
  await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page
    .getByRole('status')
    .filter({ hasText: `${ROWS} data rows` })
    .waitFor();
}

async function errorRows(page: Page): Promise<string[][]> {
  const rows = page.getByRole('region', { name: 'Import errors' }).locator('tbody tr');
  await rows.first().waitFor();
  return rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
}

describe('CSV import in the browser', { skip: skip ?? false }, () => {
  let vigil: RunningVigil;
  let browser: Browser;

  before(async () => {
    vigil = await startVigil();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await vigil?.stop();
  });

  it('reports the bad line with its column and code and writes nothing, then imports the corrected file', async () => {
    const { context, page } = await newPage(browser, vigil);
    await firstSignIn(page, vigil);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();

    // Dry run of the file with one bad card number.
    await chooseFile(page, staffCsv(false));
    await page.getByRole('button', { name: 'Check file (dry run)' }).click();
    await page.getByTestId('import-report').waitFor();
    assert.deepEqual(await errorRows(page), [
      [String(BAD_ROW + 2), `${CARD_NUMBER_COLUMN} (card_number)`, 'import.card_out_of_range', 'Card number must be 0..65535 in H10301'],
    ]);
    assert.match((await page.getByTestId('import-report').textContent()) ?? '', /1 error\. Nothing was written/);
    await screenshot(page, 'import-dry-run-error');

    // The real import of the same file is refused whole, with the server's code and the same line.
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const refusal = page.locator('[role="alert"][data-code="people.import_rejected"]');
    await refusal.waitFor();
    assert.equal((await errorRows(page))[0]?.[0], String(BAD_ROW + 2));
    const persons = await page.request.get('/api/people/persons?limit=5');
    assert.deepEqual(((await persons.json()) as { items: unknown[] }).items, [], 'nothing was written');

    // On a phone the report stays readable.
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'import-rejected-phone');
    await page.setViewportSize({ width: 1440, height: 900 });

    // The corrected file imports every row.
    await chooseFile(page, staffCsv(true));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const report = page.getByTestId('import-report');
    await report.filter({ hasText: 'Imported.' }).waitFor();
    const text = (await report.textContent()) ?? '';
    assert.match(text, new RegExp(`${ROWS}\\s*persons created`));
    assert.match(text, new RegExp(`${ROWS}\\s*credentials issued`));

    // The person on the once-bad line is found by a search as the administrator types.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('quinlan');
    const match = page.getByRole('region', { name: 'Persons' }).getByRole('link', { name: `Quinlan-Mbeki, Given${BAD_ROW}` });
    await match.waitFor();
    assert.equal(await page.getByRole('region', { name: 'Persons' }).locator('tbody tr').count(), 1);
    await match.click();
    const credentials = page.getByRole('region', { name: 'Credentials' });
    await credentials.getByText('H10301 · facility 42').waitFor();
    assert.doesNotMatch((await credentials.textContent()) ?? '', new RegExp(String(10000 + BAD_ROW)), 'the card number is shown masked');
    await screenshot(page, 'imported-person');

    // The journal shows the import event that registered that person with the card (one event
    // per part of the import, found by a search for any person it names).
    await page.getByRole('link', { name: /Journal entries about/ }).click();
    const entries = page.getByRole('region', { name: 'Journal entries' });
    await entries.getByText('people.imported').waitFor();
    const types = await entries.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.deepEqual(types, ['people.imported']);
    await screenshot(page, 'journal-import');

    // The same search exported as CSV: a header and the entry.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    assert.match(csv[0] ?? '', /^seq,id,at,/);
    assert.deepEqual(
      csv
        .slice(1)
        .map((line) => line.split(',')[4])
        .sort(),
      ['people.imported'],
    );
    await page.getByText('Exported every matching entry').waitFor();
    await context.close();
  });
});
