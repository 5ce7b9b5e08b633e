/**
 * Emergency plans in a real browser against the real server and a real door controller agent
 * serving the sample hospital's doors: a lockdown drill whose doors all confirm (simulated, timed),
 * then a real lockdown that waits for a second operator and whose doors are confirmed one by one
 * by their controller, shown live as "n of N doors secured, m pending: …".
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, screenshot } from './harness.ts';
import { eventually, signInNewOperator, startOperationsWorld, type OperationsWorld } from './operations-world.ts';

const skip = browserSkipReason();
const PLAN = 'Lockdown – whole hospital';

describe('emergency plans in the browser', { skip: skip ?? false }, () => {
  let world: OperationsWorld;

  before(async () => {
    world = await startOperationsWorld(async (api, site) => {
      await api.post('/api/emergency/plans', {
        siteId: site.siteId,
        name: PLAN,
        kind: 'lockdown',
        doors: { selection: 'all' },
        requiresConfirmation: true,
      });
    });
  });

  after(async () => {
    await world?.stop();
  });

  it('runs a lockdown drill and shows every door confirm', async () => {
    const { page, site } = world;
    const doors = site.doors.length;
    await page.goto('/emergency');
    await page.getByRole('button', { name: `Drill ${PLAN}` }).click();
    const dialog = page.getByRole('dialog', { name: `Drill: ${PLAN}` });
    await dialog.getByLabel('Reason').fill('Quarterly lockdown drill');
    await dialog.getByRole('button', { name: 'Start the drill' }).click();
    await page.waitForURL(/\/emergency\/[0-9a-f-]{36}$/);
    const progress = page.getByTestId('plan-progress');
    await page.getByText(`${doors} of ${doors} doors confirmed (drill)`).waitFor();
    assert.equal(await page.locator('tr[data-door-status="simulated"]').count(), doors);
    assert.match((await page.locator('#activation-title').textContent()) ?? '', /DRILL/);
    await screenshot(page, 'lockdown-drill');
    assert.match((await progress.textContent()) ?? '', new RegExp(`^${doors} of ${doors} doors confirmed`));

    await page.getByRole('button', { name: 'Clear the drill…' }).click();
    await page
      .getByRole('dialog', { name: `Clear ${PLAN}` })
      .getByRole('button', { name: 'Clear' })
      .click();
    await page.locator('article.activation[data-state="cleared"]').waitFor();
  });

  it('starts a real lockdown that a second operator confirms, and watches the controller secure each door', async () => {
    const { page, site, api } = world;
    const doors = site.doors.length;
    await page.goto('/emergency');
    await page.getByRole('button', { name: `Start ${PLAN}` }).click();
    const dialog = page.getByRole('dialog', { name: `Start: ${PLAN}` });
    await dialog.getByText('A second operator must confirm').waitFor();
    await dialog.getByLabel('Reason').fill('Armed intruder reported near the ED');
    await dialog.getByRole('button', { name: 'Start lockdown' }).click();
    await page.waitForURL(/\/emergency\/[0-9a-f-]{36}$/);
    const activationUrl = new URL(page.url()).pathname;
    await page.locator('article.activation[data-state="pending_confirmation"]').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Confirm as second operator' }).isDisabled(), true);
    await page.getByText('another operator must confirm it').waitFor();

    const second = await world.browser.newContext({ baseURL: world.vigil.url });
    const secondPage = await second.newPage();
    await signInNewOperator(api, secondPage, 'operator.okafor', 'operator', site.siteId);
    await secondPage.goto('/emergency');
    await secondPage.getByRole('alert').getByRole('link', { name: PLAN }).click();
    await secondPage.getByRole('button', { name: 'Confirm as second operator' }).click();
    await secondPage.locator('article.activation[data-state="active"]').waitFor();

    // The first operator's screen follows without reloading, door by door, until all are secured.
    await page.locator('article.activation[data-state="active"]').waitFor();
    await page.getByText(`${doors} of ${doors} doors secured`).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('tr[data-door-status="secured"]').count(), doors);
    await screenshot(page, 'lockdown-secured');
    const snapshot = await api.get<{ lockdown: unknown }>(`/api/sites/${site.siteId}/door-controls`);
    assert.ok(snapshot.lockdown, 'the site is in lockdown');
    await eventually('every door reporting lockdown mode', async () => {
      const states = await api.all<{ mode: string }>(`/api/sites/${site.siteId}/door-states`);
      return states.every((s) => s.mode === 'lockdown');
    });

    await secondPage.goto(activationUrl);
    await secondPage.getByRole('button', { name: 'Clear the plan…' }).click();
    const clear = secondPage.getByRole('dialog', { name: `Clear ${PLAN}` });
    await clear.getByLabel('Reason').fill('All clear from incident command');
    await clear.getByRole('button', { name: 'Clear' }).click();
    await page.locator('article.activation[data-state="cleared"]').waitFor();
    await second.close();
  });
});
