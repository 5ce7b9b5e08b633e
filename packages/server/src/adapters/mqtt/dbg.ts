import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { privateServer } from '../../bus/test-servers.js';
import { adapterStack } from './test-stack.js';
const broker = await privateServer('mqtt', (port, dir) => {
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      'user root',
      `log_dest file ${dir}/log`,
      'log_type all',
      '',
    ].join('\n'),
  );
  console.log(dir);
  return { file: '/usr/sbin/mosquitto', args: ['-c', conf] };
});
const stack = await adapterStack(broker.url);
const adapter = stack.make();
adapter.start();
await adapter.whenSubscribed();
const device = await mqtt.connectAsync(broker.url, { clientId: 'fridge-sim', reconnectPeriod: 200 });
const send = (t: number) =>
  device.publishAsync(`${stack.prefix}/sites/main/fridges/FR-PHARM-1/temperature`, JSON.stringify({ t }), { qos: 1 });
await send(1);
await new Promise((r) => setTimeout(r, 500));
await broker.stop();
await broker.start();
await new Promise((r) => setTimeout(r, 1500));
console.log('device connected', device.connected);
await send(2);
await new Promise((r) => setTimeout(r, 1500));
console.log((await stack.rows()).map((r) => [r.type, r.data]));
console.log(adapter.stats());
await device.endAsync();
await adapter.stop();
await stack.dispose();
await broker.stop();
