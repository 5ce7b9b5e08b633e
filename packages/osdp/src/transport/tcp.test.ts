import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../bytes.js';
import { FrameDecoder } from '../frame/decoder.js';
import type { DecoderOutput } from '../frame/decoder.js';
import { TcpClientTransport, TcpServerTransport } from './tcp.js';

describe('TCP transports', { timeout: 10_000 }, () => {
  it('survive a disconnect in the middle of a frame: the half frame is reported, the next one decodes', async () => {
    const server = new TcpServerTransport({ port: 0 });
    await server.open();
    const client = new TcpClientTransport({ host: '127.0.0.1', port: server.port, reconnectDelayMs: 20 });
    const decoder = new FrameDecoder();
    const outputs: DecoderOutput[] = [];
    client.onData((chunk) => outputs.push(...decoder.push(chunk)));
    client.onConnectionChange((connected) => {
      if (!connected) outputs.push(...decoder.reset());
    });
    const peer = new Promise<void>((resolve) => server.onConnectionChange((up) => up && resolve()));
    await client.open();
    await client.connectedOnce();
    await peer;

    const ack = fromHex('ff53e508000640b0f0');
    const chunkArrived = new Promise<void>((resolve) => client.onData(() => resolve()));
    server.write(ack.subarray(0, 5));
    await chunkArrived;
    const dropped = new Promise<void>((resolve) => client.onConnectionChange((up) => !up && resolve()));
    server.dropPeer();
    await dropped;
    await client.connectedOnce();
    const frameArrived = new Promise<void>((resolve) => client.onData(() => resolve()));
    server.write(ack);
    await frameArrived;

    assert.deepEqual(
      outputs.map((o) => (o.kind === 'error' ? o.error.code : toHex(o.frame.bytes))),
      ['osdp.frame_truncated', toHex(ack.subarray(1))],
    );
    await client.close();
    await server.close();
    assert.equal(client.connected, false);
  });
});
