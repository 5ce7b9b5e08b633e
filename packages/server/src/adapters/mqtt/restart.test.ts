import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { eventually, findBinary, privateServer } from '../../bus/test-servers.js';
import { adapterStack } from './test-stack.js';

const mosquitto = findBinary('mosquitto');
const SKIP = !process.env['VIGIL_TEST_MQTT_URL']
  ? 'MQTT broker suite skipped: set VIGIL_TEST_MQTT_URL (e.g. mqtt://127.0.0.1:1883) to run it'
  : mosquitto
    ? false
    : 'mosquitto binary not found: cannot run a private broker to restart';

void describe('MQTT adapter across broker restarts', { skip: SKIP }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('loses and duplicates nothing when the broker restarts, with Vigil connected and with Vigil stopped', async () => {
    // A broker of our own, persisting sessions as a production broker must.
    const broker = await privateServer('mqtt', (port, dir) => {
      const conf = path.join(dir, 'mosquitto.conf');
      fs.writeFileSync(
        conf,
        [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${dir}/`, 'user root', ''].join(
          '\n',
        ),
      );
      return { file: mosquitto!, args: ['-c', conf] };
    });
    cleanups.push(() => broker.dispose());
    const stack = await adapterStack(broker.url);
    cleanups.push(() => stack.dispose());
    let adapter = stack.make();
    adapter.start();
    await adapter.whenSubscribed();
    const device = await mqtt.connectAsync(broker.url, { clientId: 'fridge-sim', reconnectPeriod: 200 });
    cleanups.push(() => device.endAsync());
    let reading = 0;
    const send = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await device.publishAsync(`${stack.prefix}/sites/main/fridges/FR-PHARM-1/temperature`, JSON.stringify({ t: ++reading }), {
          qos: 1,
        });
      }
    };
    const readings = async () =>
      (await stack.rows('fridge.temperature_reported')).map((r) => (JSON.parse(r.data) as { temperatureC: number }).temperatureC);

    await send(3);
    await eventually(async () => (await readings()).length === 3, 'readings before the restart');

    // 1. The broker restarts under a connected adapter: both clients reconnect on their own.
    await broker.stop();
    await broker.start();
    await eventually(() => device.connected, 'the device reconnected');
    await send(3);
    await eventually(async () => (await readings()).length === 6, 'readings after the broker restart');

    // 2. Vigil is down while the device keeps reporting, and the broker restarts meanwhile:
    //    the persistent session holds the readings until the adapter returns.
    await adapter.stop();
    await send(3);
    await broker.stop();
    await broker.start();
    await eventually(() => device.connected, 'the device reconnected again');
    await send(1);
    adapter = stack.make();
    adapter.start();
    cleanups.push(() => adapter.stop());
    await eventually(async () => (await readings()).length === 10, 'queued readings delivered after Vigil restarted');
    await send(1);
    await eventually(async () => (await readings()).length === 11, 'live readings flow again');
    assert.deepEqual(await readings(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
