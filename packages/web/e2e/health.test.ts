/**
 * Device batteries on the System health screen, end to end: a wireless door contact reports over
 * MQTT to a real broker, the server keeps its battery and last-seen in the device registry, and
 * the screen marks the low battery where an on-call technician will see it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { browserSkipReason, firstSignIn, launchBrowser, newPage, screenshot, startVigil, type RunningVigil } from './harness.ts';
import { ConsoleApi, eventually, sampleSite } from './operations-world.ts';

const brokerUrl = process.env.VIGIL_TEST_MQTT_URL;
const skip = browserSkipReason() ?? (brokerUrl ? null : 'VIGIL_TEST_MQTT_URL is not set');

describe('device batteries on the health screen', { skip: skip ?? false }, () => {
  const prefix = `e2e-health-${process.pid}-${Date.now()}`;
  const cleanup: (() => Promise<void>)[] = [];
  let vigil: RunningVigil;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-mqtt-'));
    const mapping = path.join(dir, 'devices.json');
    fs.writeFileSync(
      mapping,
      JSON.stringify({
        mappings: [
          {
            name: 'Door contacts',
            topic: `${prefix}/contact/{serial}`,
            kind: 'door_contact',
            event: { from: '/state', cases: { alive: 'device.reported' } },
            battery: '/battery',
          },
        ],
      }),
    );
    vigil = await startVigil({
      VIGIL_MQTT_URL: brokerUrl!,
      VIGIL_MQTT_DEVICES_FILE: mapping,
      VIGIL_MQTT_SHARED_GROUP: '',
      // Its own broker session: another server on this broker keeps the default client id.
      VIGIL_NODE_NAME: prefix,
    });
    cleanup.push(async () => {
      await vigil.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('shows a low battery reported over MQTT, marked, with when the device was last seen', async () => {
    const browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const { context, page } = await newPage(browser, vigil);
    await firstSignIn(page, vigil);
    const api = ConsoleApi.of(context);
    const { siteId } = await sampleSite(api);
    const serials = { low: `${prefix}-low`.toUpperCase(), fine: `${prefix}-fine`.toUpperCase() };
    await api.post('/api/devices', { siteId, kind: 'sensor', name: 'Vault door contact', serialNumber: serials.low });
    await api.post('/api/devices', { siteId, kind: 'sensor', name: 'Lobby door contact', serialNumber: serials.fine });

    const device = await mqtt.connectAsync(brokerUrl!, { clientId: `${prefix}-sensor` });
    cleanup.push(() => device.endAsync());
    await device.publishAsync(`${prefix}/contact/${serials.low}`, JSON.stringify({ state: 'alive', battery: 12 }), { qos: 1 });
    await device.publishAsync(`${prefix}/contact/${serials.fine}`, JSON.stringify({ state: 'alive', battery: 87 }), { qos: 1 });
    await eventually('both batteries recorded', async () => {
      const devices = await api.all<{ battery: { percent: number; low: boolean } | null; lastSeenAt: string | null }>(
        `/api/devices?site=${siteId}`,
      );
      const reported = devices.filter((d) => d.battery !== null);
      return reported.length === 2 && reported.every((d) => d.lastSeenAt !== null);
    });

    await page.goto('/health');
    const batteries = page.getByRole('region', { name: 'Device batteries' });
    const low = batteries.locator('tr', { hasText: 'Vault door contact' });
    await low.getByLabel('low battery').waitFor();
    assert.match((await low.textContent()) ?? '', /12 %/);
    const fine = batteries.locator('tr', { hasText: 'Lobby door contact' });
    assert.match((await fine.textContent()) ?? '', /87 %/);
    assert.equal(await fine.getByLabel('low battery').count(), 0);
    // Low batteries come first, and the summary counts them.
    assert.match((await batteries.locator('tbody tr').first().textContent()) ?? '', /Vault door contact/);
    await page.locator('.tile', { hasText: 'batteries low' }).getByText('1', { exact: true }).waitFor();
    await screenshot(page, 'health-batteries');
  });
});
