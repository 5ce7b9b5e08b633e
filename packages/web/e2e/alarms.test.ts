/**
 * The alarm queue in a real browser against the real server: a door controller agent reports a
 * door forced open (its contact opened with no grant), the server's default rule raises an alarm, and the
 * operator sees it arrive live, acknowledges it, works its procedure and resolves it — first
 * without the note a priority-2 alarm needs (the server's refusal is shown), then with one. A
 * controller's PIN lockout raises its own alarm, from which the operator lifts the lockout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pinLockedOut } from '@vigil/edge';
import { browserSkipReason, screenshot } from './harness.ts';
import { disableDefaultRule, eventually, forcedDoorAlarmRule, startOperationsWorld, type OperationsWorld } from './operations-world.ts';

const skip = browserSkipReason();

describe('the alarm queue in the browser', { skip: skip ?? false }, () => {
  let world: OperationsWorld;

  before(async () => {
    world = await startOperationsWorld(
      async (api, site) => {
        await forcedDoorAlarmRule(api, site.siteId);
        // Held-open alarms only for the main entrance here: the other doors stand open for minutes in these tests.
        await disableDefaultRule(api, 'door.held_open');
        await api.put('/api/alarm-procedures', {
          siteId: site.siteId,
          alarmType: 'door_forced',
          name: 'Forced door',
          steps: [
            { text: 'Check the door camera', required: true },
            { text: 'Send an officer to the door', required: true },
            { text: 'Tell the department manager', required: false },
          ],
        });
        const mainEntrance = site.doors.find((d) => d.name === 'Main Entrance')?.id;
        await api.post('/api/automation/rules', {
          document: {
            name: 'Main entrance held open',
            site: site.siteId,
            trigger: { event: 'door.held_open', where: { door: mainEntrance } },
            actions: [{ raiseAlarm: { type: 'door_held', priority: 3, title: 'Door held open: {door}' } }],
          },
        });
        await api.post('/api/automation/correlations', {
          siteId: site.siteId,
          name: 'Perimeter breach',
          incidentKind: 'perimeter_breach',
          title: 'Perimeter breach',
          priority: 2,
          alarmTypes: ['door_forced', 'door_held'],
          minTypes: 2,
          windowSeconds: 300,
          scope: 'site',
          enabled: true,
        });
      },
      { heldOpenSeconds: 2 },
    );
  });

  after(async () => {
    await world?.stop();
  });

  it('shows a forced door’s alarm as it is raised, and takes it through acknowledgement, procedure and resolution', async () => {
    const { context, page, agent } = world;
    // Counts the tones the console plays (Web Audio oscillators started), as an ear would.
    await context.addInitScript({
      content: `(() => { const heard = { tones: 0 }; window.__heard = heard; const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...args) { heard.tones++; return start.apply(this, args); }; })();`,
    });
    await page.goto('/');
    await page.getByText('No open alarms. All quiet.').waitFor();
    // Browsers play sound only after a gesture on the page: the operator's first click.
    await page.getByRole('heading', { name: /Alarms/ }).click();

    agent.setDoorOpen(world.door('Pharmacy Door').id, true);
    const row = page.locator('.alarm-row', { hasText: 'Pharmacy Door' });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'new');
    assert.match((await row.textContent()) ?? '', /P2/);
    assert.match((await page.getByTestId('alarm-bell').textContent()) ?? '', /1 urgent unacknowledged/);
    await page.waitForFunction(() => (globalThis as unknown as { __heard: { tones: number } }).__heard.tones > 0);
    await screenshot(page, 'alarm-queue-new');

    await row.getByRole('link').click();
    const detail = page.locator('article.alarm-detail');
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await page.locator('article.alarm-detail[data-state="acknowledged"]').waitFor();
    assert.equal(await row.getAttribute('data-state'), 'acknowledged');
    assert.match((await page.getByTestId('alarm-bell').textContent()) ?? '', /No urgent alarms/);

    // Resolving before the required steps are done is refused by the server, in its words.
    const resolve = detail.getByRole('form', { name: 'Resolve the alarm' });
    await resolve.getByRole('textbox').fill('Door found ajar, latch worn; closed it.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    assert.equal(await resolve.getByRole('alert').getAttribute('data-code'), 'alarms.procedure_incomplete');

    await detail.getByLabel('Note for step 1').fill('Camera shows nobody at the door');
    await detail.getByRole('button', { name: 'Mark step 1 done' }).click();
    await detail.locator('li.step.done[data-step="1"]').waitFor();
    assert.match((await detail.locator('li.step[data-step="1"]').textContent()) ?? '', /Done .* by you — Camera shows nobody/);
    await detail.getByRole('button', { name: 'Mark step 2 done' }).click();
    await detail.locator('li.step.done[data-step="2"]').waitFor();

    // A priority-2 alarm needs a resolution note: without one the server says so.
    await resolve.getByRole('textbox').fill('');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await resolve.locator('[data-code="alarms.resolution_note_required"]').waitFor();

    await resolve.getByRole('textbox').fill('Door found ajar, latch worn; closed it and called maintenance.');
    await resolve.getByRole('button', { name: 'Resolve' }).click();
    await page.locator('article.alarm-detail[data-state="resolved"]').waitFor();
    await page.getByText('No open alarms. All quiet.').waitFor();
    assert.match((await detail.textContent()) ?? '', /Door found ajar, latch worn/);
    await screenshot(page, 'alarm-resolved');

    await detail.getByRole('button', { name: 'Mark as false alarm' }).click();
    await detail.getByText('marked as a false alarm').waitFor();
    await detail.getByRole('button', { name: 'Close alarm' }).click();
    await page.locator('article.alarm-detail[data-state="closed"]').waitFor();
  });

  it('fits a phone: the queue, then the chosen alarm on the whole screen', async () => {
    const phone = await world.browser.newContext({
      baseURL: world.vigil.url,
      viewport: { width: 390, height: 844 },
      storageState: await world.context.storageState(),
    });
    const mobile = await phone.newPage();
    await mobile.goto('/');
    world.agent.setDoorOpen(world.door('Data Centre Door').id, true);
    const row = mobile.locator('.alarm-row', { hasText: 'Data Centre Door' });
    await row.waitFor();
    await screenshot(mobile, 'alarm-queue-phone');
    const width = await mobile.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);

    await row.getByRole('link').click();
    await mobile.getByRole('button', { name: 'Acknowledge' }).waitFor();
    assert.equal(await mobile.locator('.queue-pane').isVisible(), false, 'the queue gives the alarm the screen');
    await mobile.keyboard.press('a');
    await mobile.locator('article.alarm-detail[data-state="acknowledged"]').waitFor();
    await mobile.getByRole('link', { name: '← Back to the queue' }).click();
    await mobile.locator('.queue-pane').waitFor();
    await phone.close();
  });

  it('groups a forced door and a door held open into one incident, with both alarms', async () => {
    const { page, api, agent } = world;
    agent.setDoorOpen(world.door('MRI Reception Door').id, true);
    // The main entrance is released for a delivery and then left standing open past its limit.
    const entrance = world.door('Main Entrance');
    const command = await api.post<{ id: string }>(`/api/doors/${entrance.id}/unlock`, {
      reason: 'Delivery at the main entrance',
      seconds: 30,
    });
    await eventually(
      'the unlock carried out',
      async () => (await api.get<{ status: string }>(`/api/door-commands/${command.id}`)).status === 'executed',
    );
    agent.setDoorOpen(entrance.id, true);

    await page.goto('/incidents');
    const incident = page.locator('.alarm-row', { hasText: 'Perimeter breach' });
    await incident.waitFor({ timeout: 30_000 });
    await incident.getByRole('link').click();
    const view = page.locator('article.alarm-detail');
    await view.locator('[data-alarm-id]', { hasText: 'Door held open: Main Entrance' }).waitFor();
    await view.locator('[data-alarm-id]', { hasText: 'Door forced open: MRI Reception Door' }).waitFor();
    await screenshot(page, 'incident');

    await view.getByLabel('Closing note').fill('Delivery crew propped the door; MRI door latch faulty. No intrusion.');
    await view.getByRole('button', { name: 'Close the incident' }).click();
    await view.getByText(/^Closed by you/).waitFor();
    agent.setDoorOpen(entrance.id, false);
  });

  it('lifts the PIN lockout behind an alarm with a reason, and shows what each door controller did', async () => {
    const { page, api, agent } = world;
    const person = await api.post<{ id: string }>('/api/people/persons', {
      kind: 'staff',
      givenName: 'Omar',
      familyName: 'Haddad',
      sites: [world.site.siteId],
    });
    const card = await api.post<{ id: string }>(`/api/people/persons/${person.id}/credentials/card`, {
      format: 'H10301',
      facilityCode: 12,
      cardNumber: 3456,
    });
    // The controller's lockout event, delivered the way the agent delivers every event. Its own
    // lockout count is not touched, so the controller truthfully reports no lockout to lift.
    const door = world.door('Pharmacy Door');
    const edge = agent.agent;
    edge.recorder.record([
      pinLockedOut.draft(edge.recorder.envelope({ subject: person.id, door: door.id }), {
        credentialId: card.id,
        reader: null,
        attempts: 5,
        windowSeconds: 300,
        lockoutSeconds: 900,
        until: new Date(Date.now() + 900_000).toISOString(),
      }),
    ]);

    await page.goto('/');
    const row = page.locator('.alarm-row', { hasText: 'PIN locked out: Pharmacy Door' });
    await row.waitFor();
    await row.getByRole('link').click();
    const lockout = page.locator('article.alarm-detail').getByRole('region', { name: 'PIN lockout' });
    await lockout.getByText('Omar Haddad’s card was locked out after 5 wrong PINs').waitFor();

    await lockout.getByRole('button', { name: 'Lift PIN lockout' }).click();
    const confirm = page.getByRole('dialog', { name: 'Lift the PIN lockout' });
    await confirm.getByRole('button', { name: 'Lift lockout' }).click();
    assert.equal(
      await confirm
        .getByLabel('Reason (recorded in the journal)')
        .evaluate((input) => (input as HTMLTextAreaElement).validity.valueMissing),
      true,
      'a reason is required',
    );
    await confirm.getByLabel('Reason (recorded in the journal)').fill('Holder confirmed at the desk with photo ID');
    await confirm.getByRole('button', { name: 'Lift lockout' }).click();

    const outcome = lockout.locator('[role="status"][data-status="not_locked_out"]');
    await outcome.waitFor();
    const controller = outcome.getByRole('list', { name: 'Door controllers' }).locator('li');
    assert.equal(await controller.count(), 1);
    assert.match((await controller.textContent()) ?? '', /^Console test controller .*: not locked out/);
    await screenshot(page, 'alarm-pin-lockout-lift');

    const requests = await api.get<{ items: { subject: string | null; data: { credentialId: string; reason: string } }[] }>(
      `/api/journal?type=access.pin_lockout_lift_requested&site=${world.site.siteId}&limit=10`,
    );
    assert.deepEqual(
      requests.items.map((e) => [e.subject, e.data.credentialId, e.data.reason]),
      [[person.id, card.id, 'Holder confirmed at the desk with photo ID']],
    );
  });
});
