/**
 * Floor plans in a real browser: the sample hospital's plan with its doors in the state their
 * controller reports, a door forced open turning red with its alarm, its panel with controls that
 * reach the real door controller, and no controls for an operator without `doors.control`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { browserSkipReason, screenshot } from './harness.ts';
import { forcedDoorAlarmRule, signInNewOperator, startOperationsWorld, type OperationsWorld } from './operations-world.ts';

const skip = browserSkipReason();

describe('floor plans and door control in the browser', { skip: skip ?? false }, () => {
  let world: OperationsWorld;

  before(async () => {
    // The forced-door alarm comes from the rule every installation starts with.
    world = await startOperationsWorld((api, site) => forcedDoorAlarmRule(api, site.siteId));
  });

  after(async () => {
    await world?.stop();
  });

  it('draws the doors in their reported state, marks a forced door and its alarm, and controls the door', async () => {
    const { page, agent, site } = world;
    const vault = world.door('Pharmacy Vault Door');
    assert.ok(vault.floorId && vault.position);
    const placedOnFloor = site.doors.filter((d) => d.floorId === vault.floorId && d.position).length;

    await page.goto('/plans');
    const plan = page.getByTestId('floor-plan');
    await plan.waitFor();
    await page.waitForURL(/\/plans\/[0-9a-f-]{36}/);
    await page.goto(`/plans/${vault.floorId}`);
    await plan.locator('[data-door-id]').first().waitFor();
    assert.equal(await plan.locator('[data-door-id]').count(), placedOnFloor);
    // Every door's controller has reported it: none is offline, all are locked and closed.
    await plan
      .locator('[data-look="locked"]')
      .nth(placedOnFloor - 1)
      .waitFor();

    agent.setDoorOpen(vault.id, true);
    const marker = plan.locator(`[data-door-id="${vault.id}"]`);
    await plan.locator(`[data-door-id="${vault.id}"][data-look="forced"]`).waitFor();
    await plan.locator(`[data-alarm-door="${vault.id}"]`).waitFor();
    await page.locator('.look-counts [data-look="forced"]').waitFor();
    await screenshot(page, 'floor-plan-forced-door');

    await marker.click();
    const panel = page.locator(`[data-door-panel="${vault.id}"]`);
    await panel.getByText('Forced open').first().waitFor();
    // The door's history comes from the journal search; a server without it says so instead.
    await panel
      .locator('.door-history li', { hasText: 'Forced open' })
      .or(panel.getByText('does not offer journal search yet'))
      .first()
      .waitFor();

    await panel.getByRole('button', { name: 'Unlock momentarily' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unlock Pharmacy Vault Door for a moment' });
    await dialog.getByLabel('Seconds').fill('2');
    await dialog.getByLabel('Reason (recorded in the journal)').fill('Pharmacist locked out, identity checked by phone');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await panel.locator('.command-status[data-status="executed"]').waitFor();

    agent.setDoorOpen(vault.id, false);
    await plan.locator(`[data-door-id="${vault.id}"][data-look="locked"]`).waitFor();
    await screenshot(page, 'floor-plan-door-panel');
  });

  it('draws a zone on the plan in the facility editor, and shows it on the live plan lit by its open alarm', async () => {
    const { page, api } = world;
    const vault = world.door('Pharmacy Vault Door');
    assert.ok(vault.floorId && vault.position && vault.toZoneId);
    const zone = await api.get<{ id: string; name: string }>(`/api/zones/${vault.toZoneId}`);
    const floor = await api.get<{ plan: { viewBox: { minX: number; minY: number; width: number; height: number } } }>(
      `/api/floors/${vault.floorId}`,
    );
    const box = floor.plan.viewBox;
    const clamp = (v: number, min: number, size: number) => Math.round(Math.min(min + size, Math.max(min, v)));
    const corner = (dx: number, dy: number) =>
      `${clamp(vault.position!.x + dx, box.minX, box.width)}, ${clamp(vault.position!.y + dy, box.minY, box.height)}`;

    await page.goto(`/facility/floors/${vault.floorId}`);
    const editor = page.locator('section.zone-outliner');
    await editor.getByRole('radio', { name: zone.name }).check();
    // Three corners typed, the fourth clicked on the plan.
    await editor.getByLabel(`Corners of ${zone.name}`).fill([corner(-40, -40), corner(40, -40), corner(40, 40)].join('\n'));
    const drawing = editor.getByTestId('zone-plan');
    const frame = await drawing.boundingBox();
    assert.ok(frame);
    await drawing.click({ position: { x: frame.width * 0.1, y: frame.height * 0.9 } });
    await editor
      .getByTestId('outline-status')
      .getByText(/^Corner 4 at/)
      .waitFor();
    await editor.getByRole('button', { name: 'Save outline' }).click();
    await editor.getByTestId('outline-status').getByText(`Outline of ${zone.name} saved with 4 corners.`).waitFor();
    const stored = await api.get<{ items: { zoneId: string; points: unknown[] }[] }>(`/api/zones/${zone.id}/outlines`);
    assert.equal(stored.items[0]?.points.length, 4);

    // A corner off the plan is refused by the server, in its words.
    await editor
      .getByLabel(`Corners of ${zone.name}`)
      .fill([corner(-40, -40), corner(40, -40), `${box.minX - 50}, ${box.minY}`].join('\n'));
    await editor.getByRole('button', { name: 'Save outline' }).click();
    await editor.locator('[data-code="facility.zone_outline_invalid"]').waitFor();
    await screenshot(page, 'facility-zone-outline');

    // The vault door's forced-door alarm of the first test is still open, so the zone behind it is lit.
    await page.goto(`/plans/${vault.floorId}`);
    const shape = page.locator(`.zone-layer [data-zone="${zone.name}"]`);
    await shape.waitFor();
    await page.locator(`.zone-layer [data-zone="${zone.name}"][data-alarmed="true"]`).waitFor();
    assert.match((await shape.textContent()) ?? '', new RegExp(zone.name));
    await screenshot(page, 'floor-plan-zones');
  });

  it('keeps door control from an operator whose role does not include it', async () => {
    const auditor = await world.browser.newContext({ baseURL: world.vigil.url, viewport: { width: 390, height: 844 } });
    const auditorPage = await auditor.newPage();
    await signInNewOperator(world.api, auditorPage, 'auditor.ames', 'auditor', world.site.siteId);
    const door = world.door('Main Entrance');
    assert.ok(door.floorId);
    await auditorPage.goto(`/plans/${door.floorId}?door=${door.id}`);
    const panel = auditorPage.locator(`[data-door-panel="${door.id}"]`);
    await panel.getByText('Controlling doors needs the doors.control permission.').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Unlock momentarily' }).count(), 0);
    const width = await auditorPage.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width} px wide on a 390 px screen`);
    await screenshot(auditorPage, 'floor-plan-phone-read-only');
    await auditor.close();
  });
});
