/**
 * Two server nodes on one broker and one journal, as a health system runs them: with a shared
 * subscription group each sensor message reaches one node and is journaled once, and both nodes
 * take their share; without one, every node journals every message. Device supervision stays
 * right although each node hears only part of a device's messages: no false "device offline",
 * and one offline and one back-online event when the device really falls silent and returns.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { eventually } from '../../bus/test-servers.js';
import type { MqttAdapter } from './adapter.js';
import { adapterStack } from './test-stack.js';

const brokerUrl = process.env['VIGIL_TEST_MQTT_URL'];
const SKIP = brokerUrl ? false : 'MQTT broker suite skipped: set VIGIL_TEST_MQTT_URL (e.g. mqtt://127.0.0.1:1883) to run it';
const PRESSES = 20;

void describe('MQTT adapters of two nodes on one broker', { skip: SKIP }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** Two nodes (own client ids and sessions, one journal), a device, and its presses journaled so far. */
  async function twoNodes(sharedGroup: string) {
    const stack = await adapterStack(brokerUrl!);
    cleanups.push(() => stack.dispose());
    const nodes: MqttAdapter[] = ['node-a', 'node-b'].map((node) => {
      const clientId = `vigil-test-${stack.prefix}-${node}`;
      const adapter = stack.make({ clientId, sharedGroup });
      adapter.start();
      cleanups.push(async () => {
        await adapter.stop();
        // The persistent session would keep queueing for a client id that never returns.
        await (await mqtt.connectAsync(brokerUrl!, { clientId, clean: true, protocolVersion: 5 })).endAsync();
      });
      return adapter;
    });
    await Promise.all(nodes.map((n) => n.whenSubscribed()));
    const device = await mqtt.connectAsync(brokerUrl!, { clientId: `panic-sim-${stack.prefix}` });
    cleanups.push(() => device.endAsync());
    // Breaks without a device message id: nothing but the subscription keeps them from being stored twice.
    const topic = (serial: string) => `${stack.prefix}/sites/main/zones/ed/glass-break/${serial}`;
    const press = (n: number) => device.publishAsync(topic(`GB-${n}`), '{"event":"break"}', { qos: 1 });
    const journaled = async () => (await stack.rows('glass_break.detected')).length;
    const rejected = () => nodes.reduce((sum, node) => sum + node.stats().payloadsRejected, 0);
    /**
     * Sends malformed readings until each node has handled one. A node handles its messages one at
     * a time in the order the broker sent them, so it has then handled all it was sent before.
     */
    const barrier = async () => {
      for (let sent = 1; !nodes.every((node) => node.stats().payloadsRejected > 0); sent++) {
        assert.ok(sent <= 20, 'every node handled a barrier message');
        const before = rejected();
        await device.publishAsync(topic('GB-BARRIER'), 'barrier', { qos: 1 });
        await eventually(() => rejected() > before, 'a node handled the barrier message');
      }
    };
    return { stack, nodes, device, press, journaled, barrier };
  }

  it('journals each message once when the nodes share a subscription group, and both nodes take part', async () => {
    const { nodes, press, journaled, barrier } = await twoNodes(`vigil-test-${Date.now().toString(36)}`);
    for (let n = 0; n < PRESSES; n++) await press(n);
    await barrier();
    assert.equal(await journaled(), PRESSES);
    const pressesReceived = nodes.map((node) => node.stats().received - node.stats().payloadsRejected);
    assert.equal(pressesReceived[0]! + pressesReceived[1]!, PRESSES, 'each message went to one node');
    assert.ok(
      pressesReceived.every((n) => n > 0),
      `both nodes took a share: ${pressesReceived.join(' and ')}`,
    );
  });

  it('journals each message on every node without a group', async () => {
    const { nodes, press, journaled, barrier } = await twoNodes('');
    for (let n = 0; n < PRESSES; n++) await press(n);
    await barrier();
    assert.equal(await journaled(), 2 * PRESSES);
    assert.deepEqual(
      nodes.map((node) => node.stats().received - node.stats().payloadsRejected),
      [PRESSES, PRESSES],
    );
  });

  it('supervises a device whose heartbeats alternate between the nodes, and reports its silence and return once', async () => {
    const { stack, nodes, device } = await twoNodes(`vigil-test-${Date.now().toString(36)}`);
    const serial = 'DC-SUP';
    let seq = 0;
    const received = () => nodes.reduce((sum, node) => sum + node.stats().received, 0);
    const check = () => Promise.all(nodes.map((node) => node.checkSupervision()));
    /** A heartbeat, handled by one node and known to both (each node shares what it heard on its next check). */
    const heartbeat = async () => {
      const before = received();
      await device.publishAsync(`${stack.prefix}/sites/main/doors/d-9/contact/${serial}`, JSON.stringify({ state: 'alive', seq: ++seq }), {
        qos: 1,
      });
      await eventually(() => received() > before, 'a node handled the heartbeat');
      await check();
      const seen = () => nodes.map((node) => node.device(serial)?.lastSeenAt?.getTime());
      await eventually(() => seen()[0] !== undefined && seen()[0] === seen()[1], 'both nodes know the last heartbeat');
    };
    const rows = async (type: string) => (await stack.rows(type)).filter((r) => r.source === `device:${serial}`);

    // Door contacts are supervised at 300 s. A heartbeat every 200 s, alternating between the two
    // nodes: each node alone hears the device every 400 s, the group every 200 s.
    // Each node checks just before every heartbeat, when the one that did not hear the last has
    // heard nothing itself for 400 s.
    for (let beat = 0; beat < 6; beat++) {
      stack.clock.advance(200);
      await check();
      await heartbeat();
    }
    assert.deepEqual(await rows('device.went_offline'), [], 'no false offline');
    assert.equal((await rows('device.reported')).length, 1, 'one first-contact report for the group');

    stack.clock.advance(310);
    await check();
    assert.equal((await rows('device.went_offline')).length, 1, 'both nodes found it silent; it is journaled once');
    assert.ok(nodes.every((node) => node.device(serial)?.online === false));

    await heartbeat();
    await heartbeat();
    assert.equal((await rows('device.came_online')).length, 1, 'back online once');
    assert.ok(nodes.every((node) => node.device(serial)?.online === true));
  });
});
