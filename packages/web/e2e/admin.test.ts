/**
 * Administration in a real browser against the real server: building a new site's facility (site,
 * building, floor, plan upload with an unsafe drawing refused item by item, a door placed on the
 * plan by clicking it and by typing coordinates), doors' readers wired on the controller's OSDP bus with
 * the server's refusals shown beside the fields they are about, a person's card issued and refused as a
 * duplicate, a termination that must be confirmed with a reason and revokes the card, and a
 * journal verification run from the console.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, firstSignIn, launchBrowser, newPage, screenshot, startVigil, type RunningVigil } from './harness.ts';

const skip = browserSkipReason();

const PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 600">
  <rect x="10" y="10" width="980" height="580" fill="#fff" stroke="#222" stroke-width="6"/>
  <line x1="500" y1="10" x2="500" y2="590" stroke="#222" stroke-width="4"/>
  <text x="250" y="60" font-size="28" text-anchor="middle">Stair C</text>
  <text x="750" y="60" font-size="28" text-anchor="middle">Ward 3B</text>
</svg>`;
const UNSAFE_PLAN = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><script>alert(1)</script><rect width="10" height="10" onclick="steal()"/></svg>`;
const DOOR = 'Stair C L3 Door';

interface DoorRecord {
  id: string;
  name: string;
  position: { x: number; y: number } | null;
}

async function doorNamed(page: Page, name: string): Promise<DoorRecord> {
  const response = await page.request.get('/api/doors?limit=500');
  const door = ((await response.json()) as { items: DoorRecord[] }).items.find((d) => d.name === name);
  assert.ok(door, `door ${name} exists`);
  return door;
}

function dialog(page: Page, name: string) {
  return page.getByRole('dialog', { name });
}

describe('administration in the browser', { skip: skip ?? false }, () => {
  let vigil: RunningVigil;
  let browser: Browser;
  /** One signed-in administrator's browser session, shared by the tests (each opens its own page). */
  let session: BrowserContext;

  before(async () => {
    vigil = await startVigil();
    browser = await launchBrowser();
    const { context, page } = await newPage(browser, vigil);
    await firstSignIn(page, vigil);
    await page.close();
    session = context;
  });
  after(async () => {
    await session?.close();
    await browser?.close();
    await vigil?.stop();
  });

  async function openConsole(): Promise<Page> {
    const page = await session.newPage();
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  }

  it('creates a site, building and floor, uploads its plan and places a door on it', async () => {
    const page = await openConsole();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Facility' }).click();

    await page.getByRole('navigation', { name: 'Facility sections' }).getByRole('link', { name: 'Sites' }).click();
    await page.getByRole('button', { name: 'New site' }).click();
    await dialog(page, 'New site').getByLabel('Name').fill('North Campus');
    await dialog(page, 'New site').getByLabel('Time zone').fill('America/Chicago');
    await dialog(page, 'New site').getByRole('button', { name: 'Create site' }).click();
    // The console switches to the site it just created.
    await page.getByRole('heading', { name: 'Facility' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector<HTMLSelectElement>('select[aria-label="Site"]')?.selectedOptions[0]?.text === 'North Campus',
    );

    await page.getByRole('navigation', { name: 'Facility sections' }).getByRole('link', { name: 'Buildings & floors' }).click();
    await page.getByRole('button', { name: 'New building' }).click();
    await dialog(page, 'New building').getByLabel('Building name').fill('Tower A');
    await dialog(page, 'New building').getByRole('button', { name: 'Create building' }).click();
    const tower = page.getByRole('region', { name: 'Building Tower A' });
    await tower.getByRole('button', { name: 'New floor' }).click();
    await dialog(page, 'New floor').getByLabel('Floor name').fill('Level 3');
    await dialog(page, 'New floor').getByLabel('Level').fill('3');
    await dialog(page, 'New floor').getByRole('button', { name: 'Create floor' }).click();
    await tower.getByRole('link', { name: 'Plan and doors of Level 3' }).click();

    // A drawing with a script and an event handler is refused, each finding listed, with the server's code.
    const planInput = page.getByLabel('Floor plan (SVG)');
    await planInput.setInputFiles({ name: 'unsafe.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(UNSAFE_PLAN) });
    await page.getByRole('button', { name: 'Upload plan' }).click();
    await page.locator('[role="alert"][data-code="facility.svg_unsafe"]').waitFor();
    const findings = (await page.getByRole('list', { name: 'Problems the server found' }).textContent()) ?? '';
    assert.match(findings, /script/i);
    assert.match(findings, /onclick|event handler/i);

    await planInput.setInputFiles({ name: 'level-3.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(PLAN) });
    await page.getByRole('button', { name: 'Upload plan' }).click();
    await page.getByText('drawing area 1000 × 600').waitFor();

    // A zone and a door into it on that floor, then the door placed on the plan by clicking where it is.
    await page.getByRole('navigation', { name: 'Facility sections' }).getByRole('link', { name: 'Zones' }).click();
    await page.getByRole('button', { name: 'New zone' }).click();
    const zoneForm = dialog(page, 'New zone');
    await zoneForm.getByLabel('Zone name').fill('Ward 3B');
    await zoneForm.getByLabel('Type').selectOption('clinical');
    await zoneForm.getByLabel('Building').selectOption({ label: 'Tower A' });
    await zoneForm.getByLabel('Floor').selectOption({ label: 'Level 3' });
    await zoneForm.getByRole('button', { name: 'Create zone' }).click();
    await page.getByRole('region', { name: 'Zones' }).getByText('Ward 3B').waitFor();

    await page.getByRole('navigation', { name: 'Facility sections' }).getByRole('link', { name: 'Doors' }).click();
    await page.getByRole('button', { name: 'New door' }).click();
    const doorForm = dialog(page, 'New door');
    await doorForm.getByLabel('Door name').fill(DOOR);
    await doorForm.getByLabel('Building').selectOption({ label: 'Tower A' });
    await doorForm.getByLabel('Floor').selectOption({ label: 'Level 3' });
    await doorForm.getByLabel('To zone').selectOption({ label: 'Ward 3B' });
    await doorForm.getByRole('button', { name: 'Create door' }).click();
    await page.getByRole('region', { name: 'Doors' }).getByText(DOOR).waitFor();

    await page.getByRole('region', { name: 'Doors' }).getByRole('link', { name: 'Level 3' }).click();
    await page.getByRole('radio', { name: DOOR }).check();
    const plan = page.getByTestId('floor-plan');
    const box = await plan.boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.5);
    await page
      .getByTestId('placement-status')
      .filter({ hasText: `${DOOR} placed at` })
      .waitFor();
    const clicked = await doorNamed(page, DOOR);
    assert.ok(clicked.position, 'the door has a position');
    assert.ok(
      Math.abs(clicked.position.x - 250) < 3 && Math.abs(clicked.position.y - 300) < 3,
      `placed near (250, 300): ${JSON.stringify(clicked.position)}`,
    );
    await plan.locator(`g[data-door="${DOOR}"]`).waitFor();
    await screenshot(page, 'door-placed-on-plan');

    // The keyboard way: exact coordinates typed into the position form.
    const position = page.getByRole('form', { name: `Position of ${DOOR}` });
    await position.getByLabel('X').fill('740');
    await position.getByLabel('Y').fill('180');
    await position.getByRole('button', { name: 'Set position' }).click();
    await page
      .getByTestId('placement-status')
      .filter({ hasText: `${DOOR} placed at 740, 180` })
      .waitFor();
    assert.deepEqual((await doorNamed(page, DOOR)).position, { x: 740, y: 180 });

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'door-placement-phone');
    await page.close();
  });

  // Builds on the facility the first test made: North Campus, Tower A, Ward 3B and its door.
  it('wires doors’ readers on the controller’s OSDP bus, with the server’s refusals beside the fields they are about', async () => {
    const page = await openConsole();
    const sites = (await (await page.request.get('/api/sites?limit=500')).json()) as { items: { id: string; name: string }[] };
    const north = sites.items.find((site) => site.name === 'North Campus');
    assert.ok(north, 'the first test made North Campus');
    const registered = await page.request.post('/api/devices', {
      data: { siteId: north.id, kind: 'controller', name: 'Tower A controller', serialNumber: 'TA-CTL-1' },
    });
    assert.equal(registered.status(), 201, await registered.text());
    await page.locator('select[aria-label="Site"]').selectOption({ label: 'North Campus' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Facility' }).click();
    await page.getByRole('navigation', { name: 'Facility sections' }).getByRole('link', { name: 'Doors' }).click();
    const doors = page.getByRole('region', { name: 'Doors' });

    await doors.getByRole('button', { name: `Change ${DOOR}` }).click();
    const change = dialog(page, `Change ${DOOR}`);
    await change.getByLabel('Controller').selectOption({ label: 'Tower A controller' });
    await change.getByLabel('Lock output').fill('1');
    await change.getByLabel('Entry reader address').fill('5');
    await change.getByLabel('Exit reader address').fill('6');
    // Addresses without the bus they are on are caught before anything is sent.
    await change.getByRole('button', { name: 'Save door' }).click();
    await change.locator('[role="alert"][data-code="console.invalid"]', { hasText: 'OSDP bus' }).waitFor();
    await change.getByLabel('OSDP bus').fill('main');
    await change.getByRole('button', { name: 'Save door' }).click();
    await doors.getByText('bus main: in 5, out 6').waitFor();
    const wired = (await (await page.request.get(`/api/doors?site=${north.id}&limit=500`)).json()) as {
      items: { name: string; osdpBus: string | null; entryReaderAddress: number | null; exitReaderAddress: number | null }[];
    };
    assert.deepEqual(
      wired.items
        .filter((d) => d.name === DOOR)
        .map(({ osdpBus, entryReaderAddress, exitReaderAddress }) => ({ osdpBus, entryReaderAddress, exitReaderAddress })),
      [{ osdpBus: 'main', entryReaderAddress: 5, exitReaderAddress: 6 }],
    );

    // A second door on the same bus: read without a lock output, then on an address the first door's exit reader has.
    await page.getByRole('button', { name: 'New door' }).click();
    const side = dialog(page, 'New door');
    await side.getByLabel('Door name').fill('Ward 3B Side Door');
    await side.getByLabel('To zone').selectOption({ label: 'Ward 3B' });
    await side.getByLabel('Controller').selectOption({ label: 'Tower A controller' });
    await side.getByLabel('OSDP bus').fill('main');
    await side.getByLabel('Entry reader address').fill('6');
    await side.getByRole('button', { name: 'Create door' }).click();
    const beside = (label: string, code: string) =>
      side.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator(`.field-error[data-code="${code}"]`);
    await beside('Lock output', 'facility.door_wiring_invalid').waitFor();
    assert.equal(await side.getByLabel('Lock output').getAttribute('aria-invalid'), 'true');

    await side.getByLabel('Lock output').fill('2');
    await side.getByRole('button', { name: 'Create door' }).click();
    const taken = beside('Entry reader address', 'facility.reader_address_in_use');
    await taken.waitFor();
    assert.match(
      (await taken.textContent()) ?? '',
      /Address 6 on bus main of Tower A controller is already a reader of door Stair C L3 Door/,
    );
    assert.equal(await beside('Lock output', 'facility.door_wiring_invalid').count(), 0, 'the earlier refusal is gone');
    assert.equal(await side.getByLabel('Exit reader address').getAttribute('aria-invalid'), null);
    await side.locator('[role="alert"][data-code="facility.reader_address_in_use"]').waitFor();
    await screenshot(page, 'door-reader-address-taken');

    await side.getByLabel('Entry reader address').fill('7');
    await side.getByRole('button', { name: 'Create door' }).click();
    await doors.getByText('bus main: in 7').waitFor();
    await screenshot(page, 'doors-osdp-wiring');
    await page.close();
  });

  it('issues a card, refuses a duplicate with the server code, terminates with a confirmed reason, and verifies the journal', async () => {
    const page = await openConsole();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click();

    await page.getByRole('button', { name: 'New person' }).click();
    const form = dialog(page, 'New person');
    await form.getByLabel('Given name').fill('Rosa');
    await form.getByLabel('Family name').fill('Díaz');
    await form.getByLabel('Employee id').fill('E9001');
    await form.getByRole('button', { name: 'Register person' }).click();
    const record = page.getByRole('article', { name: 'Person: Rosa Díaz' });
    await record.waitFor();

    // The browser refuses a card number the format cannot carry before anything is sent.
    await record.getByRole('button', { name: 'Issue card' }).click();
    const card = dialog(page, 'Issue card');
    await card.getByLabel('Facility code', { exact: true }).fill('7');
    await card.getByLabel('Card number', { exact: true }).fill('70000');
    await card.getByRole('button', { name: 'Issue card' }).click();
    assert.equal(
      await card.getByLabel('Card number', { exact: true }).evaluate((input) => (input as HTMLInputElement).validity.rangeOverflow),
      true,
    );
    await card.getByLabel('Card number', { exact: true }).fill('4242');
    await card.getByRole('button', { name: 'Issue card' }).click();
    const credentials = page.getByRole('region', { name: 'Credential list' });
    await credentials.getByText('H10301 · facility 7').waitFor();

    // The same card again: the server refuses it and the console shows its code.
    await record.getByRole('button', { name: 'Issue card' }).click();
    await card.getByLabel('Facility code', { exact: true }).fill('7');
    await card.getByLabel('Card number', { exact: true }).fill('4242');
    await card.getByRole('button', { name: 'Issue card' }).click();
    await card.locator('[role="alert"][data-code="people.card_duplicate"]').waitFor();
    await card.getByRole('button', { name: 'Cancel' }).click();

    // Terminating asks for a reason and confirmation, then revokes the card.
    await record.getByRole('button', { name: 'Terminate' }).click();
    const confirm = dialog(page, 'Terminate Rosa Díaz');
    await confirm.getByRole('button', { name: 'Terminate' }).click();
    assert.equal(await confirm.getByLabel('Reason').evaluate((input) => (input as HTMLTextAreaElement).validity.valueMissing), true);
    await confirm.getByLabel('Reason').fill('Left the hospital');
    await confirm.getByRole('button', { name: 'Terminate' }).click();
    await record.getByText('terminated', { exact: true }).waitFor();
    await credentials.getByText('revoked', { exact: true }).waitFor();
    await screenshot(page, 'person-terminated');

    // The journal's integrity, verified from the console.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Journal' }).click();
    const integrity = page.getByTestId('journal-verification');
    await integrity.getByText('never been verified').waitFor();
    await integrity.getByRole('button', { name: 'Verify now' }).click();
    await integrity.getByText('Intact').waitFor();
    assert.match((await integrity.textContent()) ?? '', /\d+ events/);
    await page.close();
  });
});
